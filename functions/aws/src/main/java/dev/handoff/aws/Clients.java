package dev.handoff.aws;

import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * The one HTTP client the functions share: the JDK's URLConnection, which starts faster and weighs less than
 * Apache or Netty. Region, credentials and endpoints come from the SDK's standard settings (AWS_REGION,
 * AWS_ENDPOINT_URL_DYNAMODB, aws.endpointUrlSns, ...), so the same code runs on AWS, LocalStack and local engines.
 */
public final class Clients {
    private Clients() {}

    public static SdkHttpClient http() {
        return UrlConnectionHttpClient.create();
    }

    public static software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamoDb() {
        return software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder().httpClient(http()).build();
    }

    public static software.amazon.awssdk.services.sns.SnsClient sns() {
        return software.amazon.awssdk.services.sns.SnsClient.builder().httpClient(http()).build();
    }

    public static software.amazon.awssdk.services.eventbridge.EventBridgeClient eventBridge() {
        return software.amazon.awssdk.services.eventbridge.EventBridgeClient.builder().httpClient(http()).build();
    }
}
