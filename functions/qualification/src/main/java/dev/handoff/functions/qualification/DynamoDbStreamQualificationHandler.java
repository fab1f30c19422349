package dev.handoff.functions.qualification;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.handoff.aws.Clients;
import dev.handoff.aws.ContactTable;
import dev.handoff.aws.DynamoDbContacts;
import dev.handoff.aws.DynamoDbRequalifyRequests;
import dev.handoff.aws.Env;
import dev.handoff.aws.Log;
import dev.handoff.aws.Metric;
import dev.handoff.aws.Metrics;
import dev.handoff.aws.Priming;
import dev.handoff.aws.StreamImages;
import dev.handoff.core.StageMove;
import dev.handoff.core.app.Qualifier;
import dev.handoff.core.policy.Policy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Re-qualifies a contact whenever something that can change its decision is stored: a signal item of its own or
 * of a linked visitor, or a visitor link; and re-evaluates it without a new signal when the requalify tool asks
 * (a new {@link ContactTable#REQUALIFY} value on its profile, PRODUCT §7), which never undoes a person's backward
 * move. Its own writes (the profile's stage and history, the tally it folds) are not such changes, so it never
 * loops on them. A contact is evaluated once per batch, however many of its records the batch holds (a new signal
 * wins over a requalify request), through {@link DynamoDbContacts#maintaining} with the keys of the signal items
 * inserted, so that the read that decides also folds the partition's newest signals into its tally; an anonymous
 * visitor's partition is maintained alone. On a failure the batch is reported failed from the first record of
 * what failed on, as Lambda's ReportBatchItemFailures expects for streams.
 */
public final class DynamoDbStreamQualificationHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse>,
        org.crac.Resource {
    private final DynamoDbContacts store;
    private final Policy policy;
    private final Clock clock;
    private final Log log;
    /** SnapStart priming, set only on the Lambda wiring path (see {@link #beforeCheckpoint}). */
    private Priming.Step[] priming;

    /** Lambda's constructor: wired once from the environment (TABLE_NAME, POLICY or POLICY_FILE, the hash key). */
    public DynamoDbStreamQualificationHandler() {
        this(Env.system());
    }

    public DynamoDbStreamQualificationHandler(Env env) {
        this(env.policy(), env.require(Env.TABLE_NAME), Clients.dynamoDb(), env.log());
    }

    private DynamoDbStreamQualificationHandler(Policy policy, String table, DynamoDbClient dynamoDb, Log log) {
        this(new DynamoDbContacts(dynamoDb, table, policy), policy, Clock.systemUTC(), log);
        this.priming = new Priming.Step[] {
            () -> new DynamoDbStreamQualificationHandler(new DynamoDbContacts(Priming.dynamoDb(), table, policy), policy, Clock.systemUTC(), log.discarding()).handleRequest(primingEvent(), null),
            () -> Priming.realRequest(dynamoDb, table),
        };
        Priming.register(this);
    }

    /**
     * SnapStart priming: re-qualifies a synthetic contact (a signal inserted for it, and a visitor link) through this
     * handler's code with the same policy and table name, but a throwaway DynamoDB client that answers in-process
     * ({@link Priming}): nothing is read from or written to the table. Then one request the table refuses through
     * the real client ({@link Priming#realRequest}), so the connection path is warm too.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends org.crac.Resource> context) {
        if (priming != null) Priming.run(log, "qualification", priming);
    }

    @Override
    public void afterRestore(org.crac.Context<? extends org.crac.Resource> context) {}

    private static DynamodbEvent primingEvent() {
        List<DynamodbEvent.DynamodbStreamRecord> records = new java.util.ArrayList<>();
        String[][] keys = {
            {ContactTable.CONTACT_PREFIX + Priming.EMAIL,
                ContactTable.logKey(ContactTable.CONTACT_PREFIX + Priming.EMAIL, System.currentTimeMillis(), "e-priming")},
            {ContactTable.VISITOR_PREFIX + "v-priming",
                ContactTable.logKey(ContactTable.VISITOR_PREFIX + "v-priming", System.currentTimeMillis(), "e-priming-v")},
        };
        for (String[] key : keys) {
            com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord change =
                    new com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord();
            change.setKeys(Map.of(
                    ContactTable.PK, new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue().withS(key[0]),
                    ContactTable.SK, new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue().withS(key[1])));
            change.setSequenceNumber("priming");
            DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
            record.setEventName("INSERT");
            record.setDynamodb(change);
            records.add(record);
        }
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(records);
        return event;
    }

    public DynamoDbStreamQualificationHandler(DynamoDbContacts store, Policy policy, Clock clock, Log log) {
        this.store = store;
        this.policy = policy;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, com.amazonaws.services.lambda.runtime.Context context) {
        return log.invocation(context, (log, metrics) -> qualify(event, log, metrics));
    }

    /** What a batch asks for, one per contact (or anonymous visitor), in the order of its first record. */
    private static final class Work {
        final String firstSequenceNumber;
        final String email;
        final String visitorPartition;
        boolean changed;
        final Map<String, List<String>> inserted = new HashMap<>();

        Work(String firstSequenceNumber, String email, String visitorPartition) {
            this.firstSequenceNumber = firstSequenceNumber;
            this.email = email;
            this.visitorPartition = visitorPartition;
        }
    }

    private StreamsEventResponse qualify(DynamodbEvent event, Log log, Metrics metrics) {
        Map<String, Work> work = new LinkedHashMap<>();
        for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
            String sequenceNumber = record.getDynamodb().getSequenceNumber();
            try {
                Optional<String> requested = requalifyRequestOf(record);
                if (requested.isPresent()) {
                    work.computeIfAbsent(requested.get(), e -> new Work(sequenceNumber, e, null));
                    continue;
                }
                if (!"INSERT".equals(record.getEventName()) && !"MODIFY".equals(record.getEventName())) continue;
                Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> keys = record.getDynamodb().getKeys();
                String pk = keys.get(ContactTable.PK).getS();
                String sk = keys.get(ContactTable.SK).getS();
                boolean signal = "INSERT".equals(record.getEventName()) && ContactTable.isLogKey(sk);
                if (!signal && !ContactTable.isVisitorLinkKey(sk)) continue;
                Optional<String> email = ContactTable.isContactKey(pk) ? Optional.of(ContactTable.emailOf(pk))
                        : ContactTable.isVisitorKey(pk) ? store.emailOfVisitor(ContactTable.visitorIdOf(pk)) : Optional.empty();
                if (email.isEmpty() && !signal) continue;
                Work w = email.isPresent()
                        ? work.computeIfAbsent(email.get(), e -> new Work(sequenceNumber, e, null))
                        : work.computeIfAbsent(pk, p -> new Work(sequenceNumber, null, p));
                w.changed = true;
                if (signal) w.inserted.computeIfAbsent(pk, p -> new ArrayList<>()).add(sk);
            } catch (RuntimeException e) {
                return failedFrom(sequenceNumber, e, log);
            }
        }
        for (Work w : work.values()) {
            try {
                if (w.email == null) {
                    // An anonymous visitor's signals count for nobody yet: keep its partition folded.
                    store.maintain(w.visitorPartition, w.inserted.getOrDefault(w.visitorPartition, List.of()));
                    continue;
                }
                Qualifier qualifier = new Qualifier(store.maintaining(w.inserted), policy, clock);
                Qualifier.Outcome outcome = w.changed ? qualifier.qualify(w.email) : qualifier.requalify(w.email);
                if (outcome instanceof Qualifier.Outcome.Moved moved) {
                    // An entry and a qualification can happen in one evaluation: log each move.
                    for (StageMove move : moved.moves()) {
                        log.info("stage moved", "contact", log.contact(w.email),
                                "from", move.from() == null ? "(new)" : move.from().id(), "to", move.to().id(),
                                "reason", move.reason().code());
                        metrics.count(Metric.StageMoves, move.to().id());
                    }
                    if (moved.alert() != null) log.info("sql alert recorded", "alertId", moved.alert().alertId());
                } else if (!w.changed) {
                    log.info("requalified, unchanged", "contact", log.contact(w.email));
                }
            } catch (RuntimeException e) {
                return failedFrom(w.firstSequenceNumber, e, log);
            }
        }
        return StreamsEventResponse.builder().withBatchItemFailures(List.of()).build();
    }

    private static StreamsEventResponse failedFrom(String sequenceNumber, RuntimeException e, Log log) {
        log.error("qualification failed; the batch is retried from this record",
                "sequenceNumber", sequenceNumber, "error", e.getClass().getSimpleName());
        return StreamsEventResponse.builder()
                .withBatchItemFailures(List.of(new StreamsEventResponse.BatchItemFailure(sequenceNumber)))
                .build();
    }

    /** The contact whose profile change is a requalify request (a new requalify run id), if the record is one. */
    private static Optional<String> requalifyRequestOf(DynamodbEvent.DynamodbStreamRecord record) {
        if (!"MODIFY".equals(record.getEventName())) return Optional.empty();
        var change = record.getDynamodb();
        String pk = change.getKeys().get(ContactTable.PK).getS();
        if (!ContactTable.isContactKey(pk) || !ContactTable.isProfileKey(change.getKeys().get(ContactTable.SK).getS())) {
            return Optional.empty();
        }
        return DynamoDbRequalifyRequests.isRequest(StreamImages.toSdk(change.getOldImage()), StreamImages.toSdk(change.getNewImage()))
                ? Optional.of(ContactTable.emailOf(pk))
                : Optional.empty();
    }
}
