package dev.handoff.aws;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The HubSpot sync's steps, recorded on each alert's outbox item as the alert ledger records its own (PRODUCT §3):
 * HubSpot's contact id once the lifecycle update (or create) is done, its deal id once the deal exists. A retry
 * reads them and does only what is left. A short lease on the alert keeps two deliveries of the same message
 * from working on it at the same moment.
 *
 * <pre>
 * C#&lt;email&gt;  ALERT#&lt;alert id&gt;  ... hsContactId, hsDealId, hsSyncedAt, hsLease, hsLeaseUntil
 * </pre>
 */
public final class DynamoDbHubSpotLedger {
    public static final String CONTACT_ID = "hsContactId";
    public static final String DEAL_ID = "hsDealId";
    public static final String SYNCED_AT = "hsSyncedAt";
    public static final String LEASE = "hsLease";
    public static final String LEASE_UNTIL = "hsLeaseUntil";

    /** What is done for one alert; null ids are steps still to do. */
    public record Progress(String contactId, String dealId) {
        public boolean done() {
            return contactId != null && dealId != null;
        }
    }

    /** HubSpot's ids for a contact, as {@code GET /contacts/{email}} shows them. */
    public record Links(String contactId, String dealId) {}

    private final DynamoDbClient ddb;
    private final String table;
    private final Clock clock;

    public DynamoDbHubSpotLedger(DynamoDbClient ddb, String table) {
        this(ddb, table, Clock.systemUTC());
    }

    public DynamoDbHubSpotLedger(DynamoDbClient ddb, String table, Clock clock) {
        this.ddb = ddb;
        this.table = table;
        this.clock = clock;
    }

    /** Empty when the alert is gone (the person was erased): nothing to sync. */
    public Optional<Progress> progress(String email, String alertId) {
        GetItemResponse r = ddb.getItem(b -> b.tableName(table).key(key(email, alertId)).consistentRead(true)
                .projectionExpression("#pk, #contact, #deal")
                .expressionAttributeNames(Map.of("#pk", ContactTable.PK, "#contact", CONTACT_ID, "#deal", DEAL_ID)));
        if (!r.hasItem() || r.item().isEmpty()) return Optional.empty();
        return Optional.of(new Progress(SignalItems.str(r.item(), CONTACT_ID), SignalItems.str(r.item(), DEAL_ID)));
    }

    /**
     * Takes the alert for {@code holder} for {@code duration}, unless another holder has it: false then (the
     * message is retried later, when the other is done or its lease ran out). Throws when the alert is gone.
     */
    public boolean lease(String email, String alertId, String holder, Duration duration) {
        long now = clock.millis();
        try {
            ddb.updateItem(b -> b.tableName(table).key(key(email, alertId))
                    .updateExpression("SET #lease = :holder, #until = :until")
                    .conditionExpression("attribute_exists(#pk) AND (attribute_not_exists(#until) OR #until < :now OR #lease = :holder)")
                    .expressionAttributeNames(Map.of("#pk", ContactTable.PK, "#lease", LEASE, "#until", LEASE_UNTIL))
                    .expressionAttributeValues(Map.of(":holder", AttributeValue.fromS(holder),
                            ":until", AttributeValue.fromN(Long.toString(now + duration.toMillis())),
                            ":now", AttributeValue.fromN(Long.toString(now)))));
            return true;
        } catch (ConditionalCheckFailedException taken) {
            if (progress(email, alertId).isEmpty()) throw new DynamoDbContacts.AlertGoneException(alertId);
            return false;
        }
    }

    public void recordContact(String email, String alertId, String contactId) {
        set(email, alertId, CONTACT_ID, contactId);
    }

    /** The deal's id, and the lease let go: the alert is synced. */
    public void recordDeal(String email, String alertId, String dealId) {
        set(email, alertId, DEAL_ID, dealId);
    }

    private void set(String email, String alertId, String attribute, String value) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", ContactTable.PK, "#a", attribute, "#at", SYNCED_AT));
        try {
            ddb.updateItem(b -> b.tableName(table).key(key(email, alertId))
                    .updateExpression("SET #a = :v, #at = :at")
                    .conditionExpression("attribute_exists(#pk)")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(value),
                            ":at", AttributeValue.fromS(clock.instant().toString()))));
        } catch (ConditionalCheckFailedException gone) {
            throw new DynamoDbContacts.AlertGoneException(alertId);
        }
    }

    /** HubSpot's ids of the contact's latest synced alert; empty when none was synced. */
    public Optional<Links> latest(String email) {
        String pk = ContactTable.contactKey(email);
        Links latest = null;
        String latestAt = null;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = ddb.query(b -> b.tableName(table).consistentRead(true)
                    .keyConditionExpression("#pk = :pk AND begins_with(#sk, :alert)")
                    .projectionExpression("#contact, #deal, #created")
                    .expressionAttributeNames(Map.of("#pk", ContactTable.PK, "#sk", ContactTable.SK,
                            "#contact", CONTACT_ID, "#deal", DEAL_ID, "#created", ContactTable.CREATED_AT))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk),
                            ":alert", AttributeValue.fromS(ContactTable.ALERT_PREFIX)))
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : page.items()) {
                String contactId = SignalItems.str(item, CONTACT_ID);
                if (contactId == null) continue;
                String at = SignalItems.str(item, ContactTable.CREATED_AT);
                if (latest == null || (at != null && (latestAt == null || at.compareTo(latestAt) > 0))) {
                    latest = new Links(contactId, SignalItems.str(item, DEAL_ID));
                    latestAt = at;
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return Optional.ofNullable(latest);
    }

    private static Map<String, AttributeValue> key(String email, String alertId) {
        return Map.of(ContactTable.PK, AttributeValue.fromS(ContactTable.contactKey(email)),
                ContactTable.SK, AttributeValue.fromS(ContactTable.alertKey(alertId)));
    }
}
