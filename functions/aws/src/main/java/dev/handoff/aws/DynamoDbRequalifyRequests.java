package dev.handoff.aws;

import static dev.handoff.aws.ContactTable.PK;
import static dev.handoff.aws.ContactTable.REQUALIFY;
import static dev.handoff.aws.ContactTable.SK;

import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Asks the qualification function to re-evaluate a contact through the table's stream (PRODUCT §7's requalify):
 * one UpdateItem that sets the profile's {@link ContactTable#REQUALIFY} attribute to the run's id, and nothing
 * else. It does not bump the profile's version, so a stage move being recorded at that moment is not disturbed,
 * and it is conditional on the profile existing, so a contact erased meanwhile is not brought back.
 */
public final class DynamoDbRequalifyRequests {

    /** What a request did, with the write units it consumed. */
    public record Result(boolean requested, double writeUnits) {}

    private final DynamoDbClient ddb;
    private final String table;

    public DynamoDbRequalifyRequests(DynamoDbClient ddb, String table) {
        this.ddb = Objects.requireNonNull(ddb, "ddb");
        this.table = Objects.requireNonNull(table, "table");
    }

    /**
     * Requests a re-evaluation of the contact for run {@code runId}; not requested when its profile is gone.
     *
     * @param email as the table keys it (what {@link DynamoDbContactKeys} finds)
     */
    public Result request(String email, String runId) {
        try {
            UpdateItemResponse response = ddb.updateItem(b -> b
                    .tableName(table)
                    .key(Map.of(
                            PK, AttributeValue.fromS(ContactTable.contactKey(email)),
                            SK, AttributeValue.fromS(ContactTable.PROFILE)))
                    .updateExpression("SET #rq = :run")
                    .conditionExpression("attribute_exists(#pk)")
                    .expressionAttributeNames(Map.of("#rq", REQUALIFY, "#pk", PK))
                    .expressionAttributeValues(Map.of(":run", AttributeValue.fromS(runId)))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            return new Result(true, units(response));
        } catch (ConditionalCheckFailedException gone) {
            return new Result(false, 0);
        }
    }

    /**
     * Whether a profile change seen on the stream (its old and new images) is a requalify request: the
     * {@link ContactTable#REQUALIFY} value is new. Every other change of a profile that carries one (a stage move,
     * a form's properties) keeps the value and is not.
     */
    public static boolean isRequest(Map<String, AttributeValue> oldImage, Map<String, AttributeValue> newImage) {
        String now = SignalItems.str(newImage, REQUALIFY);
        return now != null && !now.equals(oldImage == null ? null : SignalItems.str(oldImage, REQUALIFY));
    }

    private static double units(UpdateItemResponse response) {
        var c = response.consumedCapacity();
        return c == null || c.capacityUnits() == null ? 0 : c.capacityUnits();
    }
}
