package dev.handoff.aws;

import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * The one HTTP client the functions share: the JDK's URLConnection, which starts faster and weighs less than
 * Apache or Netty. Credentials and endpoints come from the SDK's standard settings (AWS_ENDPOINT_URL_DYNAMODB,
 * aws.endpointUrlSns, ...), so the same code runs on AWS, LocalStack and local engines.
 *
 * <p>All the SDK clients of a function share one {@link SdkHttpClient} (a client built per SDK client costs its
 * start again: 90-180 ms for each extra one at a cold start). The SDK never closes an HTTP client it was given,
 * so closing an SDK client leaves the shared one usable. The region is set from {@code aws.region} or
 * {@code AWS_REGION} when either is set (in that order, as the SDK's own chain reads them), which spares the SDK
 * its region provider chain at init, as AWS's Lambda guidance recommends; with neither, the SDK's chain decides.
 */
public final class Clients {
    private Clients() {}

    private static final class Shared {
        static final SdkHttpClient HTTP = UrlConnectionHttpClient.create();
    }

    /** The function's one HTTP client, built on first use. Never close it. */
    public static SdkHttpClient http() {
        return Shared.HTTP;
    }

    /** The region from {@code aws.region} or {@code AWS_REGION}, or null to leave it to the SDK's chain. */
    public static Region region() {
        String name = System.getProperty("aws.region");
        if (name == null || name.isBlank()) name = System.getenv("AWS_REGION");
        return name == null || name.isBlank() ? null : Region.of(name.strip());
    }

    /**
     * Builds an SDK client the way every function does: {@code http} as its HTTP client, the region as
     * {@link #region()} finds it, everything else (endpoint, credentials) from the SDK's standard settings.
     */
    public static <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C build(B builder, SdkHttpClient http) {
        builder.httpClient(http);
        Region region = region();
        if (region != null) builder.region(region);
        return builder.build();
    }

    /** {@link #build(AwsClientBuilder, SdkHttpClient)} with the shared {@link #http()}. */
    public static <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C build(B builder) {
        return build(builder, http());
    }

    public static software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamoDb() {
        return build(software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder());
    }

    public static software.amazon.awssdk.services.sns.SnsClient sns() {
        return build(software.amazon.awssdk.services.sns.SnsClient.builder());
    }

    public static software.amazon.awssdk.services.eventbridge.EventBridgeClient eventBridge() {
        return build(software.amazon.awssdk.services.eventbridge.EventBridgeClient.builder());
    }
}
