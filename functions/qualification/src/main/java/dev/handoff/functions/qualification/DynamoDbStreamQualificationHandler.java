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
import dev.handoff.core.app.ContactStore;
import dev.handoff.core.app.Qualifier;
import dev.handoff.core.policy.Policy;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Re-qualifies a contact whenever something that can change its decision is stored: a new signal (its own or a
 * linked visitor's) or a new visitor link; and re-evaluates it without a new signal when the requalify tool asks
 * (a new {@link ContactTable#REQUALIFY} value on its profile, PRODUCT §7), which never undoes a person's backward
 * move. Its own writes (the profile's stage and history) are not such changes, so it never loops on them. A
 * contact is evaluated once per batch, however many of its records the batch holds (a new signal wins over a
 * requalify request); on a failure the batch is reported failed from that record on, as Lambda's
 * ReportBatchItemFailures expects for streams.
 */
public final class DynamoDbStreamQualificationHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse>,
        org.crac.Resource {
    private final ContactStore store;
    private final Qualifier qualifier;
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
        this(new DynamoDbContacts(dynamoDb, table, policy.engagementWindowDays()), policy, Clock.systemUTC(), log);
        this.priming = new Priming.Step[] {
            () -> new DynamoDbStreamQualificationHandler(new DynamoDbContacts(Priming.dynamoDb(), table,
                    policy.engagementWindowDays()), policy, Clock.systemUTC(), log.discarding()).handleRequest(primingEvent(), null),
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
            {ContactTable.CONTACT_PREFIX + Priming.EMAIL, ContactTable.SIGNAL_PREFIX + "2026-01-01T00:00:00Z#priming"},
            {ContactTable.VISITOR_PREFIX + "v-priming", ContactTable.SIGNAL_PREFIX + "2026-01-01T00:00:00Z#priming"},
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

    public DynamoDbStreamQualificationHandler(ContactStore store, Policy policy, Clock clock, Log log) {
        this.store = store;
        this.qualifier = new Qualifier(store, policy, clock);
        this.log = log;
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, com.amazonaws.services.lambda.runtime.Context context) {
        return log.invocation(context, (log, metrics) -> qualify(event, log, metrics));
    }

    private StreamsEventResponse qualify(DynamodbEvent event, Log log, Metrics metrics) {
        Set<String> done = new HashSet<>();
        Set<String> requalified = new HashSet<>();
        for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
            try {
                String email;
                Qualifier.Outcome outcome;
                Optional<String> requested = requalifyRequestOf(record);
                if (requested.isPresent()) {
                    email = requested.get();
                    if (done.contains(email) || !requalified.add(email)) continue;
                    outcome = qualifier.requalify(email);
                } else {
                    Optional<String> changed = contactOf(record);
                    if (changed.isEmpty() || !done.add(changed.get())) continue;
                    email = changed.get();
                    outcome = qualifier.qualify(email);
                }
                if (outcome instanceof Qualifier.Outcome.Moved moved) {
                    // An entry and a qualification can happen in one evaluation: log each move.
                    for (StageMove move : moved.moves()) {
                        log.info("stage moved", "contact", log.contact(email),
                                "from", move.from() == null ? "(new)" : move.from().id(), "to", move.to().id(),
                                "reason", move.reason().code());
                        metrics.count(Metric.StageMoves, move.to().id());
                    }
                    if (moved.alert() != null) log.info("sql alert recorded", "alertId", moved.alert().alertId());
                } else if (requested.isPresent()) {
                    log.info("requalified, unchanged", "contact", log.contact(email));
                }
            } catch (RuntimeException e) {
                log.error("qualification failed; the batch is retried from this record",
                        "sequenceNumber", record.getDynamodb().getSequenceNumber(), "error", e.getClass().getSimpleName());
                return StreamsEventResponse.builder()
                        .withBatchItemFailures(List.of(new StreamsEventResponse.BatchItemFailure(record.getDynamodb().getSequenceNumber())))
                        .build();
            }
        }
        return StreamsEventResponse.builder().withBatchItemFailures(List.of()).build();
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

    /** The contact a stream record is about, when the record is a change that can move it. */
    private Optional<String> contactOf(DynamodbEvent.DynamodbStreamRecord record) {
        if (!"INSERT".equals(record.getEventName())) return Optional.empty();
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> keys = record.getDynamodb().getKeys();
        String pk = keys.get(ContactTable.PK).getS();
        String sk = keys.get(ContactTable.SK).getS();
        if (!ContactTable.isSignalKey(sk) && !ContactTable.isVisitorLinkKey(sk)) return Optional.empty();
        if (ContactTable.isContactKey(pk)) return Optional.of(ContactTable.emailOf(pk));
        if (ContactTable.isVisitorKey(pk)) return store.emailOfVisitor(ContactTable.visitorIdOf(pk));
        return Optional.empty();
    }
}
