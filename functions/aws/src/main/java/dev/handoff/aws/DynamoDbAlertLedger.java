package dev.handoff.aws;

import static dev.handoff.aws.ContactTable.DEAL_ID;
import static dev.handoff.aws.ContactTable.EVENT_PUT_AT;
import static dev.handoff.aws.ContactTable.PK;
import static dev.handoff.aws.ContactTable.PUBLISHED_AT;
import static dev.handoff.aws.ContactTable.SNS_MESSAGE_ID;

import dev.handoff.core.app.AlertDispatcher;
import dev.handoff.core.app.SqlAlert;
import java.time.Clock;
import java.util.HashMap;
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
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The SQL alert outbox's progress in the contact table: which steps of an alert's delivery are done (deal,
 * event, SNS message), each noted on the alert's item when done. Every note is conditional on the alert's item,
 * so a contact erased meanwhile stops the delivery ({@link AlertGoneException}).
 */
public final class DynamoDbAlertLedger implements AlertDispatcher.AlertLedger {

    /** The alert's outbox item is gone: the contact was erased, so there is nothing to send. */
    public static final class AlertGoneException extends IllegalStateException {
        AlertGoneException(String alertId) {
            super("the alert " + alertId + " is no longer stored (the contact was erased)");
        }
    }

    private final DynamoDbRequests requests;
    private final Clock clock;

    public DynamoDbAlertLedger(DynamoDbClient ddb, String table) {
        this(ddb, table, Clock.systemUTC(), null);
    }

    public DynamoDbAlertLedger(DynamoDbClient ddb, String table, Clock clock, Consumer<DynamoDbRequests.Capacity> capacityListener) {
        this.requests = new DynamoDbRequests(ddb, table, capacityListener);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<AlertDispatcher.Progress> progress(String email, String alertId) {
        GetItemResponse response = requests.get(b -> b
                .key(DynamoDbRequests.key(pk(email), ContactTable.alertKey(alertId)))
                .consistentRead(true)
                .projectionExpression("#pk, #dealId, #eventPutAt, #snsMessageId")
                .expressionAttributeNames(Map.of("#pk", PK, "#dealId", DEAL_ID, "#eventPutAt", EVENT_PUT_AT,
                        "#snsMessageId", SNS_MESSAGE_ID)));
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
        String pk = pk(alert.contact().email());
        String dealId = alert.alertId();
        TransactionCanceledException cancelled = requests.transact(List.of(
                DynamoDbRequests.put(Put.builder()
                        .tableName(requests.table())
                        .item(AlertItems.dealItem(pk, alert, clock.instant().toString()))
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", PK))
                        .build()),
                DynamoDbRequests.update(noteOnAlert(pk, alert.alertId(), Map.of("#dealId", DEAL_ID),
                        Map.of(":dealId", AttributeValue.fromS(dealId)), "SET #dealId = :dealId"))));
        if (cancelled == null) return dealId;
        if (DynamoDbRequests.conditionFailed(cancelled, 1)) throw new AlertGoneException(alert.alertId());
        if (!DynamoDbRequests.conditionFailed(cancelled, 0)) throw cancelled;
        // The deal exists already (a retry after the deal was made): make sure the alert says so.
        note(pk, alert.alertId(), Map.of("#dealId", DEAL_ID), Map.of(":dealId", AttributeValue.fromS(dealId)), "SET #dealId = :dealId");
        return dealId;
    }

    @Override
    public void markEventPut(String email, String alertId) {
        note(pk(email), alertId, Map.of("#eventPutAt", EVENT_PUT_AT),
                Map.of(":now", AttributeValue.fromS(clock.instant().toString())), "SET #eventPutAt = :now");
    }

    @Override
    public void markPublished(String email, String alertId, String messageId) {
        if (messageId == null || messageId.isBlank()) throw new IllegalArgumentException("messageId must not be blank");
        note(pk(email), alertId,
                Map.of("#snsMessageId", SNS_MESSAGE_ID, "#publishedAt", PUBLISHED_AT),
                Map.of(":id", AttributeValue.fromS(messageId), ":now", AttributeValue.fromS(clock.instant().toString())),
                "SET #snsMessageId = :id, #publishedAt = :now");
    }

    private static String pk(String email) {
        return ContactTable.contactKey(email); // an EmailAddress's value (see ContactStore)
    }

    private Update noteOnAlert(String pk, String alertId, Map<String, String> names, Map<String, AttributeValue> values,
            String updateExpression) {
        Map<String, String> allNames = new HashMap<>(names);
        allNames.put("#pk", PK);
        return Update.builder()
                .tableName(requests.table())
                .key(DynamoDbRequests.key(pk, ContactTable.alertKey(alertId)))
                .updateExpression(updateExpression)
                .conditionExpression("attribute_exists(#pk)")
                .expressionAttributeNames(allNames)
                .expressionAttributeValues(values)
                .build();
    }

    private void note(String pk, String alertId, Map<String, String> names, Map<String, AttributeValue> values,
            String updateExpression) {
        Update u = noteOnAlert(pk, alertId, names, values, updateExpression);
        try {
            requests.update(UpdateItemRequest.builder()
                    .key(u.key())
                    .updateExpression(u.updateExpression())
                    .conditionExpression(u.conditionExpression())
                    .expressionAttributeNames(u.expressionAttributeNames())
                    .expressionAttributeValues(u.expressionAttributeValues()));
        } catch (ConditionalCheckFailedException gone) {
            throw new AlertGoneException(alertId);
        }
    }
}
