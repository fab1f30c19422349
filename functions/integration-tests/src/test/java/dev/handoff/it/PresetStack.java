package dev.handoff.it;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.handoff.aws.ContactTable;
import dev.handoff.aws.DynamoDbContacts;
import dev.handoff.aws.Env;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The function set deployed with another preset (POLICY={@code sales-accepted}, {@code sdr-meeting-booked}) next
 * to the {@link Stack}'s score-threshold one, on the same engines: its own table (and stream), its own tracking
 * queue, and its own form, tracking, qualification, alert and sales functions built from their environment. The
 * alerts go to the stack's alerts topic, so {@link Stack#alertsFor} sees them. One per preset and JVM.
 */
final class PresetStack {
    private static final Map<String, PresetStack> STARTED = new ConcurrentHashMap<>();

    final Stack stack;
    final String preset;
    final String table;
    final Policy policy;
    final Map<String, String> functionEnv;
    final String trackingQueueUrl;
    final Invocations<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> forms;
    final SalesApi sales;
    final DynamoDbContacts contacts;
    final List<DynamoDbStreamDelivery.FailedBatch> givenUp = new CopyOnWriteArrayList<>();
    private volatile List<Delivery> deliveries;

    static PresetStack of(Stack stack, String preset) {
        return STARTED.computeIfAbsent(preset, p -> new PresetStack(stack, p, Stack.TABLE + "-" + p, Map.of(Env.POLICY, p)));
    }

    /** A stack of one's own, with its own table, deployed with {@code preset}: for a test that scans its table. */
    static PresetStack own(Stack stack, String preset, String tag) {
        return new PresetStack(stack, preset, Stack.TABLE + "-" + tag, Map.of(Env.POLICY, preset));
    }

    /** A stack of one's own with the policy of a file ({@code POLICY_FILE}), named {@code key}, with its own table. */
    static PresetStack withPolicyFile(Stack stack, String key, java.nio.file.Path file) {
        return STARTED.computeIfAbsent(key, k -> new PresetStack(stack, k, Stack.TABLE + "-" + k,
                Map.of(Env.POLICY_FILE, file.toString())));
    }

    private PresetStack(Stack stack, String preset, String table, Map<String, String> policyEnv) {
        this.stack = stack;
        this.preset = preset;
        this.table = table;
        ContactTable.create(stack.dynamoDb, table);
        String streamArn = DynamoDbStreamDelivery.latestStreamArn(stack.dynamoDb, table);
        trackingQueueUrl = stack.sqs.createQueue(r -> r.queueName("it-tracking-" + table)
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30"))).queueUrl();

        Map<String, String> env = new java.util.HashMap<>(policyEnv);
        env.put(Env.TABLE_NAME, table);
        functionEnv = Map.copyOf(env);
        policy = new Env(functionEnv).policy();

        forms = new Invocations<>("handoff-form-submission-" + preset, new ApiGatewayFormSubmissionHandler(new Env(functionEnv))::handleRequest);
        sales = new SalesApi(functionEnv);
        this.streamArn = streamArn;
        deliveries = deploy(policyEnv, preset, DynamoDbStreamDelivery.StartingPosition.TRIM_HORIZON);
        contacts = new DynamoDbContacts(stack.dynamoDb, table, policy.engagementWindowDays());
    }

    private final String streamArn;

    /** The tracking, qualification and alert functions deployed with the policy of {@code policyEnv}, on their triggers. */
    private List<Delivery> deploy(Map<String, String> policyEnv, String preset, DynamoDbStreamDelivery.StartingPosition from) {
        Map<String, String> vars = new java.util.HashMap<>(policyEnv);
        vars.put(Env.TABLE_NAME, table);
        Map<String, String> env = Map.copyOf(vars);
        vars.put(Env.ALERTS_TOPIC_ARN, stack.alertsTopicArn);
        vars.put(Env.EVENT_BUS_NAME, Stack.BUS);
        Map<String, String> alertsEnv = Map.copyOf(vars);
        Invocations<SQSEvent, SQSBatchResponse> tracking =
                new Invocations<>("handoff-tracking-" + preset, new SqsTrackingEventHandler(new Env(env))::handleRequest);
        Invocations<DynamodbEvent, StreamsEventResponse> qualification = new Invocations<>("handoff-qualification-" + preset,
                new DynamoDbStreamQualificationHandler(new Env(env))::handleRequest);
        Invocations<DynamodbEvent, StreamsEventResponse> alerts =
                new Invocations<>("handoff-alerts-" + preset, new DynamoDbStreamAlertHandler(new Env(alertsEnv))::handleRequest);
        List<Delivery> out = List.of(
                SqsDelivery.builder(stack.sqs, trackingQueueUrl, tracking).batchSize(25).build(),
                DynamoDbStreamDelivery.builder(stack.streams, streamArn, qualification).startingPosition(from)
                        .batchSize(100).maxRetryAttempts(5).filter(Stack::qualificationFilter).onFailure(givenUp::add).build(),
                DynamoDbStreamDelivery.builder(stack.streams, streamArn, alerts).startingPosition(from)
                        .batchSize(10).maxRetryAttempts(10).filter(Stack::alertsFilter).onFailure(givenUp::add).build());
        if (from == DynamoDbStreamDelivery.StartingPosition.LATEST) out.forEach(Delivery::drain); // fixes the positions
        return out;
    }

    /**
     * A new deployment of the functions with another preset, as {@code sam deploy} would make it: everything up to
     * now is delivered by the old functions, the new ones take the stream from there.
     */
    void redeploy(String preset) {
        settle();
        deliveries = deploy(Map.of(Env.POLICY, preset), preset, DynamoDbStreamDelivery.StartingPosition.LATEST);
    }

    /** Tracking events as the bus's rule delivers them to this preset's tracking queue. */
    void enqueue(Tracking.Event... events) {
        for (Tracking.Event e : events) {
            stack.sqs.sendMessage(r -> r.queueUrl(trackingQueueUrl).messageBody(e.envelope(UUID.randomUUID().toString())));
        }
    }

    /** Runs this preset's event source mappings until everything is at rest (see {@link Stack#settle}). */
    int settle() {
        int total = Delivery.drainAll(100, deliveries);
        if (stack.engines.deliversAsynchronously()) {
            for (int quiet = 0; quiet < 3; ) {
                sleep(Duration.ofMillis(300));
                int more = Delivery.drainAll(100, deliveries);
                total += more;
                quiet = more == 0 ? quiet + 1 : 0;
            }
        }
        if (!givenUp.isEmpty()) throw new AssertionError("a stream delivery gave up on records: " + new ArrayList<>(givenUp));
        return total;
    }

    StoredContact load(String email) {
        return contacts.load(email).orElseThrow(() -> new AssertionError("no contact stored for " + email));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
