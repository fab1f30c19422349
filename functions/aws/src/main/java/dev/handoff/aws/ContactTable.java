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
 * C#&lt;email&gt;       E#&lt;signal id&gt;      one signal: t, at, its own few fields, ttl (engagement signals only)
 * C#&lt;email&gt;       ALERT#&lt;alert id&gt;    the SQL alert outbox: alert (JSON), createdAt, dealId, eventPutAt, snsMessageId
 * C#&lt;email&gt;       DEAL#&lt;alert id&gt;     the deal made for that alert: dealId, pipeline, dealstage, amount, owner, createdAt
 * ROUTING         POOL#.., OWNER#..  owner routing: see {@link RoutingItems}
 * V#&lt;visitorId&gt;   E#&lt;signal id&gt;      an anonymous visitor's signal, as above
 * V#&lt;visitorId&gt;   LINK               email: the contact a form post linked the visitor to
 * </pre>
 *
 * One signal is one small item, so recording a tracking event is one PutItem of 110 to 160 bytes (1 WRU) that
 * dedupes itself with {@code attribute_not_exists(pk)}, reading nothing; engagement signals carry a TTL so that
 * they stop taking space once they are past the policy's window.
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
