package dev.handoff.aws;

import static dev.handoff.aws.ContactTable.ALERT;
import static dev.handoff.aws.ContactTable.AMOUNT;
import static dev.handoff.aws.ContactTable.CREATED_AT;
import static dev.handoff.aws.ContactTable.DEAL_ID;
import static dev.handoff.aws.ContactTable.DEAL_STAGE;
import static dev.handoff.aws.ContactTable.EMAIL;
import static dev.handoff.aws.ContactTable.EVENT_PUT_AT;
import static dev.handoff.aws.ContactTable.HISTORY;
import static dev.handoff.aws.ContactTable.PIPELINE;
import static dev.handoff.aws.ContactTable.PK;
import static dev.handoff.aws.ContactTable.PROPERTY_PREFIX;
import static dev.handoff.aws.ContactTable.PUBLISHED_AT;
import static dev.handoff.aws.ContactTable.SK;
import static dev.handoff.aws.ContactTable.SNS_MESSAGE_ID;
import static dev.handoff.aws.ContactTable.STAGE;
import static dev.handoff.aws.ContactTable.UPDATED_AT;
import static dev.handoff.aws.ContactTable.VERSION;
import static dev.handoff.aws.ContactTable.VISITOR_IDS;

import dev.handoff.core.Contact;
import dev.handoff.core.Reason;
import dev.handoff.core.Signal;
import dev.handoff.core.Stage;
import dev.handoff.core.StageMove;
import dev.handoff.core.app.AlertDispatcher;
import dev.handoff.core.app.ContactRef;
import dev.handoff.core.app.ContactStore;
import dev.handoff.core.app.Deal;
import dev.handoff.core.app.FormIntake;
import dev.handoff.core.app.FormSubmission;
import dev.handoff.core.app.SqlAlert;
import dev.handoff.core.app.StoredContact;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Contacts, signals and the SQL alert outbox in the one DynamoDB table described by {@link ContactTable}.
 *
 * <ul>
 *   <li>A tracking event is one PutItem of one small signal item, deduplicated by its condition
 *       ({@code attribute_not_exists(pk)}): 1 WRU, no read.</li>
 *   <li>A form post is one transaction: the form's signal (which deduplicates it), the profile's properties as
 *       plain SETs (no read), and the visitor's link.</li>
 *   <li>Stage moves are one transaction conditional on the profile's version, with the alert's outbox item when
 *       the move enters SQL, so a move and its alert are written once or not at all.</li>
 *   <li>An import's properties are one UpdateItem of the profile; erasing a person is Queries of its partition and
 *       its visitors' and BatchWriteItem deletes.</li>
 * </ul>
 *
 * Errors propagate; nothing is logged here. A transaction cancelled only because another transaction was
 * touching the same item at that instant ({@code TransactionConflict}, which writes nothing) is tried again a few
 * times before it propagates.
 */
public final class DynamoDbContacts implements ContactStore, AlertDispatcher.AlertLedger {

    /** What one request consumed, reported to the listener given to the constructor. */
    public record Capacity(String operation, boolean write, double units) {}

    /** The alert's outbox item is gone: the contact was erased, so there is nothing to send. */
    public static final class AlertGoneException extends IllegalStateException {
        AlertGoneException(String alertId) {
            super("the alert " + alertId + " is no longer stored (the contact was erased)");
        }
    }

    static final int TRANSACTION_ATTEMPTS = 5;
    private static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailed";
    private static final String TRANSACTION_CONFLICT = "TransactionConflict";
    private static final AttributeValue ONE = AttributeValue.fromN("1");
    private static final AttributeValue EMPTY_LIST = AttributeValue.fromL(List.of());

    private final DynamoDbClient ddb;
    private final String table;
    private final int engagementWindowDays;
    private final Clock clock;
    private final Consumer<Capacity> capacityListener;
    private final ReturnConsumedCapacity returnCapacity;

    /**
     * @param engagementWindowDays the policy's engagement window: an engagement signal's item expires one day
     *     after it has left the window
     */
    public DynamoDbContacts(DynamoDbClient ddb, String table, int engagementWindowDays) {
        this(ddb, table, engagementWindowDays, Clock.systemUTC(), null);
    }

    /**
     * @param capacityListener when not null, every request asks for {@code ReturnConsumedCapacity.TOTAL} and
     *     what it consumed is reported here (tests measure WRU and RRU with it)
     */
    public DynamoDbContacts(DynamoDbClient ddb, String table, int engagementWindowDays, Clock clock,
            Consumer<Capacity> capacityListener) {
        this.ddb = Objects.requireNonNull(ddb, "ddb");
        this.table = Objects.requireNonNull(table, "table");
        if (engagementWindowDays < 0) throw new IllegalArgumentException("engagementWindowDays must be 0 or more");
        this.engagementWindowDays = engagementWindowDays;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.capacityListener = capacityListener;
        this.returnCapacity = capacityListener == null ? ReturnConsumedCapacity.NONE : ReturnConsumedCapacity.TOTAL;
    }

    // ContactStore

    @Override
    public boolean recordSignal(ContactRef who, Signal signal) {
        String pk = switch (who) {
            case ContactRef.ByEmail e -> ContactTable.contactKey(e.email().value());
            case ContactRef.ByVisitor v -> ContactTable.visitorKey(v.visitorId().value());
        };
        try {
            PutItemResponse response = ddb.putItem(b -> b
                    .tableName(table)
                    .item(SignalItems.toItem(pk, signal, engagementWindowDays))
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK))
                    .returnConsumedCapacity(returnCapacity));
            report("PutItem", true, response.consumedCapacity());
            return true;
        } catch (ConditionalCheckFailedException duplicate) {
            return false;
        }
    }

    @Override
    public boolean recordSubmission(FormSubmission submission) {
        String email = submission.email().value();
        String pk = ContactTable.contactKey(email);
        AttributeValue now = s(clock.instant().toString());
        String visitorId = submission.visitorId() == null ? null : submission.visitorId().value();

        List<TransactWriteItem> writes = new ArrayList<>(3);
        writes.add(TransactWriteItem.builder().put(Put.builder()
                .tableName(table)
                .item(SignalItems.toItem(pk, submission.signal(), engagementWindowDays))
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", PK))
                .build()).build());

        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#updatedAt", UPDATED_AT);
        names.put("#createdAt", CREATED_AT);
        names.put("#ver", VERSION);
        values.put(":now", now);
        values.put(":one", ONE);
        StringBuilder set = new StringBuilder("SET #updatedAt = :now, #createdAt = if_not_exists(#createdAt, :now)");
        int i = 0;
        for (Map.Entry<String, String> p : new TreeMap<>(submission.properties()).entrySet()) {
            set.append(", #p").append(i).append(" = :p").append(i);
            names.put("#p" + i, PROPERTY_PREFIX + p.getKey());
            values.put(":p" + i, s(p.getValue()));
            if (FormIntake.FIRST_TOUCH.contains(p.getKey())) {
                // First-touch attribution: written by the first post that carries the field, never replaced.
                set.append(", #f").append(i).append(" = if_not_exists(#f").append(i).append(", :p").append(i).append(')');
                names.put("#f" + i, PROPERTY_PREFIX + FormIntake.FIRST_PREFIX + p.getKey());
            }
            i++;
        }
        StringBuilder add = new StringBuilder(" ADD #ver :one");
        if (visitorId != null) {
            add.append(", #vids :vids");
            names.put("#vids", VISITOR_IDS);
            values.put(":vids", AttributeValue.fromSs(List.of(visitorId)));
        }
        writes.add(TransactWriteItem.builder().update(Update.builder()
                .tableName(table)
                .key(key(pk, ContactTable.PROFILE))
                .updateExpression(set.append(add).toString())
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build()).build());

        if (visitorId != null) {
            writes.add(TransactWriteItem.builder().put(Put.builder()
                    .tableName(table)
                    .item(Map.of(
                            PK, s(ContactTable.visitorKey(visitorId)),
                            SK, s(ContactTable.LINK),
                            EMAIL, s(email),
                            UPDATED_AT, now))
                    .build()).build());
        }

        TransactionCanceledException cancelled = transact(writes);
        if (cancelled == null) return true;
        if (conditionFailed(cancelled, 0)) return false;
        throw cancelled;
    }

    @Override
    public Optional<StoredContact> load(String email) {
        String normalized = email;
        Map<String, AttributeValue> profile = null;
        List<Signal> signals = new ArrayList<>();
        for (Map<String, AttributeValue> item : queryPartition(ContactTable.contactKey(normalized))) {
            String sk = item.get(SK).s();
            if (ContactTable.isProfileKey(sk)) {
                profile = item;
            } else if (ContactTable.isSignalKey(sk)) {
                signals.add(SignalItems.fromItem(item));
            }
            // ALERT# and DEAL# items are the alert's, not the contact's.
        }
        if (profile == null && signals.isEmpty()) return Optional.empty();

        Map<String, String> properties = new TreeMap<>();
        List<StageMove> history = List.of();
        Stage stage = null;
        long version = 0;
        TreeSet<String> visitorIds = new TreeSet<>();
        if (profile != null) {
            for (Map.Entry<String, AttributeValue> a : profile.entrySet()) {
                if (a.getKey().startsWith(PROPERTY_PREFIX) && a.getValue().s() != null) {
                    properties.put(a.getKey().substring(PROPERTY_PREFIX.length()), a.getValue().s());
                }
            }
            String stageId = SignalItems.str(profile, STAGE);
            if (stageId != null) {
                stage = Stage.fromId(stageId).orElseThrow(() -> new IllegalStateException("a profile with unknown stage " + stageId));
            }
            AttributeValue hist = profile.get(HISTORY);
            if (hist != null && hist.hasL()) history = hist.l().stream().map(DynamoDbContacts::moveOf).toList();
            AttributeValue ver = profile.get(VERSION);
            if (ver != null && ver.n() != null) version = Long.parseLong(ver.n());
            AttributeValue vids = profile.get(VISITOR_IDS);
            if (vids != null && vids.hasSs()) visitorIds.addAll(vids.ss());
        }

        // A visitor's events count for the contact its LINK names; a visitor later linked to someone else
        // (a shared computer) counts for that person instead. The LINK comes with the partition's query: no extra read.
        List<String> linked = new ArrayList<>(visitorIds.size());
        for (String visitorId : visitorIds) {
            List<Map<String, AttributeValue>> items = queryPartition(ContactTable.visitorKey(visitorId));
            boolean linkedHere = items.stream().anyMatch(item -> ContactTable.isVisitorLinkKey(item.get(SK).s())
                    && normalized.equals(SignalItems.str(item, EMAIL)));
            if (!linkedHere) continue;
            linked.add(visitorId);
            for (Map<String, AttributeValue> item : items) {
                if (ContactTable.isSignalKey(item.get(SK).s())) signals.add(SignalItems.fromItem(item));
            }
        }

        signals.sort(Comparator.comparing(Signal::occurredAt).thenComparing(Signal::id));
        Contact contact = new Contact(normalized, properties, new LinkedHashSet<>(linked), signals, stage, history);
        return Optional.of(new StoredContact(contact, version));
    }

    @Override
    public Optional<String> emailOfVisitor(String visitorId) {
        GetItemResponse response = ddb.getItem(b -> b
                .tableName(table)
                .key(key(ContactTable.visitorKey(requireText(visitorId, "visitorId")), ContactTable.LINK))
                .consistentRead(true)
                .projectionExpression("#email")
                .expressionAttributeNames(Map.of("#email", EMAIL))
                .returnConsumedCapacity(returnCapacity));
        report("GetItem", false, response.consumedCapacity());
        return response.hasItem() && !response.item().isEmpty()
                ? Optional.ofNullable(SignalItems.str(response.item(), EMAIL))
                : Optional.empty();
    }

    @Override
    public boolean recordMoves(String email, long expectedVersion, List<StageMove> moves, SqlAlert alert) {
        if (moves == null || moves.isEmpty()) throw new IllegalArgumentException("recordMoves needs at least one move");
        if (expectedVersion < 0) throw new IllegalArgumentException("expectedVersion must be 0 or more");
        String pk = ContactTable.contactKey(email);
        AttributeValue now = s(clock.instant().toString());

        Map<String, String> names = new HashMap<>();
        names.put("#ver", VERSION);
        names.put("#stage", STAGE);
        names.put("#hist", HISTORY);
        names.put("#createdAt", CREATED_AT);
        names.put("#updatedAt", UPDATED_AT);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":to", s(moves.get(moves.size() - 1).to().id()));
        values.put(":moves", AttributeValue.fromL(moves.stream().map(DynamoDbContacts::moveItem).toList()));
        values.put(":empty", EMPTY_LIST);
        values.put(":one", ONE);
        values.put(":now", now);
        String condition;
        if (expectedVersion == 0) {
            condition = "attribute_not_exists(#ver)";
        } else {
            condition = "#ver = :expected";
            values.put(":expected", AttributeValue.fromN(Long.toString(expectedVersion)));
        }
        List<TransactWriteItem> writes = new ArrayList<>(2);
        writes.add(TransactWriteItem.builder().update(Update.builder()
                .tableName(table)
                .key(key(pk, ContactTable.PROFILE))
                .updateExpression("SET #stage = :to, #hist = list_append(if_not_exists(#hist, :empty), :moves), "
                        + "#updatedAt = :now, #createdAt = if_not_exists(#createdAt, :now) ADD #ver :one")
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build()).build());
        if (alert != null) {
            writes.add(TransactWriteItem.builder().put(Put.builder()
                    .tableName(table)
                    .item(Map.of(
                            PK, s(pk),
                            SK, s(ContactTable.alertKey(alert.alertId())),
                            ALERT, s(AlertJson.toJson(alert)),
                            CREATED_AT, now))
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK))
                    .build()).build());
        }
        TransactionCanceledException cancelled = transact(writes);
        if (cancelled == null) return true;
        if (conditionFailed(cancelled, 0) || conditionFailed(cancelled, 1)) return false;
        throw cancelled;
    }

    /**
     * One UpdateItem of the profile: each property a plain SET, the version bumped, {@code createdAt} set when the
     * profile is new. Returns the version after the write.
     */
    @Override
    public long recordProperties(String email, Map<String, String> properties) {
        if (properties == null || properties.isEmpty()) throw new IllegalArgumentException("recordProperties needs at least one property");
        String pk = ContactTable.contactKey(requireText(email, "email"));
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#updatedAt", UPDATED_AT);
        names.put("#createdAt", CREATED_AT);
        names.put("#ver", VERSION);
        values.put(":now", s(clock.instant().toString()));
        values.put(":one", ONE);
        StringBuilder set = new StringBuilder("SET #updatedAt = :now, #createdAt = if_not_exists(#createdAt, :now)");
        int i = 0;
        for (Map.Entry<String, String> p : new TreeMap<>(properties).entrySet()) {
            set.append(", #p").append(i).append(" = :p").append(i);
            names.put("#p" + i, PROPERTY_PREFIX + p.getKey());
            values.put(":p" + i, s(requireText(p.getValue(), p.getKey())));
            i++;
        }
        UpdateItemResponse response = ddb.updateItem(b -> b
                .tableName(table)
                .key(key(pk, ContactTable.PROFILE))
                .updateExpression(set + " ADD #ver :one")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .returnValues(ReturnValue.UPDATED_NEW)
                .returnConsumedCapacity(returnCapacity));
        report("UpdateItem", true, response.consumedCapacity());
        return Long.parseLong(response.attributes().get(VERSION).n());
    }

    /** The {@code DEAL#} items of the contact's partition: one Query, nothing else read. */
    @Override
    public List<Deal> deals(String email) {
        String pk = ContactTable.contactKey(requireText(email, "email"));
        List<Deal> deals = new ArrayList<>();
        Map<String, AttributeValue> startKey = null;
        do {
            QueryRequest.Builder request = QueryRequest.builder()
                    .tableName(table)
                    .keyConditionExpression("#pk = :pk AND begins_with(#sk, :deal)")
                    .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                    .expressionAttributeValues(Map.of(":pk", s(pk), ":deal", s(ContactTable.DEAL_PREFIX)))
                    .consistentRead(true)
                    .returnConsumedCapacity(returnCapacity);
            if (startKey != null) request.exclusiveStartKey(startKey);
            QueryResponse page = ddb.query(request.build());
            report("Query", false, page.consumedCapacity());
            for (Map<String, AttributeValue> item : page.items()) deals.add(dealOf(item));
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        deals.sort(Comparator.comparing(Deal::createdAt, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Deal::dealId));
        return deals;
    }

    private static Deal dealOf(Map<String, AttributeValue> item) {
        AttributeValue amount = item.get(AMOUNT);
        String createdAt = SignalItems.str(item, CREATED_AT);
        return new Deal(
                SignalItems.str(item, DEAL_ID),
                SignalItems.str(item, PIPELINE),
                SignalItems.str(item, DEAL_STAGE),
                amount == null || amount.n() == null ? null : new java.math.BigDecimal(amount.n()).longValue(),
                createdAt == null ? null : Instant.parse(createdAt),
                SignalItems.str(item, ContactTable.OWNER));
    }

    /**
     * Queries the contact's partition and the partition of each visitor id its profile names, keeps the visitor
     * partitions whose {@code LINK} still names this contact (a visitor id linked to someone else since is theirs),
     * and deletes every item found with BatchWriteItem, 25 a request, retrying unprocessed items.
     *
     * <p>The deletes go in three rounds so that an erasure cut short (a timeout, a throttle that outlasts the
     * retries) can simply be run again and still finds everything: first the visitors' signals, then the
     * visitors' links and the contact's own items but its profile, last the profile, which names the visitor ids.
     * A write racing the erasure (a tracking event arriving at that moment) is a new fact and stays.
     */
    @Override
    public int erase(String email) {
        String normalized = requireText(email, "email");
        List<Map<String, AttributeValue>> own = queryPartition(ContactTable.contactKey(normalized));
        List<Map<String, AttributeValue>> visitorSignals = new ArrayList<>();
        List<Map<String, AttributeValue>> middle = new ArrayList<>();
        List<Map<String, AttributeValue>> profile = new ArrayList<>();
        for (Map<String, AttributeValue> item : own) {
            String sk = item.get(SK).s();
            if (ContactTable.isProfileKey(sk)) {
                profile.add(keyOf(item));
                AttributeValue vids = item.get(VISITOR_IDS);
                if (vids == null || !vids.hasSs()) continue;
                for (String visitorId : new TreeSet<>(vids.ss())) {
                    List<Map<String, AttributeValue>> items = queryPartition(ContactTable.visitorKey(visitorId));
                    boolean linkedHere = items.stream().anyMatch(v -> ContactTable.isVisitorLinkKey(v.get(SK).s())
                            && normalized.equals(SignalItems.str(v, EMAIL)));
                    if (!linkedHere) continue;
                    for (Map<String, AttributeValue> v : items) {
                        if (ContactTable.isVisitorLinkKey(v.get(SK).s())) middle.add(keyOf(v));
                        else visitorSignals.add(keyOf(v));
                    }
                }
            } else {
                middle.add(keyOf(item));
            }
        }
        deleteAll(visitorSignals);
        deleteAll(middle);
        deleteAll(profile);
        return visitorSignals.size() + middle.size() + profile.size();
    }

    static final int BATCH_WRITE_ATTEMPTS = 8;
    private static final int BATCH_WRITE_SIZE = 25;

    private void deleteAll(List<Map<String, AttributeValue>> keys) {
        for (int from = 0; from < keys.size(); from += BATCH_WRITE_SIZE) {
            List<WriteRequest> pending = keys.subList(from, Math.min(keys.size(), from + BATCH_WRITE_SIZE)).stream()
                    .map(k -> WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(k).build()).build())
                    .toList();
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                List<WriteRequest> batch = pending;
                BatchWriteItemResponse response = ddb.batchWriteItem(b -> b
                        .requestItems(Map.of(table, batch))
                        .returnConsumedCapacity(returnCapacity));
                if (response.hasConsumedCapacity()) {
                    for (ConsumedCapacity c : response.consumedCapacity()) report("BatchWriteItem", true, c);
                }
                List<WriteRequest> unprocessed = response.hasUnprocessedItems()
                        ? response.unprocessedItems().getOrDefault(table, List.of()) : List.of();
                if (unprocessed.isEmpty()) break;
                if (attempt >= BATCH_WRITE_ATTEMPTS) {
                    throw new IllegalStateException(unprocessed.size() + " deletes were still unprocessed after "
                            + attempt + " attempts; erasing again finishes the work");
                }
                sleepBeforeRetry(attempt);
                pending = unprocessed;
            }
        }
    }

    private static void sleepBeforeRetry(int attempt) {
        try {
            // Exponential backoff with jitter, as the SDK's own retries: 50 ms, 100 ms, ... at most 1.6 s.
            long cap = 50L << Math.min(attempt - 1, 5);
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while erasing", interrupted);
        }
    }

    private static Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item) {
        return Map.of(PK, item.get(PK), SK, item.get(SK));
    }

    // AlertLedger

    @Override
    public Optional<AlertDispatcher.Progress> progress(String email, String alertId) {
        GetItemResponse response = ddb.getItem(b -> b
                .tableName(table)
                .key(alertKey(email, alertId))
                .consistentRead(true)
                .projectionExpression("#pk, #dealId, #eventPutAt, #snsMessageId")
                .expressionAttributeNames(Map.of("#pk", PK, "#dealId", DEAL_ID, "#eventPutAt", EVENT_PUT_AT,
                        "#snsMessageId", SNS_MESSAGE_ID))
                .returnConsumedCapacity(returnCapacity));
        report("GetItem", false, response.consumedCapacity());
        if (!response.hasItem() || response.item().isEmpty()) return Optional.empty();
        Map<String, AttributeValue> item = response.item();
        return Optional.of(new AlertDispatcher.Progress(
                SignalItems.str(item, DEAL_ID), item.containsKey(EVENT_PUT_AT), item.containsKey(SNS_MESSAGE_ID)));
    }

    /**
     * The deal and the alert's note of it are one transaction: there is never a deal that its alert does not
     * know of, nor a deal made for an alert that is gone. The deal's id is the alert's id, so a second call finds
     * the deal made and returns the same id.
     *
     * @throws AlertGoneException when the alert's item is gone (the contact was erased)
     */
    @Override
    public String createDeal(SqlAlert alert) {
        String pk = ContactTable.contactKey(alert.contact().email());
        String dealId = alert.alertId();
        Map<String, AttributeValue> deal = new HashMap<>();
        deal.put(PK, s(pk));
        deal.put(SK, s(ContactTable.dealKey(alert.alertId())));
        deal.put(DEAL_ID, s(dealId));
        deal.put(PIPELINE, s(ContactTable.DEFAULT_PIPELINE));
        deal.put(DEAL_STAGE, s(ContactTable.QUALIFICATION_DEAL_STAGE));
        if (alert.dealAmount() != null) deal.put(AMOUNT, AttributeValue.fromN(Long.toString(alert.dealAmount())));
        if (alert.owner() != null) deal.put(ContactTable.OWNER, s(alert.owner()));
        deal.put(CREATED_AT, s(clock.instant().toString()));

        TransactionCanceledException cancelled = transact(List.of(
                TransactWriteItem.builder().put(Put.builder()
                        .tableName(table)
                        .item(deal)
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", PK))
                        .build()).build(),
                TransactWriteItem.builder().update(setOnAlert(pk, alert.alertId(), Map.of("#dealId", DEAL_ID),
                        Map.of(":dealId", s(dealId)), "SET #dealId = :dealId")).build()));
        if (cancelled == null) return dealId;
        if (conditionFailed(cancelled, 1)) throw new AlertGoneException(alert.alertId());
        if (!conditionFailed(cancelled, 0)) throw cancelled;
        // The deal exists already (a retry after the deal was made): make sure the alert says so.
        updateAlert(pk, alert.alertId(), Map.of("#dealId", DEAL_ID), Map.of(":dealId", s(dealId)), "SET #dealId = :dealId");
        return dealId;
    }

    @Override
    public void markEventPut(String email, String alertId) {
        String pk = ContactTable.contactKey(email);
        updateAlert(pk, alertId, Map.of("#eventPutAt", EVENT_PUT_AT), Map.of(":now", s(clock.instant().toString())),
                "SET #eventPutAt = :now");
    }

    @Override
    public void markPublished(String email, String alertId, String messageId) {
        String pk = ContactTable.contactKey(email);
        updateAlert(pk, alertId,
                Map.of("#snsMessageId", SNS_MESSAGE_ID, "#publishedAt", PUBLISHED_AT),
                Map.of(":id", s(requireText(messageId, "messageId")), ":now", s(clock.instant().toString())),
                "SET #snsMessageId = :id, #publishedAt = :now");
    }

    // The alert outbox item

    /**
     * The alert an outbox item holds (a stream's new image, converted with {@link StreamImages}, or a GetItem's
     * item): its {@code alert} attribute is the alert's {@code default} JSON, {@link AlertJson#toJson}.
     *
     * @throws IllegalArgumentException when the item has no {@code alert} attribute or it is not an alert
     */
    public static SqlAlert alertFromItem(Map<String, AttributeValue> item) {
        String json = item == null ? null : SignalItems.str(item, ALERT);
        if (json == null) throw new IllegalArgumentException("not an alert item: no " + ALERT + " attribute");
        return AlertJson.parse(json);
    }

    // Internals

    private List<Map<String, AttributeValue>> queryPartition(String pk) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> startKey = null;
        do {
            QueryRequest.Builder request = QueryRequest.builder()
                    .tableName(table)
                    .keyConditionExpression("#pk = :pk")
                    .expressionAttributeNames(Map.of("#pk", PK))
                    .expressionAttributeValues(Map.of(":pk", s(pk)))
                    .consistentRead(true)
                    .returnConsumedCapacity(returnCapacity);
            if (startKey != null) request.exclusiveStartKey(startKey);
            QueryResponse page = ddb.query(request.build());
            report("Query", false, page.consumedCapacity());
            items.addAll(page.items());
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return items;
    }

    /**
     * Runs a transaction. Returns null when it was written, and the cancellation when an item's condition failed
     * (the caller tells which); a cancellation only by conflicting transactions is tried again; anything else
     * propagates.
     */
    private TransactionCanceledException transact(List<TransactWriteItem> writes) {
        for (int attempt = 1; ; attempt++) {
            try {
                TransactWriteItemsResponse response = ddb.transactWriteItems(b -> b
                        .transactItems(writes)
                        .returnConsumedCapacity(returnCapacity));
                if (response.hasConsumedCapacity()) {
                    for (ConsumedCapacity c : response.consumedCapacity()) report("TransactWriteItems", true, c);
                }
                return null;
            } catch (TransactionCanceledException e) {
                List<String> codes = reasonCodes(e);
                if (codes.contains(CONDITIONAL_CHECK_FAILED)) return e;
                if (codes.contains(TRANSACTION_CONFLICT) && attempt < TRANSACTION_ATTEMPTS) {
                    pause(attempt, e);
                    continue;
                }
                throw e;
            }
        }
    }

    private static List<String> reasonCodes(TransactionCanceledException e) {
        if (!e.hasCancellationReasons()) return List.of();
        return e.cancellationReasons().stream().map(CancellationReason::code).map(c -> c == null ? "None" : c).toList();
    }

    private static boolean conditionFailed(TransactionCanceledException e, int index) {
        List<String> codes = reasonCodes(e);
        return index < codes.size() && CONDITIONAL_CHECK_FAILED.equals(codes.get(index));
    }

    private static void pause(int attempt, RuntimeException cause) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 25L * attempt));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw cause;
        }
    }

    private Update setOnAlert(String pk, String alertId, Map<String, String> names, Map<String, AttributeValue> values,
            String updateExpression) {
        Map<String, String> allNames = new HashMap<>(names);
        allNames.put("#pk", PK);
        return Update.builder()
                .tableName(table)
                .key(key(pk, ContactTable.alertKey(alertId)))
                .updateExpression(updateExpression)
                .conditionExpression("attribute_exists(#pk)")
                .expressionAttributeNames(allNames)
                .expressionAttributeValues(values)
                .build();
    }

    private void updateAlert(String pk, String alertId, Map<String, String> names, Map<String, AttributeValue> values,
            String updateExpression) {
        Update u = setOnAlert(pk, alertId, names, values, updateExpression);
        try {
            UpdateItemResponse response = ddb.updateItem(b -> b
                    .tableName(u.tableName())
                    .key(u.key())
                    .updateExpression(u.updateExpression())
                    .conditionExpression(u.conditionExpression())
                    .expressionAttributeNames(u.expressionAttributeNames())
                    .expressionAttributeValues(u.expressionAttributeValues())
                    .returnConsumedCapacity(returnCapacity));
            report("UpdateItem", true, response.consumedCapacity());
        } catch (ConditionalCheckFailedException gone) {
            throw new AlertGoneException(alertId);
        }
    }

    private Map<String, AttributeValue> alertKey(String email, String alertId) {
        return key(ContactTable.contactKey(email), ContactTable.alertKey(alertId));
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, s(pk), SK, s(sk));
    }

    private void report(String operation, boolean write, ConsumedCapacity consumed) {
        if (capacityListener == null || consumed == null || consumed.capacityUnits() == null) return;
        capacityListener.accept(new Capacity(operation, write, consumed.capacityUnits()));
    }

    private static AttributeValue moveItem(StageMove m) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        if (m.from() != null) item.put(ContactTable.HIST_FROM, s(m.from().id()));
        item.put(ContactTable.HIST_TO, s(m.to().id()));
        item.put(ContactTable.HIST_AT, s(m.at().toString()));
        item.put(ContactTable.HIST_REASON, s(m.reason().code()));
        item.put(ContactTable.HIST_ACTOR, s(m.actor()));
        if (m.policyVersion() != null) item.put(ContactTable.HIST_POLICY_VERSION, s(m.policyVersion()));
        if (m.note() != null) item.put(ContactTable.HIST_NOTE, s(m.note()));
        return AttributeValue.fromM(item);
    }

    private static StageMove moveOf(AttributeValue value) {
        Map<String, AttributeValue> m = value.m();
        String from = SignalItems.str(m, ContactTable.HIST_FROM);
        String reason = SignalItems.str(m, ContactTable.HIST_REASON);
        return new StageMove(
                stage(from),
                stage(SignalItems.str(m, ContactTable.HIST_TO)),
                Instant.parse(SignalItems.str(m, ContactTable.HIST_AT)),
                Reason.fromCode(reason).orElseThrow(() -> new IllegalStateException("a stage move with unknown reason " + reason)),
                SignalItems.str(m, ContactTable.HIST_ACTOR),
                SignalItems.str(m, ContactTable.HIST_POLICY_VERSION),
                SignalItems.str(m, ContactTable.HIST_NOTE));
    }

    private static Stage stage(String id) {
        if (id == null) return null;
        return Stage.fromId(id).orElseThrow(() -> new IllegalStateException("unknown stage " + id));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(name + " must not be blank");
        return value;
    }
}
