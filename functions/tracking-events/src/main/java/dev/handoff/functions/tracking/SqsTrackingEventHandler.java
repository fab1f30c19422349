package dev.handoff.functions.tracking;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.handoff.aws.Clients;
import dev.handoff.aws.DynamoDbContacts;
import dev.handoff.aws.DynamoDbVisitorLinks;
import dev.handoff.aws.PartnerEventJson;
import dev.handoff.aws.Env;
import dev.handoff.aws.Log;
import dev.handoff.aws.Metric;
import dev.handoff.aws.Metrics;
import dev.handoff.aws.Priming;
import dev.handoff.aws.TrackingEventJson;
import dev.handoff.aws.UndecodableEventException;
import dev.handoff.core.app.Ingest;
import dev.handoff.core.app.VisitorIdentified;
import dev.handoff.core.policy.Policy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crac.Context;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Tracking events (PRODUCT §2.2): SQS batches whose bodies are EventBridge envelopes. Each message is recorded on
 * its own; a failure is reported for that message alone, so the rest of the batch is not retried and a message
 * that can never be understood goes to the dead-letter queue through the queue's redrive policy.
 */
public final class SqsTrackingEventHandler implements RequestHandler<SQSEvent, SQSBatchResponse>, Resource {
    private final Ingest ingest;
    private final Clock clock;
    private final Log log;
    private final VisitorIdentified.Links links;
    private final String policyVersion;
    /** SnapStart priming, set only on the Lambda wiring path (see {@link #beforeCheckpoint}). */
    private Priming.Step[] priming;

    /** Lambda's constructor: wired once from the environment (TABLE_NAME, POLICY or POLICY_FILE, the hash key). */
    public SqsTrackingEventHandler() {
        this(Env.system());
    }

    public SqsTrackingEventHandler(Env env) {
        this(env.policy(), env.require(Env.TABLE_NAME), Clients.dynamoDb(), env.log());
    }

    private SqsTrackingEventHandler(Policy policy, String table, DynamoDbClient dynamoDb, Log log) {
        this(new Ingest(new DynamoDbContacts(dynamoDb, table, policy)),
                new DynamoDbVisitorLinks(dynamoDb, table), policy.version(), Clock.systemUTC(), log);
        this.priming = new Priming.Step[] {
            () -> new SqsTrackingEventHandler(new Ingest(new DynamoDbContacts(Priming.dynamoDb(), table, policy)),
                    new DynamoDbVisitorLinks(Priming.dynamoDb(), table), policy.version(), Clock.systemUTC(), log.discarding())
                    .handleRequest(primingEvent(), null),
            () -> Priming.realRequest(dynamoDb, table),
        };
        Priming.register(this);
    }

    /**
     * SnapStart priming: decodes a synthetic batch (one event of every detail-type, by a visitor or a contact, and
     * one undecodable body) and records it through this handler's code with the same table name, but a
     * throwaway DynamoDB client that answers in-process ({@link Priming}): nothing is stored. Then one request the
     * table refuses through the real client ({@link Priming#realRequest}), so the first batch after a restore finds
     * the connection path warm too.
     */
    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        if (priming != null) Priming.run(log, "tracking-events", priming);
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {}

    private static SQSEvent primingEvent() {
        // Every detail-type, at a time inside the window: each decoder and scoring path the first real batch can
        // take is loaded and compiled here, not after the restore.
        String at = java.time.Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        String visitor = "{\"visitorId\": \"v-priming\"}";
        String known = "{\"email\": \"" + Priming.EMAIL + "\"}";
        List<String> bodies = new ArrayList<>();
        String[][] events = {
            {"PageViewed", visitor, ", \"page\": {\"url\": \"https://www.example.com/pricing\"}"},
            {"SessionStarted", visitor, ""},
            {"EmailOpened", known, ", \"email\": {\"campaignId\": \"priming\"}"},
            {"EmailClicked", known, ", \"email\": {\"campaignId\": \"priming\", \"link\": \"https://www.example.com/docs\"}"},
            {"ContentDownloaded", known, ", \"asset\": {\"id\": \"priming\", \"type\": \"datasheet\", \"gated\": true}"},
            {"WebinarAttended", known, ", \"webinar\": {\"id\": \"priming\"}"},
            {"MeetingBooked", known, ", \"meeting\": {\"owner\": \"priming\", \"startsAt\": \"" + at + "\"}"},
            {"SalesActivityLogged", known, ", \"activity\": {\"type\": \"call\", \"owner\": \"priming\"}"},
            {"SalesAccepted", known, ", \"owner\": \"priming\""},
        };
        for (String[] e : events) {
            String id = "priming-" + e[0];
            bodies.add("{\"version\": \"0\", \"id\": \"" + id + "\", \"detail-type\": \"" + e[0] + "\", "
                    + "\"source\": \"" + TrackingEventJson.SOURCE + "\", \"time\": \"" + at + "\", "
                    + "\"detail\": {\"eventId\": \"" + id + "\", \"occurredAt\": \"" + at + "\", "
                    + "\"contact\": " + e[1] + e[2] + "}}");
        }
        bodies.add("not json");
        List<SQSEvent.SQSMessage> messages = new ArrayList<>();
        int n = 0;
        for (String body : bodies) {
            SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
            m.setMessageId("priming-" + ++n);
            m.setBody(body);
            m.setAttributes(Map.of("ApproximateReceiveCount", "1"));
            messages.add(m);
        }
        SQSEvent event = new SQSEvent();
        event.setRecords(messages);
        return event;
    }

    /** Without identify links: Segment's and RudderStack's identify events fail (and are retried). */
    public SqsTrackingEventHandler(Ingest ingest, Log log) {
        this(ingest, Clock.systemUTC(), log);
    }

    /** @param clock the clock a signal's time is checked against ({@link dev.handoff.core.SignalTime}) */
    public SqsTrackingEventHandler(Ingest ingest, Clock clock, Log log) {
        this(ingest, null, null, clock, log);
    }

    /**
     * @param links where a Segment or RudderStack {@code identify} links a visitor to a contact
     * @param policyVersion recorded with the entry stage of a contact an identify creates
     */
    public SqsTrackingEventHandler(Ingest ingest, VisitorIdentified.Links links, String policyVersion, Clock clock, Log log) {
        this.ingest = ingest;
        this.links = links;
        this.policyVersion = policyVersion;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, com.amazonaws.services.lambda.runtime.Context context) {
        Log log = this.log.forRequest(context);
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        int recorded = 0;
        int duplicates = 0;
        int ignored = 0;
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            try {
                for (PartnerEventJson.Inbound inbound : PartnerEventJson.decode(message.getBody(), clock.instant())) {
                    switch (inbound) {
                        case PartnerEventJson.Inbound.Track t -> {
                            if (ingest.track(t.event())) recorded++;
                            else duplicates++;
                        }
                        case PartnerEventJson.Inbound.Identify i -> {
                            if (links == null) throw new IllegalStateException("this handler was built without identify links");
                            links.link(i.identified(), VisitorIdentified.ENTRY_STAGE, policyVersion);
                            recorded++;
                        }
                        case PartnerEventJson.Inbound.Ignored i -> {
                            // Segment's track calls, SES deliveries and the like: understood, and of no use here.
                            log.info("event ignored", "messageId", message.getMessageId(), "reason", i.reason());
                            ignored++;
                        }
                    }
                }
            } catch (UndecodableEventException e) {
                // Fails every delivery, so redrive moves it to the DLQ after maxReceiveCount; the reason names no value.
                log.warn("tracking event cannot be understood", "messageId", message.getMessageId(), "reason", e.getMessage(),
                        "receiveCount", message.getAttributes() == null ? null : message.getAttributes().get("ApproximateReceiveCount"));
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            } catch (RuntimeException e) {
                log.error("tracking event not recorded; it will be retried", "messageId", message.getMessageId(),
                        "error", e.getClass().getSimpleName());
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        log.info("tracking batch", "messages", event.getRecords().size(), "recorded", recorded, "duplicates", duplicates,
                "ignored", ignored, "failed", failures.size());
        Metrics metrics = log.metrics();
        if (recorded > 0) metrics.count(Metric.TrackingEvents, recorded);
        if (duplicates > 0) metrics.count(Metric.DuplicateEvents, duplicates);
        metrics.flush();
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }
}
