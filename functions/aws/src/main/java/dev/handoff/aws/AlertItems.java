package dev.handoff.aws;

import static dev.handoff.aws.ContactTable.ALERT;
import static dev.handoff.aws.ContactTable.AMOUNT;
import static dev.handoff.aws.ContactTable.CREATED_AT;
import static dev.handoff.aws.ContactTable.DEAL_ID;
import static dev.handoff.aws.ContactTable.DEAL_STAGE;
import static dev.handoff.aws.ContactTable.PIPELINE;
import static dev.handoff.aws.ContactTable.PK;
import static dev.handoff.aws.ContactTable.SK;

import dev.handoff.core.app.Deal;
import dev.handoff.core.app.SqlAlert;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The explicit mapping of the alert outbox ({@code ALERT#<alert id>}) and deal ({@code DEAL#<alert id>}) items. */
public final class AlertItems {
    private AlertItems() {}

    /** The outbox item recorded with a move into SQL: the alert as its {@code default} JSON. */
    static Map<String, AttributeValue> outboxItem(String pk, SqlAlert alert, String now) {
        return Map.of(
                PK, AttributeValue.fromS(pk),
                SK, AttributeValue.fromS(ContactTable.alertKey(alert.alertId())),
                ALERT, AttributeValue.fromS(AlertJson.toJson(alert)),
                CREATED_AT, AttributeValue.fromS(now));
    }

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

    /** The deal made for an alert; its id is the alert's. */
    static Map<String, AttributeValue> dealItem(String pk, SqlAlert alert, String now) {
        Map<String, AttributeValue> deal = new HashMap<>();
        deal.put(PK, AttributeValue.fromS(pk));
        deal.put(SK, AttributeValue.fromS(ContactTable.dealKey(alert.alertId())));
        deal.put(DEAL_ID, AttributeValue.fromS(alert.alertId()));
        deal.put(PIPELINE, AttributeValue.fromS(ContactTable.DEFAULT_PIPELINE));
        deal.put(DEAL_STAGE, AttributeValue.fromS(ContactTable.QUALIFICATION_DEAL_STAGE));
        if (alert.dealAmount() != null) deal.put(AMOUNT, AttributeValue.fromN(Long.toString(alert.dealAmount())));
        if (alert.owner() != null) deal.put(ContactTable.OWNER, AttributeValue.fromS(alert.owner()));
        deal.put(CREATED_AT, AttributeValue.fromS(now));
        return deal;
    }

    static Deal dealOf(Map<String, AttributeValue> item) {
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
}
