package dev.handoff.aws;

import static dev.handoff.aws.ContactTable.CREATED_AT;
import static dev.handoff.aws.ContactTable.EMAIL;
import static dev.handoff.aws.ContactTable.HISTORY;
import static dev.handoff.aws.ContactTable.HIST_ACTOR;
import static dev.handoff.aws.ContactTable.HIST_AT;
import static dev.handoff.aws.ContactTable.HIST_NOTE;
import static dev.handoff.aws.ContactTable.HIST_POLICY_VERSION;
import static dev.handoff.aws.ContactTable.HIST_REASON;
import static dev.handoff.aws.ContactTable.HIST_TO;
import static dev.handoff.aws.ContactTable.PK;
import static dev.handoff.aws.ContactTable.SK;
import static dev.handoff.aws.ContactTable.STAGE;
import static dev.handoff.aws.ContactTable.UPDATED_AT;
import static dev.handoff.aws.ContactTable.VERSION;
import static dev.handoff.aws.ContactTable.VISITOR_IDS;

import dev.handoff.core.Reason;
import dev.handoff.core.Stage;
import dev.handoff.core.StageMove;
import dev.handoff.core.app.VisitorIdentified;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Links a visitor to a contact for a trusted {@code identify} (PRODUCT §2.5), in one TransactWriteItems: the
 * visitor's {@code LINK} item (as a form's visitor id writes it, so the qualification function is woken by its
 * insert and counts the visitor's history) and the contact's profile — its visitor ids, its version, and, when it
 * has no stage yet, the entry stage with its history entry. Doing it again changes nothing that counts.
 */
public final class DynamoDbVisitorLinks implements VisitorIdentified.Links {
    private final DynamoDbClient ddb;
    private final String table;

    public DynamoDbVisitorLinks(DynamoDbClient ddb, String table) {
        this.ddb = ddb;
        this.table = table;
    }

    @Override
    public void link(VisitorIdentified identified, Stage entryStage, String policyVersion) {
        String pk = ContactTable.contactKey(identified.email().value());
        AttributeValue now = AttributeValue.fromS(identified.at().toString());
        Map<String, AttributeValue> entry = new LinkedHashMap<>();
        entry.put(HIST_TO, AttributeValue.fromS(entryStage.id()));
        entry.put(HIST_AT, now);
        entry.put(HIST_REASON, AttributeValue.fromS(Reason.TRACKING_EVENT.code()));
        entry.put(HIST_ACTOR, AttributeValue.fromS(StageMove.POLICY_ACTOR));
        if (policyVersion != null) entry.put(HIST_POLICY_VERSION, AttributeValue.fromS(policyVersion));
        entry.put(HIST_NOTE, AttributeValue.fromS("identified by " + identified.source()));

        Map<String, String> names = Map.of("#stage", STAGE, "#hist", HISTORY, "#createdAt", CREATED_AT,
                "#updatedAt", UPDATED_AT, "#ver", VERSION, "#vids", VISITOR_IDS);
        Map<String, AttributeValue> values = Map.of(
                ":stage", AttributeValue.fromS(entryStage.id()),
                ":entry", AttributeValue.fromL(List.of(AttributeValue.fromM(entry))),
                ":now", now,
                ":one", AttributeValue.fromN("1"),
                ":vids", AttributeValue.fromSs(List.of(identified.visitorId().value())));
        ddb.transactWriteItems(t -> t.transactItems(
                TransactWriteItem.builder().put(Put.builder()
                        .tableName(table)
                        .item(Map.of(
                                PK, AttributeValue.fromS(ContactTable.visitorKey(identified.visitorId().value())),
                                SK, AttributeValue.fromS(ContactTable.LINK),
                                EMAIL, AttributeValue.fromS(identified.email().value()),
                                UPDATED_AT, now))
                        .build()).build(),
                TransactWriteItem.builder().update(Update.builder()
                        .tableName(table)
                        .key(Map.of(PK, AttributeValue.fromS(pk), SK, AttributeValue.fromS(ContactTable.PROFILE)))
                        // A contact that already has a stage keeps it and its history: an identify never moves anyone.
                        .updateExpression("SET #stage = if_not_exists(#stage, :stage), #hist = if_not_exists(#hist, :entry), "
                                + "#updatedAt = :now, #createdAt = if_not_exists(#createdAt, :now) ADD #ver :one, #vids :vids")
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .build()).build()));
    }
}
