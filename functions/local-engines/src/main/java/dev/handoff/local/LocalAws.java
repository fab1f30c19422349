package dev.handoff.local;

import java.net.URI;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * The one way every SDK v2 client in local runs is pointed at a local engine.
 *
 * <p>Region and credentials are fixed so that nothing reads {@code ~/.aws}, environment variables or instance
 * metadata: a local run must behave the same on every machine. The credentials are dummies; DynamoDB Local runs
 * with {@code -sharedDb} and moto ignores them, so their value does not pick a different database.
 */
public final class LocalAws {

    /** The region every local client signs for, and the {@code awsRegion} the delivered events carry. */
    public static final Region REGION = Region.US_EAST_1;

    /** Dummy static credentials: local engines need a signature, not a real identity. */
    public static final AwsCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

    private LocalAws() {
    }

    /**
     * Configures any SDK v2 sync client builder (DynamoDB, SQS, SNS, EventBridge, ...) for a local endpoint:
     * endpoint override, {@link #REGION}, {@link #CREDENTIALS}, and the JDK-based url-connection HTTP client
     * (the project excludes the Apache and Netty clients). Each client gets its own HTTP client, which it closes.
     *
     * <pre>{@code SnsClient sns = LocalAws.configure(SnsClient.builder(), moto.endpoint()).build();}</pre>
     */
    public static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, URI endpoint) {
        Objects.requireNonNull(builder, "builder");
        Objects.requireNonNull(endpoint, "endpoint");
        return builder
                .endpointOverride(endpoint)
                .region(REGION)
                .credentialsProvider(CREDENTIALS)
                .httpClientBuilder(UrlConnectionHttpClient.builder());
    }
}
