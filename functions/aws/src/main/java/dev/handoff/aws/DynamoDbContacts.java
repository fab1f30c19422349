package dev.handoff.aws;

import static dev.handoff.aws.ContactTable.CREATED_AT;
import static dev.handoff.aws.ContactTable.EMAIL;
import static dev.handoff.aws.ContactTable.HISTORY;
import static dev.handoff.aws.ContactTable.PK;
import static dev.handoff.aws.ContactTable.SK;
import static dev.handoff.aws.ContactTable.STAGE;
import static dev.handoff.aws.ContactTable.UPDATED_AT;
import static dev.handoff.aws.ContactTable.VERSION;
import static dev.handoff.aws.ContactTable.VISITOR_IDS;

import dev.handoff.core.Contact;
import dev.handoff.core.Signal;
import dev.handoff.core.SignalTally;
import dev.handoff.core.StageMove;
import dev.handoff.core.app.ContactRef;
import dev.handoff.core.app.ContactStore;
import dev.handoff.core.app.Deal;
import dev.handoff.core.app.FormSubmission;
import dev.handoff.core.app.SqlAlert;
import dev.handoff.core.app.StoredContact;
import dev.handoff.core.policy.Policy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Contacts in the one DynamoDB table described by {@link ContactTable}: their profiles, their signals kept as a
 * log with a folded tally per partition ({@link DynamoDbSignalLog}), their stage moves and deals.
 *
 * <ul>
 *   <li>A tracking event is one conditional PutItem of its signal item: 1 WRU, no read, whatever the contact's
 *       history. An item with its key already there is a redelivery: nothing is written.</li>
 *   <li>A form post is one transaction: the form's dedupe item ({@code E#<submission id>}, exact however long
 *       ago it was posted), its signal item, the profile's properties as plain SETs, and the visitor's link.</li>
 *   <li>Loading a contact reads its partition (profile, tally and the signals not folded yet) with one Query, and
 *       each linked visitor's likewise. {@link #maintaining} gives the view the qualification function loads
 *       through: it also folds and recounts ({@link DynamoDbSignalLog#maintain}).</li>
 *   <li>Stage moves are one transaction conditional on the profile's version, with the alert's outbox item when
 *       the move enters SQL, so a move and its alert are written once or not at all.</li>
 * </ul>
 *
 * Errors propagate; nothing is logged here.
 */
public final class DynamoDbContacts implements ContactStore {
    private final DynamoDbRequests requests;
    private final DynamoDbSignalLog log;
    private final Policy policy;
    private final Clock clock;

    public DynamoDbContacts(DynamoDbClient ddb, String table, Policy policy) {
        this(ddb, table, policy, Clock.systemUTC(), null);
    }

    /**
     * @param policy its page categories count page views, its window (and target-account days) bound the tally
     * @param capacityListener when not null, every request asks for its consumed capacity and reports it here
     *     (tests and scripts/cost.sh measure WRU and RRU with it)
     */
    public DynamoDbContacts(DynamoDbClient ddb, String table, Policy policy, Clock clock,
            Consumer<DynamoDbRequests.Capacity> capacityListener) {
        this.requests = new DynamoDbRequests(ddb, table, capacityListener);
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = new DynamoDbSignalLog(requests, policy, clock);
    }

    // Recording signals

    @Override
    public boolean recordSignal(ContactRef who, Signal signal) {
        return log.record(partitionOf(who), signal);
    }

    @Override
    public boolean recordSubmission(FormSubmission submission) {
        String email = submission.email().value();
        String pk = ContactTable.contactKey(email);
        String now = clock.instant().toString();
        String visitorId = submission.visitorId() == null ? null : submission.visitorId().value();
        Signal signal = submission.signal();

        List<TransactWriteItem> writes = new ArrayList<>(4);
        // The form's dedupe item: the submission id alone, so a post sent again is known however long ago it came.
        writes.add(DynamoDbRequests.put(Put.builder()
                .tableName(requests.table())
                .item(Map.of(PK, AttributeValue.fromS(pk), SK, AttributeValue.fromS(ContactTable.signalKey(signal.id())),
                        CREATED_AT, AttributeValue.fromS(now)))
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", PK))
                .build()));
        writes.add(DynamoDbRequests.put(Put.builder()
                .tableName(requests.table())
                .item(SignalItems.toLogItem(pk, signal, policy.retentionDays()))
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", PK))
                .build()));
        String add = "";
        Map<String, String> addNames = new HashMap<>();
        Map<String, AttributeValue> addValues = new HashMap<>();
        if (visitorId != null) {
            add = ", #vids :vids";
            addNames.put("#vids", VISITOR_IDS);
            addValues.put(":vids", AttributeValue.fromSs(List.of(visitorId)));
        }
        // First-touch attribution: written by the first post that carries the field, never replaced.
        ProfileItems.PropertiesUpdate update = ProfileItems.propertiesUpdate(submission.properties(), now, add, true);
        Map<String, String> names = new HashMap<>(update.names());
        names.putAll(addNames);
        Map<String, AttributeValue> values = new HashMap<>(update.values());
        values.putAll(addValues);
        writes.add(DynamoDbRequests.update(Update.builder()
                .tableName(requests.table())
                .key(DynamoDbRequests.key(pk, ContactTable.PROFILE))
                .updateExpression(update.expression())
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build()));
        if (visitorId != null) {
            writes.add(DynamoDbRequests.put(Put.builder()
                    .tableName(requests.table())
                    .item(Map.of(
                            PK, AttributeValue.fromS(ContactTable.visitorKey(visitorId)),
                            SK, AttributeValue.fromS(ContactTable.LINK),
                            EMAIL, AttributeValue.fromS(email),
                            UPDATED_AT, AttributeValue.fromS(now)))
                    .build()));
        }
        TransactionCanceledException cancelled = requests.transact(writes);
        if (cancelled == null) return true;
        if (DynamoDbRequests.conditionFailed(cancelled, 0) || DynamoDbRequests.conditionFailed(cancelled, 1)) return false;
        throw cancelled;
    }

    // Reading

    @Override
    public Optional<StoredContact> load(String email) {
        return load(email, null);
    }

    /**
     * The store as the qualification function uses it: the same, except that loading a contact also maintains
     * the partitions it reads ({@link DynamoDbSignalLog#maintain}) with the keys of the signal items the stream
     * said were inserted, so the read that decides is the read that folds.
     */
    public ContactStore maintaining(Map<String, ? extends Collection<String>> insertedKeys) {
        Map<String, ? extends Collection<String>> keys = Map.copyOf(insertedKeys);
        return new ContactStore() {
            @Override public boolean recordSignal(ContactRef who, Signal signal) { return DynamoDbContacts.this.recordSignal(who, signal); }
            @Override public boolean recordSubmission(FormSubmission submission) { return DynamoDbContacts.this.recordSubmission(submission); }
            @Override public Optional<StoredContact> load(String email) { return DynamoDbContacts.this.load(email, keys); }
            @Override public Optional<String> emailOfVisitor(String visitorId) { return DynamoDbContacts.this.emailOfVisitor(visitorId); }
            @Override public boolean recordMoves(String email, long expectedVersion, List<StageMove> moves, SqlAlert alert) {
                return DynamoDbContacts.this.recordMoves(email, expectedVersion, moves, alert);
            }
            @Override public long recordProperties(String email, Map<String, String> properties) { return DynamoDbContacts.this.recordProperties(email, properties); }
            @Override public List<Deal> deals(String email) { return DynamoDbContacts.this.deals(email); }
            @Override public int erase(String email) { return DynamoDbContacts.this.erase(email); }
        };
    }

    /**
     * Maintains one partition alone (an anonymous visitor's, whose signals count for nobody yet), after the
     * stream said these of its signal items were inserted.
     */
    public void maintain(String pk, Collection<String> insertedKeys) {
        log.maintain(log.read(pk), insertedKeys);
    }

    /**
     * @param insertedKeys null: read only; else maintain each partition read (see {@link #maintaining}), with the
     *     inserted signal items' keys by partition key
     */
    private Optional<StoredContact> load(String email, Map<String, ? extends Collection<String>> insertedKeys) {
        String normalized = email; // an EmailAddress's value (see ContactStore)
        java.time.Instant now = clock.instant();
        // The 7-day fast track's start is read exactly only for a target account, the only contacts it concerns.
        boolean targetAccount = policy.targetAccounts().contains(normalized.substring(normalized.lastIndexOf('@') + 1));
        DynamoDbSignalLog.Partition own = readPartition(ContactTable.contactKey(normalized), insertedKeys);
        if (own.head() == null && own.tally(policy, oldestDay()).isEmpty()) return Optional.empty();
        SignalTally tally = log.tally(own, now, targetAccount);
        ProfileItems.Profile profile = ProfileItems.fromItem(own.head());

        // A visitor's signals count for the contact its LINK names; a visitor later linked to someone else
        // (a shared computer) counts for that person instead. The link comes with the visitor's tally and tail.
        List<String> linked = new ArrayList<>(profile.visitorIds().size());
        for (String visitorId : profile.visitorIds()) {
            DynamoDbSignalLog.Partition visitor = readPartition(ContactTable.visitorKey(visitorId), insertedKeys);
            boolean linkedHere = visitor.head() != null && normalized.equals(SignalItems.str(visitor.head(), EMAIL));
            if (!linkedHere) continue;
            linked.add(visitorId);
            tally = tally.plus(log.tally(visitor, now, targetAccount));
        }

        Contact contact = new Contact(normalized, profile.properties(), new LinkedHashSet<>(linked), tally.keptSignals(),
                profile.stage(), profile.history());
        return Optional.of(new StoredContact(contact, profile.version(), tally));
    }

    private DynamoDbSignalLog.Partition readPartition(String pk, Map<String, ? extends Collection<String>> insertedKeys) {
        DynamoDbSignalLog.Partition read = log.read(pk);
        if (insertedKeys == null) return read;
        Collection<String> keys = insertedKeys.get(pk);
        return log.maintain(read, keys == null ? List.of() : keys);
    }

    @Override
    public Optional<String> emailOfVisitor(String visitorId) {
        GetItemResponse response = requests.get(b -> b
                .key(DynamoDbRequests.key(ContactTable.visitorKey(requireText(visitorId, "visitorId")), ContactTable.LINK))
                .consistentRead(true)
                .projectionExpression("#email")
                .expressionAttributeNames(Map.of("#email", EMAIL)));
        return response.hasItem() && !response.item().isEmpty()
                ? Optional.ofNullable(SignalItems.str(response.item(), EMAIL))
                : Optional.empty();
    }

    /** The {@code DEAL#} items of the contact's partition: one Query, nothing else read. */
    @Override
    public List<Deal> deals(String email) {
        String pk = ContactTable.contactKey(requireText(email, "email"));
        List<Deal> deals = new ArrayList<>();
        for (Map<String, AttributeValue> item : requests.query(pk, ContactTable.DEAL_PREFIX)) deals.add(AlertItems.dealOf(item));
        deals.sort(Comparator.comparing(Deal::createdAt, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Deal::dealId));
        return deals;
    }

    // Stage and properties

    @Override
    public boolean recordMoves(String email, long expectedVersion, List<StageMove> moves, SqlAlert alert) {
        if (moves == null || moves.isEmpty()) throw new IllegalArgumentException("recordMoves needs at least one move");
        if (expectedVersion < 0) throw new IllegalArgumentException("expectedVersion must be 0 or more");
        String pk = ContactTable.contactKey(email);
        String now = clock.instant().toString();

        Map<String, String> names = new HashMap<>();
        names.put("#ver", VERSION);
        names.put("#stage", STAGE);
        names.put("#hist", HISTORY);
        names.put("#createdAt", CREATED_AT);
        names.put("#updatedAt", UPDATED_AT);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":to", AttributeValue.fromS(moves.get(moves.size() - 1).to().id()));
        values.put(":moves", AttributeValue.fromL(moves.stream().map(ProfileItems::moveItem).toList()));
        values.put(":empty", AttributeValue.fromL(List.of()));
        values.put(":one", AttributeValue.fromN("1"));
        values.put(":now", AttributeValue.fromS(now));
        String condition;
        if (expectedVersion == 0) {
            condition = "attribute_not_exists(#ver)";
        } else {
            condition = "#ver = :expected";
            values.put(":expected", AttributeValue.fromN(Long.toString(expectedVersion)));
        }
        List<TransactWriteItem> writes = new ArrayList<>(2);
        writes.add(DynamoDbRequests.update(Update.builder()
                .tableName(requests.table())
                .key(DynamoDbRequests.key(pk, ContactTable.PROFILE))
                .updateExpression("SET #stage = :to, #hist = list_append(if_not_exists(#hist, :empty), :moves), "
                        + "#updatedAt = :now, #createdAt = if_not_exists(#createdAt, :now) ADD #ver :one")
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build()));
        if (alert != null) {
            writes.add(DynamoDbRequests.put(Put.builder()
                    .tableName(requests.table())
                    .item(AlertItems.outboxItem(pk, alert, now))
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK))
                    .build()));
        }
        TransactionCanceledException cancelled = requests.transact(writes);
        if (cancelled == null) return true;
        if (DynamoDbRequests.conditionFailed(cancelled, 0) || DynamoDbRequests.conditionFailed(cancelled, 1)) return false;
        throw cancelled;
    }

    /**
     * One UpdateItem of the profile: each property a plain SET, the version bumped, {@code createdAt} set when the
     * profile is new. Returns the version after the write.
     */
    @Override
    public long recordProperties(String email, Map<String, String> properties) {
        if (properties == null || properties.isEmpty()) throw new IllegalArgumentException("recordProperties needs at least one property");
        properties.forEach((name, value) -> requireText(value, name));
        String pk = ContactTable.contactKey(requireText(email, "email"));
        ProfileItems.PropertiesUpdate update = ProfileItems.propertiesUpdate(properties, clock.instant().toString(), "");
        UpdateItemResponse response = requests.update(UpdateItemRequest.builder()
                .key(DynamoDbRequests.key(pk, ContactTable.PROFILE))
                .updateExpression(update.expression())
                .expressionAttributeNames(update.names())
                .expressionAttributeValues(update.values())
                .returnValues(ReturnValue.UPDATED_NEW));
        return Long.parseLong(response.attributes().get(VERSION).n());
    }

    // Erasure

    /**
     * Queries the contact's partition and the partition of each visitor id its profile names, keeps the visitor
     * partitions whose {@code LINK} still names this contact (a visitor id linked to someone else since is theirs),
     * and deletes every item found (tallies, signal items, links, alerts, deals, the profile).
     *
     * <p>The deletes go in three rounds so that an erasure cut short (a timeout, a throttle that outlasts the
     * retries) can simply be run again and still finds everything: first the visitors' items but their links, then
     * the visitors' links and the contact's own items but its profile, last the profile, which names the visitor
     * ids. A write racing the erasure (a tracking event arriving at that moment) is a new fact and stays.
     */
    @Override
    public int erase(String email) {
        String normalized = requireText(email, "email");
        List<Map<String, AttributeValue>> visitorItems = new ArrayList<>();
        List<Map<String, AttributeValue>> middle = new ArrayList<>();
        List<Map<String, AttributeValue>> profile = new ArrayList<>();
        for (Map<String, AttributeValue> item : requests.query(ContactTable.contactKey(normalized), null)) {
            String sk = item.get(SK).s();
            if (!ContactTable.isProfileKey(sk)) {
                middle.add(keyOf(item));
                continue;
            }
            profile.add(keyOf(item));
            for (String visitorId : ProfileItems.fromItem(item).visitorIds()) {
                List<Map<String, AttributeValue>> items = requests.query(ContactTable.visitorKey(visitorId), null);
                boolean linkedHere = items.stream().anyMatch(v -> ContactTable.isVisitorLinkKey(v.get(SK).s())
                        && normalized.equals(SignalItems.str(v, EMAIL)));
                if (!linkedHere) continue;
                for (Map<String, AttributeValue> v : items) {
                    if (ContactTable.isVisitorLinkKey(v.get(SK).s())) middle.add(keyOf(v));
                    else visitorItems.add(keyOf(v));
                }
            }
        }
        requests.deleteAll(visitorItems);
        requests.deleteAll(middle);
        requests.deleteAll(profile);
        return visitorItems.size() + middle.size() + profile.size();
    }

    // Internals

    private int oldestDay() {
        return SignalTally.dayOf(clock.instant()) - policy.retentionDays();
    }

    private static String partitionOf(ContactRef who) {
        return switch (who) {
            case ContactRef.ByEmail e -> ContactTable.contactKey(e.email().value());
            case ContactRef.ByVisitor v -> ContactTable.visitorKey(v.visitorId().value());
        };
    }

    private static Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item) {
        return Map.of(PK, item.get(PK), SK, item.get(SK));
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(name + " must not be blank");
        return value;
    }
}
