package dev.handoff.localstack;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import dev.handoff.aws.ContactTable;
import dev.handoff.aws.Env;
import dev.handoff.functions.alerts.DynamoDbStreamAlertHandler;
import dev.handoff.functions.beacon.ApiGatewayBeaconHandler;
import dev.handoff.functions.form.ApiGatewayFormSubmissionHandler;
import dev.handoff.functions.hubspot.SqsHubSpotSyncHandler;
import dev.handoff.functions.qualification.DynamoDbStreamQualificationHandler;
import dev.handoff.functions.sales.ApiGatewaySalesApiHandler;
import dev.handoff.functions.tracking.SqsTrackingEventHandler;
import dev.handoff.local.DynamoDbStreamDelivery;
import dev.handoff.local.EmbeddedDynamoDb;
import dev.handoff.local.InMemoryQueue;
import dev.handoff.local.SqsDelivery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

/**
 * The whole function set on one machine (PRODUCT §6): DynamoDB Local in-process, the same handler classes Lambda
 * runs, fed the same event shapes — API Gateway HTTP API v2 events, SQS batches of EventBridge envelopes, DynamoDB
 * stream batches — and one HTTP port that plays API Gateway, EventBridge's PutEvents and the SNS alerts topic.
 */
public final class LocalStack implements AutoCloseable {
    static final String TABLE = "handoff-local";
    static final String BUS = "handoff-local";
    static final String TOPIC_ARN = "arn:aws:sns:us-east-1:" + InMemoryQueue.LOCAL_ACCOUNT_ID + ":handoff-alerts";

    private final EmbeddedDynamoDb dynamoDb;
    private final InMemoryQueue trackingQueue;
    private final SqsDelivery trackingDelivery;
    /** Null without {@code --hubspot-url}. */
    private final SqsDelivery hubspotDelivery;
    private final DynamoDbStreamDelivery qualificationStream;
    private final DynamoDbStreamDelivery alertStream;
    private final LocalHttpServer server;

    LocalStack(Options options) throws Exception {
        Map<String, String> vars = vars(options);
        Env env = new Env(vars);
        env.policy(); // an invalid policy stops here, before DynamoDB Local starts and prints its banner
        dynamoDb = new EmbeddedDynamoDb(options.dynamoDbPort(), options.dataDir());
        server = new LocalHttpServer(options.port(), options.alertsFile());
        String self = "http://127.0.0.1:" + server.port();
        // The functions find every engine through the SDK's own settings, as they would find LocalStack or AWS.
        System.setProperty("aws.region", "us-east-1");
        System.setProperty("aws.accessKeyId", server.accessKeyId()); // only these clients may publish alerts
        System.setProperty("aws.secretAccessKey", "local");
        System.setProperty("aws.endpointUrlDynamoDb", dynamoDb.endpoint().toString());
        System.setProperty("aws.endpointUrlSns", self);
        System.setProperty("aws.endpointUrlEventBridge", self);

        // With --data the table may be there from an earlier run: keep it, and deliver only what is written from
        // now on, so a restart with a new policy does not replay old signals through it (requalify does that).
        boolean kept = dynamoDb.client().listTables().tableNames().contains(TABLE);
        if (!kept) ContactTable.create(dynamoDb.client(), TABLE);
        DynamoDbStreamDelivery.StartingPosition from = kept
                ? DynamoDbStreamDelivery.StartingPosition.LATEST
                : DynamoDbStreamDelivery.StartingPosition.TRIM_HORIZON;

        var form = new ApiGatewayFormSubmissionHandler(env);
        var tracking = new SqsTrackingEventHandler(env);
        var qualification = new DynamoDbStreamQualificationHandler(env);
        var alerts = new DynamoDbStreamAlertHandler(env);
        var sales = new ApiGatewaySalesApiHandler(env);
        var beacon = new ApiGatewayBeaconHandler(env);

        trackingQueue = InMemoryQueue.builder("handoff-tracking")
                .maxReceiveCount(5)
                .onDeadLetter(d -> System.out.println("tracking event moved to the dead-letter queue: " + d.reason()))
                .build();
        trackingDelivery = SqsDelivery.builder(trackingQueue, event -> tracking.handleRequest(event, null))
                .pollInterval(Duration.ofMillis(50))
                .build();
        String streamArn = DynamoDbStreamDelivery.latestStreamArn(dynamoDb.client(), TABLE);
        // The filters stand in for the event source mappings' FilterCriteria in template.yaml.
        qualificationStream = DynamoDbStreamDelivery.builder(dynamoDb.streamsClient(), streamArn,
                        event -> qualification.handleRequest(event, null))
                .filter(inserted(ContactTable::isLogKey)
                        .or(written(sk -> sk.equals(ContactTable.LINK)))
                        .or(LocalStack::requalifyRequestCandidate))
                .startingPosition(from)
                .pollInterval(Duration.ofMillis(100))
                .build();
        alertStream = DynamoDbStreamDelivery.builder(dynamoDb.streamsClient(), streamArn,
                        event -> alerts.handleRequest(event, null))
                .filter(inserted(sk -> sk.startsWith(ContactTable.ALERT_PREFIX)))
                .startingPosition(from)
                .pollInterval(Duration.ofMillis(100))
                .build();

        server.route(new FormRoute(form));
        server.route(new SalesRoute(sales));
        server.route(new BrowserRoute(beacon));
        InMemoryQueue hubspotQueue = null;
        if (options.hubspotUrl() != null) {
            // The HubSpot sync as the template deploys it with HubSpotTokenSecretArn: the bus's rule, a queue (DLQ
            // after 10 receives) and the function; the token from HUBSPOT_TOKEN instead of Secrets Manager.
            String token = options.hubspotToken();
            Map<String, String> hubspotVars = new HashMap<>(vars);
            hubspotVars.put(SqsHubSpotSyncHandler.HUBSPOT_PIPELINE, "default");
            hubspotVars.put(SqsHubSpotSyncHandler.HUBSPOT_DEAL_STAGE, "appointmentscheduled");
            var hubspot = new SqsHubSpotSyncHandler(new Env(hubspotVars), () -> token, options.hubspotUrl(),
                    (body, reason) -> System.out.println("hubspot sync: message moved to the dead-letter queue: " + reason));
            hubspotQueue = InMemoryQueue.builder("handoff-hubspot")
                    .maxReceiveCount(10)
                    .onDeadLetter(d -> System.out.println("hubspot sync: message moved to the dead-letter queue after 10 receives"))
                    .build();
            hubspotDelivery = SqsDelivery.builder(hubspotQueue, event -> hubspot.handleRequest(event, null))
                    .pollInterval(Duration.ofMillis(100))
                    .build();
            System.out.println("hubspot sync on " + options.hubspotUrl());
        } else {
            hubspotDelivery = null;
        }
        server.eventBridge(new PutEvents(trackingQueue, hubspotQueue));
        trackingDelivery.start();
        if (hubspotDelivery != null) hubspotDelivery.start();
        qualificationStream.start();
        alertStream.start();
        server.start();
    }

    private static Map<String, String> vars(Options options) {
        Map<String, String> vars = new HashMap<>();
        vars.put(Env.TABLE_NAME, TABLE);
        vars.put(Env.ALERTS_TOPIC_ARN, TOPIC_ARN);
        vars.put(Env.EVENT_BUS_NAME, BUS);
        if (options.policyFile() != null) vars.put(Env.POLICY_FILE, options.policyFile().toString());
        else vars.put(Env.POLICY, options.preset());
        return vars;
    }

    private static Predicate<DynamodbEvent.DynamodbStreamRecord> inserted(Predicate<String> sortKey) {
        return r -> "INSERT".equals(r.getEventName()) && sortKey.test(r.getDynamodb().getKeys().get(ContactTable.SK).getS());
    }

    private static Predicate<DynamodbEvent.DynamodbStreamRecord> written(Predicate<String> sortKey) {
        return r -> ("INSERT".equals(r.getEventName()) || "MODIFY".equals(r.getEventName()))
                && sortKey.test(r.getDynamodb().getKeys().get(ContactTable.SK).getS());
    }

    /** The template's third qualification filter: a profile MODIFY whose new image has a requalify run id. */
    private static boolean requalifyRequestCandidate(DynamodbEvent.DynamodbStreamRecord r) {
        var newImage = r.getDynamodb().getNewImage();
        return "MODIFY".equals(r.getEventName())
                && ContactTable.PROFILE.equals(r.getDynamodb().getKeys().get(ContactTable.SK).getS())
                && newImage != null && newImage.get(ContactTable.REQUALIFY) != null
                && newImage.get(ContactTable.REQUALIFY).getS() != null;
    }

    int port() {
        return server.port();
    }

    /** DynamoDB Local's endpoint, for the tools of PRODUCT §7 ({@code AWS_ENDPOINT_URL_DYNAMODB}). */
    String dynamoDbEndpoint() {
        return dynamoDb.endpoint().toString();
    }

    @Override
    public void close() {
        server.close();
        trackingDelivery.close();
        if (hubspotDelivery != null) hubspotDelivery.close();
        qualificationStream.close();
        alertStream.close();
        dynamoDb.close();
    }

    record Options(int port, Path policyFile, String preset, Path alertsFile, int dynamoDbPort, Path dataDir,
            java.net.URI hubspotUrl, String hubspotToken) {
        static final String USAGE = "usage: run-local.sh [--port 3000] [--policy FILE|PRESET] [--alerts-file .local/alerts.jsonl]"
                + " [--dynamodb-port PORT] [--data DIR] [--hubspot-url URL (token in HUBSPOT_TOKEN)]";

        static Options parse(String[] args) {
            return parse(args, System.getenv());
        }

        static Options parse(String[] args, Map<String, String> environment) {
            int port = 3000;
            java.net.URI hubspotUrl = null;
            int dynamoDbPort = 0;
            Path dataDir = null;
            Path policy = null;
            String preset = "score-threshold";
            Path alerts = Path.of(".local", "alerts.jsonl");
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (a) {
                    case "--port" -> port = Integer.parseInt(need(a, value));
                    case "--policy" -> {
                        String v = need(a, value);
                        // A bare preset name, or a file.
                        if (v.equals("score-threshold") || v.equals("sales-accepted") || v.equals("sdr-meeting-booked")) preset = v;
                        else policy = Path.of(v).toAbsolutePath(); // against the caller's directory (run-local.sh keeps it)
                        if (policy != null && !Files.isRegularFile(policy)) {
                            throw new IllegalArgumentException("policy file not found: " + policy);
                        }
                    }
                    case "--alerts-file" -> alerts = Path.of(need(a, value));
                    case "--dynamodb-port" -> dynamoDbPort = port(a, need(a, value));
                    case "--data" -> dataDir = Path.of(need(a, value)).toAbsolutePath();
                    case "--hubspot-url" -> hubspotUrl = url(a, need(a, value));
                    case "-h", "--help" -> {
                        System.out.println(USAGE);
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
                }
                i++;
            }
            String token = null;
            if (hubspotUrl != null) {
                token = environment.get("HUBSPOT_TOKEN");
                if (token == null || token.isBlank()) {
                    throw new IllegalArgumentException("--hubspot-url needs the private app's token in the environment variable HUBSPOT_TOKEN");
                }
                token = token.strip();
            }
            return new Options(port, policy, preset, alerts, dynamoDbPort, dataDir, hubspotUrl, token);
        }

        private static java.net.URI url(String option, String value) {
            try {
                java.net.URI u = new java.net.URI(value);
                if (u.getHost() != null && ("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) return u;
            } catch (java.net.URISyntaxException e) {
                // said below
            }
            throw new IllegalArgumentException(option + " must be an http(s) URL like https://api.hubapi.com, was " + value);
        }

        private static int port(String option, String value) {
            try {
                int p = Integer.parseInt(value);
                if (p >= 1 && p <= 65_535) return p;
            } catch (NumberFormatException e) {
                // said below
            }
            throw new IllegalArgumentException(option + " must be a port number 1..65535, was " + value);
        }

        private static String need(String option, String value) {
            if (value == null) throw new IllegalArgumentException(option + " needs a value");
            return value;
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
            return;
        }
        LocalStack stack;
        try {
            stack = new LocalStack(options);
        } catch (IllegalStateException e) {
            // An invalid policy or a taken port: say what, and stop.
            System.err.println("error: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping");
            stack.close();
            stopped.countDown();
        }, "local-stack-shutdown"));
        System.out.println("policy: " + (options.policyFile() != null ? options.policyFile() : options.preset()));
        System.out.println("alerts: " + options.alertsFile().toAbsolutePath());
        if (options.dataDir() != null) System.out.println("data: " + options.dataDir());
        System.out.println("dynamodb on " + stack.dynamoDbEndpoint() + " table " + TABLE);
        System.out.println("listening on http://127.0.0.1:" + stack.port());
        stopped.await();
    }
}
