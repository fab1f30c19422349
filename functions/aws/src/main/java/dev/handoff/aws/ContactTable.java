package dev.handoff.aws;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;

/**
 * The one table Handoff keeps its contacts in: its definition (mirrored by the SAM template), its keys and every
 * attribute name. All items of a person live in one partition, {@code C#<email>}; an anonymous visitor's in
 * {@code V#<visitorId>}.
 *
 * <pre>
 * pk              sk                 what
 * C#&lt;email&gt;       PROFILE            ver, stage, hist, vids, p_&lt;property&gt;..., createdAt, updatedAt, rq
 * C#&lt;email&gt;       PROFILE#TALLY      the signals folded so far: ver, ctr, cnt, kept, mark ({@link TallyItems})
 * C#&lt;email&gt;       PROFILE#U#&lt;t&gt;#&lt;id&gt; one signal, its key its exact dedupe: t = 9999999999999 - occurredAt ms, so newest
 *                                    first ({@link SignalItems}); those newer than the tally's mark are its tail
 * C#&lt;email&gt;       E#&lt;signal id&gt;      a form post's dedupe by submission id ({@code ntl}), or a signal stored before the log
 * C#&lt;email&gt;       ALERT#&lt;alert id&gt;    the SQL alert outbox: alert (JSON), createdAt, dealId, eventPutAt, snsMessageId
 * C#&lt;email&gt;       DEAL#&lt;alert id&gt;     the deal made for that alert: dealId, pipeline, dealstage, amount, owner, createdAt
 * ROUTING         POOL#.., OWNER#..  owner routing: see {@link RoutingItems}
 * V#&lt;visitorId&gt;   LINK               email: the contact a form post linked the visitor to
 * V#&lt;visitorId&gt;   LINK#TALLY         an anonymous visitor's folded signals, as above
 * V#&lt;visitorId&gt;   LINK#U#&lt;t&gt;#&lt;id&gt;   an anonymous visitor's signal, as above
 * V#&lt;visitorId&gt;   E#&lt;signal id&gt;      a visitor's signal stored before the log
 * </pre>
 *
 * Recording a tracking event is one conditional PutItem of its signal item (1 WRU, no read): an event delivered
 * again finds its key taken, however long ago it came. Qualification reads the head (profile or link), the tally
 * and the newest signal items with one Query, and folds those newer than the tally's mark into the tally every few
 * events ({@link DynamoDbSignalLog}), so its cost does not grow with the history. Signal items ({@code E#}) of
 * partitions stored before the log are read once, into the tally.
 */
public final class ContactTable {
    private ContactTable() {}

    // Keys
    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String CONTACT_PREFIX = "C#";
    public static final String VISITOR_PREFIX = "V#";
    public static final String PROFILE = "PROFILE";
    public static final String LINK = "LINK";
    public static final String SIGNAL_PREFIX = "E#";
    public static final String ALERT_PREFIX = "ALERT#";
    public static final String DEAL_PREFIX = "DEAL#";
    /** A contact's tally: beside its profile, so that one Query ({@code begins_with(sk, "PROFILE")}) reads both. */
    public static final String CONTACT_TALLY = "PROFILE#TALLY";
    /** A visitor's tally: beside its link, so that one Query ({@code begins_with(sk, "LINK")}) reads both. */
    public static final String VISITOR_TALLY = "LINK#TALLY";
    /** A contact's signal items: they sort after its tally ("T" &lt; "U"), newest first. */
    public static final String CONTACT_LOG_PREFIX = "PROFILE#U#";
    /** A visitor's signal items, likewise after its tally. */
    public static final String VISITOR_LOG_PREFIX = "LINK#U#";
    /** Log keys count down from this many milliseconds, so that a newer signal sorts first. */
    private static final long LOG_CLOCK_END = 9_999_999_999_999L;

    /** Epoch seconds after which DynamoDB deletes the item (engagement signals only). */
    public static final String TTL = "ttl";

    // Every item that a write creates or updates
    public static final String CREATED_AT = "createdAt";
    public static final String UPDATED_AT = "updatedAt";

    // Profile
    /** N: bumped by every write that changes properties or stage; stage moves are conditional on it. */
    public static final String VERSION = "ver";
    public static final String STAGE = "stage";
    /** L of M: the stage moves, oldest first (keys {@code HIST_*}). */
    public static final String HISTORY = "hist";
    /** SS: the visitor ids linked to the contact by form posts. */
    public static final String VISITOR_IDS = "vids";
    /**
     * S: the id of the last requalify run that asked for this contact to be re-evaluated (PRODUCT §7). Setting it
     * to a new value is the request: the qualification function sees the profile's MODIFY with a changed value.
     */
    public static final String REQUALIFY = "rq";
    /** One top-level attribute per property: {@code p_jobtitle}, so that a form's update is a plain SET. */
    public static final String PROPERTY_PREFIX = "p_";

    public static final String HIST_FROM = "from";
    public static final String HIST_TO = "to";
    public static final String HIST_AT = "at";
    public static final String HIST_REASON = "reason";
    public static final String HIST_ACTOR = "actor";
    public static final String HIST_POLICY_VERSION = "policyVersion";
    public static final String HIST_NOTE = "note";

    // Visitor link
    public static final String EMAIL = "email";

    // Alert outbox
    /** S: the {@link dev.handoff.core.app.SqlAlert} as JSON, fixed when the move is recorded. */
    public static final String ALERT = "alert";
    public static final String DEAL_ID = "dealId";
    public static final String EVENT_PUT_AT = "eventPutAt";
    public static final String SNS_MESSAGE_ID = "snsMessageId";
    public static final String PUBLISHED_AT = "publishedAt";

    // Deal
    public static final String PIPELINE = "pipeline";
    public static final String DEAL_STAGE = "dealstage";
    public static final String AMOUNT = "amount";
    /** S: the owner of the alert the deal was made for, when known (signal-named or routed). */
    public static final String OWNER = "owner";
    public static final String DEFAULT_PIPELINE = "default";
    public static final String QUALIFICATION_DEAL_STAGE = "qualification";

    /**
     * The table as the SAM template defines it: keys {@code pk}/{@code sk} (both S), on-demand, stream with new
     * and old images. TTL is not part of CreateTable: see {@link #timeToLiveRequest(String)}.
     */
    public static CreateTableRequest createTableRequest(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName(PK).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(SK).attributeType(ScalarAttributeType.S).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(SK).keyType(KeyType.RANGE).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .streamSpecification(StreamSpecification.builder()
                        .streamEnabled(true)
                        .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)
                        .build())
                .build();
    }

    /** Turns on TTL on the {@code ttl} attribute (the template's TimeToLiveSpecification). */
    public static UpdateTimeToLiveRequest timeToLiveRequest(String tableName) {
        return UpdateTimeToLiveRequest.builder()
                .tableName(tableName)
                .timeToLiveSpecification(TimeToLiveSpecification.builder().attributeName(TTL).enabled(true).build())
                .build();
    }

    /** Creates the table, waits until it is active and turns on TTL: for tests and the local stack. */
    public static void create(DynamoDbClient ddb, String tableName) {
        ddb.createTable(createTableRequest(tableName));
        ddb.waiter().waitUntilTableExists(b -> b.tableName(tableName));
        ddb.updateTimeToLive(timeToLiveRequest(tableName));
    }

    // Key builders

    public static String contactKey(String email) {
        return CONTACT_PREFIX + email;
    }

    public static String visitorKey(String visitorId) {
        return VISITOR_PREFIX + visitorId;
    }

    public static String signalKey(String signalId) {
        return SIGNAL_PREFIX + signalId;
    }

    /** The head item of a partition: a contact's profile, a visitor's link. */
    public static String headKeyOf(String pk) {
        return isContactKey(pk) ? PROFILE : LINK;
    }

    public static String tallyKeyOf(String pk) {
        return isContactKey(pk) ? CONTACT_TALLY : VISITOR_TALLY;
    }

    public static String logPrefixOf(String pk) {
        return isContactKey(pk) ? CONTACT_LOG_PREFIX : VISITOR_LOG_PREFIX;
    }

    /**
     * A signal's item key in partition {@code pk}: its time counted down, then its id. The key is the signal's
     * exact dedupe (an event delivered again has the same id and time), and newer signals sort first, so that the
     * tail of signals not yet folded into the tally comes with the head and the tally in one Query.
     */
    public static String logKey(String pk, long occurredAtMillis, String signalId) {
        if (occurredAtMillis < 0 || occurredAtMillis > LOG_CLOCK_END) throw new IllegalArgumentException("a signal time out of range");
        String countdown = Long.toString(LOG_CLOCK_END - occurredAtMillis);
        return logPrefixOf(pk) + "0".repeat(13 - countdown.length()) + countdown + "#" + signalId;
    }

    public static boolean isLogKey(String sk) {
        return sk != null && (sk.startsWith(CONTACT_LOG_PREFIX) || sk.startsWith(VISITOR_LOG_PREFIX));
    }

    /** The signal id of a log key. */
    public static String logSignalIdOf(String sk) {
        int cut = sk.indexOf('#', (sk.startsWith(CONTACT_LOG_PREFIX) ? CONTACT_LOG_PREFIX : VISITOR_LOG_PREFIX).length());
        if (!isLogKey(sk) || cut < 0) throw new IllegalArgumentException("not a log key");
        return sk.substring(cut + 1);
    }

    public static String alertKey(String alertId) {
        return ALERT_PREFIX + alertId;
    }

    public static String dealKey(String alertId) {
        return DEAL_PREFIX + alertId;
    }

    // Key readers (for stream records)

    public static boolean isContactKey(String pk) {
        return pk != null && pk.startsWith(CONTACT_PREFIX);
    }

    public static boolean isVisitorKey(String pk) {
        return pk != null && pk.startsWith(VISITOR_PREFIX);
    }

    public static boolean isProfileKey(String sk) {
        return PROFILE.equals(sk);
    }

    public static boolean isTallyKey(String sk) {
        return CONTACT_TALLY.equals(sk) || VISITOR_TALLY.equals(sk);
    }

    public static boolean isSignalKey(String sk) {
        return sk != null && sk.startsWith(SIGNAL_PREFIX);
    }

    public static boolean isVisitorLinkKey(String sk) {
        return LINK.equals(sk);
    }

    public static boolean isAlertKey(String sk) {
        return sk != null && sk.startsWith(ALERT_PREFIX);
    }

    public static boolean isDealKey(String sk) {
        return sk != null && sk.startsWith(DEAL_PREFIX);
    }

    /** The email of a {@code C#} partition key. */
    public static String emailOf(String pk) {
        return strip(pk, CONTACT_PREFIX);
    }

    /** The visitor id of a {@code V#} partition key. */
    public static String visitorIdOf(String pk) {
        return strip(pk, VISITOR_PREFIX);
    }

    public static String signalIdOf(String sk) {
        return strip(sk, SIGNAL_PREFIX);
    }

    public static String alertIdOf(String sk) {
        return strip(sk, ALERT_PREFIX);
    }

    private static String strip(String key, String prefix) {
        if (key == null || !key.startsWith(prefix)) {
            throw new IllegalArgumentException("not a " + prefix + " key");
        }
        return key.substring(prefix.length());
    }
}
