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
 * tally per partition ({@link TallyItems}), their stage moves and deals.
 *
 * <ul>
 *   <li>A tracking event reads its partition's tally item (eventually consistent) and puts it back with the
 *       signal counted and its id remembered, conditional on the version read (a stale read or a racing write
 *       fails the condition, and it is tried again with a consistent read): ~0.5 RRU and 1 WRU, whatever the
 *       contact's history. An id among the tally's last remembered ones is a redelivery: nothing is written.</li>
 *   <li>A form post is one transaction: the form's signal item (which deduplicates it exactly), the contact's
 *       tally with the form counted, the profile's properties as plain SETs, and the visitor's link.</li>
 *   <li>Loading a contact is one Query of its profile and tally ({@code begins_with(sk, "PROFILE")}), and one of
 *       each linked visitor's link and tally.</li>
 *   <li>Stage moves are one transaction conditional on the profile's version, with the alert's outbox item when
 *       the move enters SQL, so a move and its alert are written once or not at all.</li>
 *   <li>A partition stored before tallies (signal items only) gets its tally built once from those items, by the
 *       first event recorded for it; until then loading builds it in memory.</li>
 * </ul>
 *
 * Errors propagate; nothing is logged here.
 */
public final class DynamoDbContacts implements ContactStore {
    static final int TALLY_ATTEMPTS = 40;

    private final DynamoDbRequests requests;
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
    }

    // Recording signals

    @Override
    public boolean recordSignal(ContactRef who, Signal signal) {
        String pk = partitionOf(who);
        String sk = who instanceof ContactRef.ByEmail ? ContactTable.CONTACT_TALLY : ContactTable.VISITOR_TALLY;
        for (int attempt = 1; ; attempt++) {
            // The first read may be stale; the version condition catches that, and the retry reads consistently.
            Map<String, AttributeValue> item = requests.get(pk, sk, attempt > 1);
            TallyItems.Stored current = item != null ? TallyItems.fromItem(item) : storedBeforeTallies(pk, signal.id());
            if (current == null) return false; // a signal item with this id exists: recorded before tallies
            if (current.seen(signal.id())) return false;
            TallyItems.Stored next = current.with(signal, policy::categoryOf, oldestDay());
            try {
                requests.put(PutItemRequest.builder()
                        .item(TallyItems.toItem(pk, sk, next))
                        .conditionExpression(versionCondition(current))
                        .expressionAttributeNames(Map.of("#pk", PK, "#ver", TallyItems.VERSION))
                        .expressionAttributeValues(versionValues(current)));
                return true;
            } catch (ConditionalCheckFailedException raced) {
                if (attempt >= TALLY_ATTEMPTS) throw raced;
                DynamoDbRequests.pause(attempt, raced);
            }
        }
    }

    /**
     * The state of a partition that has no tally item: built from its signal items (a contact stored before
     * tallies), or empty. Null when one of them has the id being recorded: it was recorded then.
     */
    private TallyItems.Stored storedBeforeTallies(String pk, String recordingId) {
        List<Signal> signals = signalItems(pk);
        if (signals.isEmpty()) return TallyItems.Stored.NONE;
        if (signals.stream().anyMatch(s -> s.id().equals(recordingId))) return null;
        return TallyItems.fromSignals(signals, policy::categoryOf, oldestDay());
    }

    private List<Signal> signalItems(String pk) {
        List<Signal> signals = new ArrayList<>();
        for (Map<String, AttributeValue> item : requests.query(pk, ContactTable.SIGNAL_PREFIX)) signals.add(SignalItems.fromItem(item));
        return signals;
    }

    @Override
    public boolean recordSubmission(FormSubmission submission) {
        String email = submission.email().value();
        String pk = ContactTable.contactKey(email);
        String now = clock.instant().toString();
        String visitorId = submission.visitorId() == null ? null : submission.visitorId().value();
        Signal signal = submission.signal();

        for (int attempt = 1; ; attempt++) {
            Map<String, AttributeValue> item = requests.get(pk, ContactTable.CONTACT_TALLY, true);
            TallyItems.Stored current = item != null ? TallyItems.fromItem(item) : storedBeforeTallies(pk, signal.id());
            if (current == null) return false; // posted before tallies
            TallyItems.Stored next = current.with(signal, policy::categoryOf, oldestDay());

            List<TransactWriteItem> writes = new ArrayList<>(4);
            // The form's own signal item deduplicates the submission exactly, however long ago it was posted.
            writes.add(DynamoDbRequests.put(Put.builder()
                    .tableName(requests.table())
                    .item(SignalItems.toItem(pk, signal, policy.engagementWindowDays()))
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK))
                    .build()));
            writes.add(DynamoDbRequests.put(Put.builder()
                    .tableName(requests.table())
                    .item(TallyItems.toItem(pk, ContactTable.CONTACT_TALLY, next))
                    .conditionExpression(versionCondition(current))
                    .expressionAttributeNames(Map.of("#pk", PK, "#ver", TallyItems.VERSION))
                    .expressionAttributeValues(versionValues(current))
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
            if (DynamoDbRequests.conditionFailed(cancelled, 0)) return false;
            if (!DynamoDbRequests.conditionFailed(cancelled, 1) || attempt >= TALLY_ATTEMPTS) throw cancelled;
            DynamoDbRequests.pause(attempt, cancelled); // the tally changed since it was read
        }
    }

    // Reading

    @Override
    public Optional<StoredContact> load(String email) {
        String normalized = email; // an EmailAddress's value (see ContactStore)
        String pk = ContactTable.contactKey(normalized);
        Map<String, AttributeValue> profileItem = null;
        Map<String, AttributeValue> tallyItem = null;
        for (Map<String, AttributeValue> item : requests.query(pk, ContactTable.PROFILE)) {
            String sk = item.get(SK).s();
            if (ContactTable.isProfileKey(sk)) profileItem = item;
            else if (ContactTable.CONTACT_TALLY.equals(sk)) tallyItem = item;
        }
        SignalTally tally = tallyItem != null ? TallyItems.fromItem(tallyItem).tally() : tallyBeforeTallies(pk);
        if (profileItem == null && tally.isEmpty()) return Optional.empty();
        ProfileItems.Profile profile = ProfileItems.fromItem(profileItem);

        // A visitor's signals count for the contact its LINK names; a visitor later linked to someone else
        // (a shared computer) counts for that person instead. The link and the tally come with one Query.
        List<String> linked = new ArrayList<>(profile.visitorIds().size());
        for (String visitorId : profile.visitorIds()) {
            String vpk = ContactTable.visitorKey(visitorId);
            boolean linkedHere = false;
            Map<String, AttributeValue> visitorTally = null;
            for (Map<String, AttributeValue> item : requests.query(vpk, ContactTable.LINK)) {
                String sk = item.get(SK).s();
                if (ContactTable.isVisitorLinkKey(sk)) linkedHere = normalized.equals(SignalItems.str(item, EMAIL));
                else if (ContactTable.VISITOR_TALLY.equals(sk)) visitorTally = item;
            }
            if (!linkedHere) continue;
            linked.add(visitorId);
            tally = tally.plus(visitorTally != null ? TallyItems.fromItem(visitorTally).tally() : tallyBeforeTallies(vpk));
        }

        Contact contact = new Contact(normalized, profile.properties(), new LinkedHashSet<>(linked), tally.keptSignals(),
                profile.stage(), profile.history());
        return Optional.of(new StoredContact(contact, profile.version(), tally));
    }

    /** A partition without a tally item: its signal items' tally (none for a partition stored since tallies). */
    private SignalTally tallyBeforeTallies(String pk) {
        List<Signal> signals = signalItems(pk);
        return signals.isEmpty() ? SignalTally.EMPTY : policy.tallyOf(signals).since(oldestDay());
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

    private static String versionCondition(TallyItems.Stored current) {
        return current.version() == 0 ? "attribute_not_exists(#pk) AND attribute_not_exists(#ver)"
                : "attribute_exists(#pk) AND #ver = :ver";
    }

    private static Map<String, AttributeValue> versionValues(TallyItems.Stored current) {
        return current.version() == 0 ? null : Map.of(":ver", AttributeValue.fromN(Long.toString(current.version())));
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
