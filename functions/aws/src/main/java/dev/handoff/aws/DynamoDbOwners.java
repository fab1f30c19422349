package dev.handoff.aws;

import dev.handoff.core.policy.Routing;
import dev.handoff.core.routing.OwnerDirectory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The owners' availability and counts ({@link RoutingItems}), for the sales API's {@code /owners} routes. */
public final class DynamoDbOwners implements OwnerDirectory {
    private final DynamoDbClient ddb;
    private final String table;
    private final Clock clock;

    public DynamoDbOwners(DynamoDbClient ddb, String table) {
        this(ddb, table, Clock.systemUTC());
    }

    public DynamoDbOwners(DynamoDbClient ddb, String table, Clock clock) {
        this.ddb = ddb;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public List<OwnerStatus> owners(Routing routing) {
        if (routing.isEmpty()) return List.of();
        RoutingPartition partition = RoutingPartition.read(ddb, table);
        List<OwnerStatus> out = new ArrayList<>();
        for (Routing.Pool pool : routing.pools()) {
            Map<String, Long> assigned = DynamoDbOwnerRotation.numbers(
                    partition.pool(pool.id()) == null ? null : partition.pool(pool.id()).get(RoutingItems.ASSIGNED));
            for (Routing.Owner o : pool.owners()) {
                out.add(new OwnerStatus(o.id(), pool.id(), o.weight(), partition.available(o.id()), assigned.getOrDefault(o.id(), 0L)));
            }
        }
        return out;
    }

    /** One UpdateItem of the owner's item; the next turn of every pool reads it. */
    @Override
    public void setAvailable(String ownerId, boolean available) {
        ddb.updateItem(b -> b.tableName(table)
                .key(Map.of(ContactTable.PK, AttributeValue.fromS(RoutingItems.PARTITION),
                        ContactTable.SK, AttributeValue.fromS(RoutingItems.ownerKey(ownerId))))
                .updateExpression("SET #available = :available, #updatedAt = :now")
                .expressionAttributeNames(Map.of("#available", RoutingItems.AVAILABLE, "#updatedAt", ContactTable.UPDATED_AT))
                .expressionAttributeValues(Map.of(":available", AttributeValue.fromBool(available),
                        ":now", AttributeValue.fromS(clock.instant().toString()))));
    }
}
