package dev.handoff.it;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.aws.ContactTable;
import dev.handoff.aws.DynamoDbContacts;
import dev.handoff.aws.Env;
import dev.handoff.core.Decision;
import dev.handoff.core.app.StoredContact;
import dev.handoff.core.policy.Policy;
import dev.handoff.functions.alerts.DynamoDbStreamAlertHandler;
import dev.handoff.functions.form.ApiGatewayFormSubmissionHandler;
import dev.handoff.functions.qualification.DynamoDbStreamQualificationHandler;
import dev.handoff.functions.tracking.SqsTrackingEventHandler;
import dev.handoff.local.Delivery;
import dev.handoff.local.DynamoDbStreamDelivery;
import dev.handoff.local.SqsDelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.RuleState;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The whole function set on real engines, started once per test JVM (see {@link StackExtension}).
 *
 * <p>How it is put together, in the order {@link #start()} does it:
 * <ol>
 *   <li>the engines ({@link Engines}: DynamoDB Local and moto_server, or LocalStack);</li>
 *   <li>the SDK's standard JVM settings, and nothing else, point every client at them: {@code aws.region},
 *       {@code aws.accessKeyId}/{@code aws.secretAccessKey}, and the service-specific endpoint properties
 *       ({@code aws.endpointUrlDynamoDb}, {@code aws.endpointUrlSns}, {@code aws.endpointUrlEventBridge}, ...).
 *       The functions' own clients ({@code dev.handoff.aws.Clients}) resolve them as they would resolve
 *       {@code AWS_ENDPOINT_URL_*} on LocalStack, and the test's clients are built the same way;</li>
 *   <li>the table, made by {@link ContactTable#create} as the template defines it (stream with both images, TTL);</li>
 *   <li>the alerts topic with an SQS queue subscribed to it, to see exactly what was published; the event bus with
 *       a rule for {@code handoff.tracking} to the tracking queue (redrive to a DLQ after
 *       {@value #TRACKING_MAX_RECEIVE_COUNT} receives) and a rule for {@code handoff.qualification} to a queue
 *       that shows the {@code ContactBecameSalesQualified} events;</li>
 *   <li>the four handlers, each built by its {@code (Env)} constructor from the variables the template gives
 *       it, so the real wiring runs;</li>
 *   <li>Lambda's event source mappings: the tracking queue to the tracking function (batch 25), and the table's
 *       stream to the qualification function (batch 100, 5 retries) and the alerts function (batch 10, 10 retries),
 *       each with a filter mirroring its FilterCriteria in template.yaml.</li>
 * </ol>
 *
 * <p>DynamoDB Local and moto keep their state for the whole JVM, so tests isolate themselves by using their own
 * contacts ({@link #email}) and pick their own messages out of the observation queues.
 */
final class Stack implements AutoCloseable {
    static final String TABLE = "handoff-contacts";
    static final String POLICY = "score-threshold";
    static final String ALERTS_TOPIC = "handoff-alerts";
    static final String BUS = "handoff-events";
    static final String TRACKING_QUEUE = "handoff-tracking";
    static final String TRACKING_DLQ = "handoff-tracking-dlq";
    static final String ALERTS_OBSERVED_QUEUE = "it-alerts-observed";
    static final String QUALIFICATION_OBSERVED_QUEUE = "it-qualification-events-observed";
    /** The template's is 5; 2 keeps the redrive test short. */
    static final int TRACKING_MAX_RECEIVE_COUNT = 2;

    /** The SDK's standard JVM settings this stack sets (and restores on close). */
    static final String REGION_PROPERTY = "aws.region";
    static final String ACCESS_KEY_PROPERTY = "aws.accessKeyId";
    static final String SECRET_KEY_PROPERTY = "aws.secretAccessKey";
    static final String DYNAMODB_ENDPOINT_PROPERTY = "aws.endpointUrlDynamoDb";
    static final String DYNAMODB_STREAMS_ENDPOINT_PROPERTY = "aws.endpointUrlDynamoDbStreams";
    static final String SNS_ENDPOINT_PROPERTY = "aws.endpointUrlSns";
    static final String EVENTBRIDGE_ENDPOINT_PROPERTY = "aws.endpointUrlEventBridge";
    static final String SQS_ENDPOINT_PROPERTY = "aws.endpointUrlSqs";

    private static final String RUN = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private static Stack shared;
    private static RuntimeException failedToStart;

    final Engines engines;
    private final Map<String, String> previousProperties = new LinkedHashMap<>();

    final Policy policy;
    final Map<String, String> functionEnv;
    final Map<String, String> alertsEnv;

    final DynamoDbClient dynamoDb;
    final DynamoDbStreamsClient streams;
    final SqsClient sqs;
    final SnsClient sns;
    final EventBridgeClient eventBridge;

    final String streamArn;
    final String alertsTopicArn;
    final String trackingQueueUrl;
    final String trackingQueueArn;
    final String trackingDlqUrl;
    final String alertsObservedQueueUrl;
    final String alertsObservedQueueArn;
    final String qualificationObservedQueueUrl;

    final Invocations<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> forms;
    final Invocations<SQSEvent, SQSBatchResponse> tracking;
    final Invocations<DynamodbEvent, StreamsEventResponse> qualification;
    final Invocations<DynamodbEvent, StreamsEventResponse> alerts;

    final SqsDelivery trackingDelivery;
    final DynamoDbStreamDelivery qualificationDelivery;
    final DynamoDbStreamDelivery alertsDelivery;
    /** Stream records a delivery gave up on after its retries (Lambda's on-failure destination). */
    final List<DynamoDbStreamDelivery.FailedBatch> givenUp = new CopyOnWriteArrayList<>();

    final QueueLog published;
    final QueueLog qualificationEvents;
    final QueueLog deadLetters;

    final DynamoDbContacts contacts;

    /** The stack of this JVM, started on first use; a failure to start is remembered and repeated, not retried. */
    static synchronized Stack shared() {
        if (failedToStart != null) throw failedToStart;
        if (shared == null) {
            try {
                shared = start();
            } catch (RuntimeException e) {
                failedToStart = e;
                System.err.println("[handoff-it] the engines did not start: " + e.getMessage());
                throw e;
            }
        }
        return shared;
    }

    static Stack start() {
        long started = System.nanoTime();
        Engines engines = Engines.start();
        long enginesUp = System.nanoTime();
        try {
            Stack stack = new Stack(engines);
            System.err.printf("[handoff-it] stack up in %d ms (engines %d ms, table, queues, topic, bus and functions %d ms) on %s%n",
                    (System.nanoTime() - started) / 1_000_000, (enginesUp - started) / 1_000_000,
                    (System.nanoTime() - enginesUp) / 1_000_000, engines.name());
            return stack;
        } catch (RuntimeException | Error e) {
            engines.close();
            throw e;
        }
    }

    private Stack(Engines engines) {
        this.engines = engines;
        setProperty(REGION_PROPERTY, "us-east-1");
        // Dummies; DynamoDB Local 2.x refuses an access key id with anything but letters and digits.
        setProperty(ACCESS_KEY_PROPERTY, "handoffintegrationtests");
        setProperty(SECRET_KEY_PROPERTY, "handoffintegrationtests");
        setProperty(DYNAMODB_ENDPOINT_PROPERTY, engines.dynamoDb().toString());
        setProperty(DYNAMODB_STREAMS_ENDPOINT_PROPERTY, engines.dynamoDb().toString());
        setProperty(SNS_ENDPOINT_PROPERTY, engines.aws().toString());
        setProperty(EVENTBRIDGE_ENDPOINT_PROPERTY, engines.aws().toString());
        setProperty(SQS_ENDPOINT_PROPERTY, engines.aws().toString());

        // The test's own clients: no endpoint, region or credentials given, only the HTTP client the project uses.
        dynamoDb = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        streams = DynamoDbStreamsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        sqs = SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        sns = SnsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        eventBridge = EventBridgeClient.builder().httpClient(UrlConnectionHttpClient.create()).build();

        ContactTable.create(dynamoDb, TABLE);
        streamArn = DynamoDbStreamDelivery.latestStreamArn(dynamoDb, TABLE);

        trackingDlqUrl = sqs.createQueue(r -> r.queueName(TRACKING_DLQ)).queueUrl();
        String dlqArn = queueArn(trackingDlqUrl);
        trackingQueueUrl = sqs.createQueue(r -> r.queueName(TRACKING_QUEUE).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, "30",
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\""
                        + TRACKING_MAX_RECEIVE_COUNT + "\"}"))).queueUrl();
        trackingQueueArn = queueArn(trackingQueueUrl);
        alertsObservedQueueUrl = sqs.createQueue(r -> r.queueName(ALERTS_OBSERVED_QUEUE)).queueUrl();
        alertsObservedQueueArn = queueArn(alertsObservedQueueUrl);
        qualificationObservedQueueUrl = sqs.createQueue(r -> r.queueName(QUALIFICATION_OBSERVED_QUEUE)).queueUrl();

        alertsTopicArn = createAlertsTopic();

        eventBridge.createEventBus(r -> r.name(BUS));
        routeToQueue("handoff-tracking-events", Tracking.SOURCE, trackingQueueArn);
        routeToQueue("it-qualification-events", "handoff.qualification", queueArn(qualificationObservedQueueUrl));

        functionEnv = Map.of(Env.TABLE_NAME, TABLE, Env.POLICY, POLICY);
        alertsEnv = Map.of(Env.TABLE_NAME, TABLE, Env.POLICY, POLICY,
                Env.ALERTS_TOPIC_ARN, alertsTopicArn, Env.EVENT_BUS_NAME, BUS);
        policy = new Env(functionEnv).policy();

        ApiGatewayFormSubmissionHandler formHandler = new ApiGatewayFormSubmissionHandler(new Env(functionEnv));
        forms = new Invocations<>("handoff-form-submission", formHandler::handleRequest);
        tracking = new Invocations<>("handoff-tracking-events", newTrackingHandler()::handleRequest);
        qualification = new Invocations<>("handoff-qualification", newQualificationHandler()::handleRequest);
        DynamoDbStreamAlertHandler alertHandler = new DynamoDbStreamAlertHandler(new Env(alertsEnv));
        alerts = new Invocations<>("handoff-alerts", alertHandler::handleRequest);

        trackingDelivery = SqsDelivery.builder(sqs, trackingQueueUrl, tracking).batchSize(25).build();
        qualificationDelivery = DynamoDbStreamDelivery.builder(streams, streamArn, qualification)
                .batchSize(100).maxRetryAttempts(5).filter(Stack::qualificationFilter).onFailure(givenUp::add).build();
        alertsDelivery = DynamoDbStreamDelivery.builder(streams, streamArn, alerts)
                .batchSize(10).maxRetryAttempts(10).filter(Stack::alertsFilter).onFailure(givenUp::add).build();

        published = new QueueLog(sqs, alertsObservedQueueUrl);
        qualificationEvents = new QueueLog(sqs, qualificationObservedQueueUrl);
        deadLetters = new QueueLog(sqs, trackingDlqUrl);

        contacts = new DynamoDbContacts(dynamoDb, TABLE, policy);
    }

    // ------------------------------------------------------------------------------------------ wiring

    /**
     * The qualification mapping's FilterCriteria (template.yaml): INSERT of a signal item (sk beginning
     * {@code PROFILE#U#} or {@code LINK#U#}); INSERT or MODIFY of a {@code LINK}; or MODIFY of a {@code PROFILE} whose
     * new image has {@code rq}. Written
     * from the template's patterns, not from the code's constants, so a drift shows.
     */
    static boolean qualificationFilter(DynamodbStreamRecord record) {
        String sk = sortKey(record);
        if ("MODIFY".equals(record.getEventName()) && "PROFILE".equals(sk)) {
            // {"eventName": ["MODIFY"], "dynamodb": {"Keys": {"sk": {"S": ["PROFILE"]}}, "NewImage": {"rq": {"S": [{"exists": true}]}}}}
            var newImage = record.getDynamodb().getNewImage();
            return newImage != null && newImage.get("rq") != null && newImage.get("rq").getS() != null;
        }
        if ("INSERT".equals(record.getEventName()) && sk != null && (sk.startsWith("PROFILE#U#") || sk.startsWith("LINK#U#"))) return true;
        if (!"INSERT".equals(record.getEventName()) && !"MODIFY".equals(record.getEventName())) return false;
        return "LINK".equals(sk);
    }

    /** The alerts mapping's FilterCriteria: INSERT, and sk begins with {@code ALERT#}. */
    static boolean alertsFilter(DynamodbStreamRecord record) {
        if (!"INSERT".equals(record.getEventName())) return false;
        String sk = sortKey(record);
        return sk != null && sk.startsWith("ALERT#");
    }

    static String sortKey(DynamodbStreamRecord record) {
        var keys = record.getDynamodb().getKeys();
        return keys == null || keys.get("sk") == null ? null : keys.get("sk").getS();
    }

    static String partitionKey(DynamodbStreamRecord record) {
        var keys = record.getDynamodb().getKeys();
        return keys == null || keys.get("pk") == null ? null : keys.get("pk").getS();
    }

    /** Creates (or, with the same name, finds again: same ARN) the alerts topic and subscribes the observing queue. */
    String createAlertsTopic() {
        String arn = sns.createTopic(r -> r.name(ALERTS_TOPIC)).topicArn();
        sns.subscribe(r -> r.topicArn(arn).protocol("sqs").endpoint(alertsObservedQueueArn));
        return arn;
    }

    private void routeToQueue(String rule, String source, String queueArn) {
        eventBridge.putRule(r -> r.name(rule).eventBusName(BUS).state(RuleState.ENABLED)
                .eventPattern("{\"source\":[\"" + source + "\"]}"));
        eventBridge.putTargets(r -> r.rule(rule).eventBusName(BUS)
                .targets(Target.builder().id(rule + "-queue").arn(queueArn).build()));
    }

    private String queueArn(String queueUrl) {
        return sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /** A tracking function as a new Lambda execution environment would build it. */
    SqsTrackingEventHandler newTrackingHandler() {
        return new SqsTrackingEventHandler(new Env(functionEnv));
    }

    /** A qualification function as a new Lambda execution environment would build it. */
    DynamoDbStreamQualificationHandler newQualificationHandler() {
        return new DynamoDbStreamQualificationHandler(new Env(functionEnv));
    }

    // --------------------------------------------------------------------------------------- driving

    /** A contact of one's own: the engines keep everything for the whole run, so tests never share emails. */
    static String email(String tag) {
        return "it-" + tag + "-" + RUN + "-" + SEQUENCE.incrementAndGet() + "@northwind.example";
    }

    static String visitorId(String tag) {
        return "v-" + tag + "-" + RUN + "-" + SEQUENCE.incrementAndGet();
    }

    /** Posts a form as API Gateway would and returns the function's answer. */
    APIGatewayV2HTTPResponse submit(APIGatewayV2HTTPEvent post) {
        return forms.apply(post);
    }

    /** A producer's PutEvents on the bus, 10 entries a call; every entry must be accepted. */
    void putEvents(List<Tracking.Event> events) {
        for (int from = 0; from < events.size(); from += 10) {
            List<PutEventsRequestEntry> entries = events.subList(from, Math.min(events.size(), from + 10)).stream()
                    .map(e -> e.entry(BUS)).toList();
            PutEventsResponse response = eventBridge.putEvents(r -> r.entries(entries));
            if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
                throw new AssertionError("PutEvents rejected entries: " + response.entries());
            }
        }
    }

    void putEvents(Tracking.Event... events) {
        putEvents(List.of(events));
    }

    /**
     * The tracking queue's side of the bus's rule, done directly: each event's envelope (a fresh envelope id, as
     * EventBridge gives) sent to the queue, 10 a call. For tests about what happens after the queue, where the
     * bus is not what is tested: moto_server's rule-to-SQS delivery costs about 0.7 s per event here (moto 5.2
     * with jsonpath-ng 1.8 builds a new JSONPath parser eight times per matched event), which fifty events would
     * turn into half a minute. The tests about the bus itself use {@link #putEvents}.
     */
    void enqueue(List<Tracking.Event> events) {
        for (int from = 0; from < events.size(); from += 10) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (Tracking.Event e : events.subList(from, Math.min(events.size(), from + 10))) {
                entries.add(SendMessageBatchRequestEntry.builder().id("e" + entries.size())
                        .messageBody(e.envelope(UUID.randomUUID().toString())).build());
            }
            var sent = sqs.sendMessageBatch(r -> r.queueUrl(trackingQueueUrl).entries(entries));
            if (!sent.failed().isEmpty()) throw new AssertionError("SQS refused " + sent.failed());
        }
    }

    void enqueue(Tracking.Event... events) {
        enqueue(List.of(events));
    }

    /** Envelopes as EventBridge delivers them to the tracking queue, whatever their source (PRODUCT §2.5). */
    void enqueueEnvelopes(String... envelopes) {
        for (String envelope : envelopes) sqs.sendMessage(r -> r.queueUrl(trackingQueueUrl).messageBody(envelope));
    }

    /**
     * Runs every event source mapping until the whole system is at rest: the tracking queue, then the stream
     * (qualification, alerts), again and again while any of them delivered something.
     */
    int settle() {
        int total = Delivery.drainAll(100, List.of(trackingDelivery, qualificationDelivery, alertsDelivery));
        if (engines.deliversAsynchronously()) {
            // LocalStack hands SNS and EventBridge messages on after the call returns: settle only when quiet.
            for (int quiet = 0; quiet < 3; ) {
                sleep(Duration.ofMillis(300));
                int more = Delivery.drainAll(100, List.of(trackingDelivery, qualificationDelivery, alertsDelivery));
                total += more;
                quiet = more == 0 ? quiet + 1 : 0;
            }
        }
        return total;
    }

    // -------------------------------------------------------------------------------------- observing

    /** The contact as the functions store it: its own and its linked visitors' signals, stage, history, version. */
    StoredContact load(String email) {
        return contacts.load(email).orElseThrow(() -> new AssertionError("no contact stored for " + email));
    }

    boolean exists(String email) {
        return contacts.load(email).isPresent();
    }

    /** What the policy makes of the stored contact now. */
    Decision evaluate(String email) {
        StoredContact stored = load(email);
        return policy.evaluate(stored.contact(), stored.tallyUnder(policy), Instant.now());
    }

    /** The items of a contact's partition whose sort key starts with {@code skPrefix} (ALERT#, DEAL#, E#, ...). */
    List<Map<String, AttributeValue>> items(String email, String skPrefix) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        dynamoDb.queryPaginator(r -> r.tableName(TABLE).consistentRead(true)
                        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                        .expressionAttributeNames(Map.of("#pk", ContactTable.PK, "#sk", ContactTable.SK))
                        .expressionAttributeValues(Map.of(
                                ":pk", AttributeValue.fromS(ContactTable.contactKey(email)),
                                ":prefix", AttributeValue.fromS(skPrefix))))
                .items().forEach(out::add);
        return out;
    }

    /** One message published on the alerts topic, as the subscribed SQS queue received it (SNS's envelope). */
    record Published(JsonNode notification, JsonNode message) {
        String attribute(String name) {
            JsonNode a = notification.path("MessageAttributes").get(name);
            return a == null ? null : a.path("Value").asText();
        }
    }

    /** Every SNS message about {@code email} published on the alerts topic so far. */
    List<Published> alertsFor(String email) {
        List<Published> out = new ArrayList<>();
        for (QueueLog.Received r : awaitObserved(published, m -> emailOfAlert(m).equals(email))) {
            out.add(new Published(r.json(), QueueLog.json(r.json().path("Message").asText())));
        }
        return out;
    }

    /** Every {@code ContactBecameSalesQualified} envelope about {@code email} that reached the bus's rule. */
    List<JsonNode> qualificationEventsFor(String email) {
        return awaitObserved(qualificationEvents, m -> m.json() != null
                && email.equals(m.json().path("detail").path("contact").path("email").asText()))
                .stream().map(QueueLog.Received::json).toList();
    }

    private static String emailOfAlert(QueueLog.Received m) {
        if (m.json() == null) return "";
        JsonNode message = QueueLog.json(m.json().path("Message").asText("{}"));
        return message.path("contact").path("email").asText("");
    }

    private List<QueueLog.Received> awaitObserved(QueueLog log, Predicate<QueueLog.Received> which) {
        if (!engines.deliversAsynchronously()) return log.all().stream().filter(which).toList();
        return log.await(which, found -> false, Duration.ofSeconds(2));
    }

    /** A tap on the table's stream from now on: collects the records {@code which} accepts, delivers nothing. */
    StreamTap tap(Predicate<DynamodbStreamRecord> which) {
        return new StreamTap(streams, streamArn, which);
    }

    static final class StreamTap {
        private final List<DynamodbStreamRecord> records = new CopyOnWriteArrayList<>();
        private final DynamoDbStreamDelivery delivery;

        StreamTap(DynamoDbStreamsClient streams, String streamArn, Predicate<DynamodbStreamRecord> which) {
            delivery = DynamoDbStreamDelivery.builder(streams, streamArn, event -> {
                        records.addAll(event.getRecords());
                        return StreamsEventResponse.builder().withBatchItemFailures(List.of()).build();
                    })
                    .startingPosition(DynamoDbStreamDelivery.StartingPosition.LATEST)
                    .filter(Objects.requireNonNull(which))
                    .build();
            delivery.drain(); // fixes the position: only what is written from now on is seen
        }

        /** The accepted records written since the tap was made, oldest first. */
        List<DynamodbStreamRecord> take() {
            delivery.drain();
            return List.copyOf(records);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------ closing

    private void setProperty(String name, String value) {
        previousProperties.put(name, System.getProperty(name));
        System.setProperty(name, value);
    }

    @Override
    public void close() {
        trackingDelivery.close();
        qualificationDelivery.close();
        alertsDelivery.close();
        for (AutoCloseable c : List.<AutoCloseable>of(dynamoDb, streams, sqs, sns, eventBridge)) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing a client of an engine about to stop
            }
        }
        try {
            engines.close();
        } finally {
            previousProperties.forEach((name, value) -> {
                if (value == null) System.clearProperty(name);
                else System.setProperty(name, value);
            });
        }
    }
}
