package dev.handoff.aws;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/** Every item of the routing partition, read at once (strongly consistent): a few items, one per pool and owner. */
record RoutingPartition(Map<String, Map<String, AttributeValue>> itemsBySortKey) {

    static RoutingPartition read(DynamoDbClient ddb, String table) {
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = ddb.query(b -> b.tableName(table).consistentRead(true)
                    .keyConditionExpression("#pk = :pk")
                    .expressionAttributeNames(Map.of("#pk", ContactTable.PK))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(RoutingItems.PARTITION)))
                    .exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : page.items()) items.put(item.get(ContactTable.SK).s(), item);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return new RoutingPartition(items);
    }

    Map<String, AttributeValue> pool(String poolId) {
        return itemsBySortKey.get(RoutingItems.poolKey(poolId));
    }

    /** An owner is available unless set otherwise through {@code PUT /owners/{id}}. */
    boolean available(String ownerId) {
        Map<String, AttributeValue> item = itemsBySortKey.get(RoutingItems.ownerKey(ownerId));
        AttributeValue a = item == null ? null : item.get(RoutingItems.AVAILABLE);
        return a == null || a.bool() == null || a.bool();
    }
}
