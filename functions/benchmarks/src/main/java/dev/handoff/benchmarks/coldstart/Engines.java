package dev.handoff.benchmarks.coldstart;

import com.sun.net.httpserver.HttpServer;
import dev.handoff.aws.ContactTable;
import dev.handoff.local.EmbeddedDynamoDb;
import dev.handoff.local.LocalAws;
import dev.handoff.local.MotoServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * What the functions talk to, started once by the driver: DynamoDB Local (in this JVM) with the contacts table,
 * moto_server with the alerts topic, the event bus and the Slack webhook secret, and a webhook on loopback that
 * answers 200. Each engine is exercised once here, so that its own first-request costs (moto imports a service's
 * backend on its first request) are not charged to a measured function.
 */
final class Engines implements AutoCloseable {
    static final String TABLE = "handoff-contacts";
    static final String BUS = "handoff-events";

    private final EmbeddedDynamoDb dynamoDb;
    private final MotoServer moto;
    private final HttpServer webhook;
    private final AtomicInteger webhookPosts;
    private final String topicArn;
    private final String secretArn;

    private Engines(EmbeddedDynamoDb dynamoDb, MotoServer moto, HttpServer webhook, AtomicInteger webhookPosts,
                    String topicArn, String secretArn) {
        this.dynamoDb = dynamoDb;
        this.webhookPosts = webhookPosts;
        this.moto = moto;
        this.webhook = webhook;
        this.topicArn = topicArn;
        this.secretArn = secretArn;
    }

    static Engines start() {
        EmbeddedDynamoDb ddb = new EmbeddedDynamoDb();
        MotoServer moto = null;
        HttpServer webhook = null;
        try {
            ContactTable.create(ddb.client(), TABLE);
            moto = new MotoServer();
            AtomicInteger posts = new AtomicInteger();
            webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            webhook.createContext("/", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    in.readAllBytes();
                }
                posts.incrementAndGet();
                byte[] ok = "ok".getBytes();
                exchange.sendResponseHeaders(200, ok.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(ok);
                }
            });
            webhook.start();
            String url = "http://127.0.0.1:" + webhook.getAddress().getPort() + "/services/T000/B000/cold-start";

            String topicArn;
            try (SnsClient sns = LocalAws.configure(SnsClient.builder(), moto.endpoint()).build()) {
                topicArn = sns.createTopic(b -> b.name("handoff-alerts")).topicArn();
                sns.publish(b -> b.topicArn(topicArn).message("{\"warm\": true}"));
            }
            try (EventBridgeClient events = LocalAws.configure(EventBridgeClient.builder(), moto.endpoint()).build()) {
                events.createEventBus(b -> b.name(BUS));
                events.putEvents(b -> b.entries(PutEventsRequestEntry.builder().eventBusName(BUS)
                        .source("handoff.cold-start").detailType("Warm").detail("{}").build()));
            }
            String secretArn;
            try (SecretsManagerClient secrets = LocalAws.configure(SecretsManagerClient.builder(), moto.endpoint()).build()) {
                secretArn = secrets.createSecret(b -> b.name("handoff/slack-webhook")
                        .secretString("{\"webhookUrl\": \"" + url + "\"}")).arn();
                secrets.getSecretValue(b -> b.secretId(secretArn));
            }
            Engines engines = new Engines(ddb, moto, webhook, posts, topicArn, secretArn);
            return engines;
        } catch (RuntimeException | IOException e) {
            if (webhook != null) webhook.stop(0);
            if (moto != null) moto.close();
            ddb.close();
            if (e instanceof IOException io) throw new UncheckedIOException(io);
            throw (RuntimeException) e;
        }
    }

    String table() {
        return TABLE;
    }

    String topicArn() {
        return topicArn;
    }

    String busName() {
        return BUS;
    }

    String secretArn() {
        return secretArn;
    }

    int webhookPosts() {
        return webhookPosts.get();
    }

    /**
     * What every function's JVM gets besides its own variables: Lambda's region and (dummy) credentials, and the
     * SDK's per-service endpoint variables pointing at the local engines. The config and credentials files point
     * nowhere, as in a Lambda container.
     */
    Map<String, String> awsEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_SESSION_TOKEN", "local");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("AWS_CONFIG_FILE", "/nonexistent/aws-config");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDb.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_SNS", moto.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_EVENTBRIDGE", moto.endpoint().toString());
        // The SDK derives the variable from the service id "Secrets Manager" (aws.endpointUrlSecretsManager).
        env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", moto.endpoint().toString());
        env.put("TZ", ":UTC");
        env.put("LANG", "en_US.UTF-8");
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        return env;
    }

    /** Puts an item given in DynamoDB JSON (a stream record's NewImage) into the table. */
    void putItem(Map<?, ?> image) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : image.entrySet()) item.put((String) e.getKey(), attribute((Map<?, ?>) e.getValue()));
        dynamoDb.client().putItem(b -> b.tableName(TABLE).item(item));
    }

    private static AttributeValue attribute(Map<?, ?> json) {
        Map.Entry<?, ?> e = json.entrySet().iterator().next();
        Object v = e.getValue();
        return switch ((String) e.getKey()) {
            case "S" -> AttributeValue.fromS((String) v);
            case "N" -> AttributeValue.fromN(v.toString());
            case "BOOL" -> AttributeValue.fromBool((Boolean) v);
            case "NULL" -> AttributeValue.fromNul(true);
            case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(java.util.Base64.getDecoder().decode((String) v)));
            case "SS" -> AttributeValue.fromSs(strings(v));
            case "NS" -> AttributeValue.fromNs(strings(v));
            case "L" -> {
                List<AttributeValue> l = new ArrayList<>();
                for (Object o : (List<?>) v) l.add(attribute((Map<?, ?>) o));
                yield AttributeValue.fromL(l);
            }
            case "M" -> {
                Map<String, AttributeValue> m = new LinkedHashMap<>();
                for (Map.Entry<?, ?> x : ((Map<?, ?>) v).entrySet()) m.put((String) x.getKey(), attribute((Map<?, ?>) x.getValue()));
                yield AttributeValue.fromM(m);
            }
            default -> throw new IllegalArgumentException("attribute type " + e.getKey());
        };
    }

    private static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) v) out.add(o.toString());
        return out;
    }

    @Override
    public void close() {
        webhook.stop(0);
        moto.close();
        dynamoDb.close();
    }
}
