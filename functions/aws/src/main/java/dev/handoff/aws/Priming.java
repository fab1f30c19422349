package dev.handoff.aws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * SnapStart priming: what each function runs in {@code beforeCheckpoint}, so that the snapshot holds its code path
 * loaded, linked and initialised (request marshalling, signing, endpoint rules, response unmarshalling, jackson-jr,
 * the function's own classes) instead of the first invocation after a restore paying for it.
 *
 * <p>Priming never leaves the JVM and never touches data: the function's own code runs against throwaway SDK
 * clients of the same services ({@link #dynamoDb()}, {@link #sns()}, {@link #eventBridge()}, {@link #client}) whose
 * HTTP client answers every request itself with a canned success ({@link #cannedHttp}); the request still goes
 * through the SDK's whole pipeline (endpoint rules with the function's region and endpoint settings, marshalling,
 * SigV4 signing, unmarshalling of the answer). So no AWS permission is used, nothing is written or published, and
 * no connection is opened that could be carried over a restore. Then {@link #realRequest} sends one request that
 * DynamoDB refuses, through the function's real client, so that the real connection path is warm as well.
 *
 * <p>On a JVM without CRaC (tests, the local stack), {@link #register} is a no-op and nothing runs.
 */
public final class Priming {
    private Priming() {}

    /** One priming step. It may fail: the failure is counted, logged by class name, and otherwise ignored. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    /** A synthetic address that is nobody's: priming data, never stored. */
    public static final String EMAIL = "priming@example.com";

    /** A synthetic SQL alert as {@link AlertJson} writes it (the shape of events/alert-message.json). */
    public static final String ALERT_JSON = "{\"alertId\":\"00000000-0000-3000-8000-000000000000\",\"type\":\"SalesQualifiedLead\","
            + "\"occurredAt\":\"2026-01-01T00:00:00Z\",\"policyVersion\":\"priming/2026-01-01\","
            + "\"contact\":{\"email\":\"" + EMAIL + "\",\"firstname\":\"Pri\",\"lastname\":\"Ming\",\"company\":\"Example\","
            + "\"jobtitle\":\"Engineer\"},\"stage\":{\"from\":\"lead\",\"to\":\"salesqualifiedlead\"},"
            + "\"reason\":{\"code\":\"priming\",\"detail\":\"priming <&> \\\"text\\\"\"},\"scores\":{\"fit\":90,\"engagement\":10},"
            + "\"topSignals\":[{\"rule\":\"priming\",\"kind\":\"fit\",\"points\":10}],\"deal\":{\"amount\":1000}}";

    /**
     * Registers {@code resource} with CRaC's global context. The context holds it weakly: register an object that
     * lives as long as the function (the handler itself).
     */
    public static void register(Resource resource) {
        Core.getGlobalContext().register(resource);
    }

    /**
     * Runs the steps in order, swallowing each one's exception, then logs one line on {@code log}: the function, how
     * long it took, and the class of each failure. The steps' own handler twins log to {@link Log#discarding()}.
     *
     * @return how many steps failed
     */
    public static int run(Log log, String function, Step... steps) {
        long start = System.nanoTime();
        List<String> failures = new ArrayList<>();
        for (Step step : steps) {
            try {
                step.run();
            } catch (Exception | LinkageError e) {
                failures.add(e.getClass().getSimpleName());
            }
        }
        log.info("primed before snapshot", "function", function, "steps", steps.length,
                "millis", (System.nanoTime() - start) / 1_000_000, "failed", failures.isEmpty() ? null : String.join(",", failures));
        return failures.size();
    }

    /**
     * One real request through the function's own DynamoDB client, so that what a canned answer leaves cold — the
     * HTTP client's connection path, DNS, TLS, the real endpoint's answer — is warm in the snapshot too: a PutItem of
     * a priming key on the function's table under the condition that the item already exists. It never does (nothing
     * ever writes it), so DynamoDB refuses the write: nothing is stored, no stream record is made, it costs one write
     * unit, and it needs no permission a function writing to its table does not already have. The request asks the
     * server to close the connection, so no socket is kept for after a restore.
     */
    public static void realRequest(software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamoDb, String table) {
        try {
            dynamoDb.putItem(b -> b.tableName(table)
                    .item(java.util.Map.of(
                            ContactTable.PK, software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(PRIMING_KEY),
                            ContactTable.SK, software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(PRIMING_KEY)))
                    .conditionExpression("attribute_exists(#pk)")
                    .expressionAttributeNames(java.util.Map.of("#pk", ContactTable.PK))
                    .overrideConfiguration(o -> o.putHeader("Connection", "close")));
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException expected) {
            // The point: refused, nothing written.
        }
    }

    /** The partition and sort key of {@link #realRequest}'s refused write: no item ever has it. */
    public static final String PRIMING_KEY = "PRIMING#never-written";

    /** A throwaway DynamoDB client whose every request gets {@code {}} (an empty success) without leaving the JVM. */
    public static software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamoDb() {
        return client(software.amazon.awssdk.services.dynamodb.DynamoDbClient.builder(), "application/x-amz-json-1.0", "{}");
    }

    /** A throwaway SNS client whose every request gets a Publish answer without leaving the JVM. */
    public static software.amazon.awssdk.services.sns.SnsClient sns() {
        return client(software.amazon.awssdk.services.sns.SnsClient.builder(), "text/xml",
                "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
                        + "<MessageId>priming</MessageId></PublishResult><ResponseMetadata><RequestId>priming</RequestId>"
                        + "</ResponseMetadata></PublishResponse>");
    }

    /** A throwaway EventBridge client whose every request gets a PutEvents success without leaving the JVM. */
    public static software.amazon.awssdk.services.eventbridge.EventBridgeClient eventBridge() {
        return client(software.amazon.awssdk.services.eventbridge.EventBridgeClient.builder(), "application/x-amz-json-1.1",
                "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"priming\"}]}");
    }

    /**
     * A throwaway client of any service, configured as {@link Clients#build} configures the function's own (region,
     * endpoint settings), whose HTTP client answers {@code body} to every request. Credentials come from the same
     * places as the function's (system properties, then the environment, which is where Lambda puts them), and
     * fall back to dummy ones: a canned request is signed but never sent, and no credential source that would
     * make a network call (instance metadata) is tried.
     */
    public static <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> C client(B builder, String contentType, String body) {
        builder.credentialsProvider(AwsCredentialsProviderChain.of(
                SystemPropertyCredentialsProvider.create(),
                EnvironmentVariableCredentialsProvider.create(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDPRIMING", "priming"))));
        return Clients.build(builder, cannedHttp(contentType, body));
    }

    /** An HTTP client that sends nothing: every request is answered 200 with {@code body}. */
    public static SdkHttpClient cannedHttp(String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return new SdkHttpClient() {
            @Override
            public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
                return new ExecutableHttpRequest() {
                    @Override
                    public HttpExecuteResponse call() throws IOException {
                        // Read the body as the real client would write it (the marshalled, signed payload).
                        if (request.contentStreamProvider().isPresent()) {
                            try (var in = request.contentStreamProvider().get().newStream()) {
                                in.transferTo(java.io.OutputStream.nullOutputStream());
                            }
                        }
                        SdkHttpResponse response = SdkHttpResponse.builder()
                                .statusCode(200)
                                .putHeader("Content-Type", contentType)
                                .putHeader("Content-Length", Integer.toString(bytes.length))
                                .putHeader("x-amzn-RequestId", "priming")
                                .build();
                        return HttpExecuteResponse.builder()
                                .response(response)
                                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes)))
                                .build();
                    }

                    @Override
                    public void abort() {}
                };
            }

            @Override
            public String clientName() {
                return "priming";
            }

            @Override
            public void close() {}
        };
    }
}
