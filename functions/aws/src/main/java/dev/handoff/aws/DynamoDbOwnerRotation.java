package dev.handoff.aws;

import static dev.handoff.aws.RoutingItems.ASSIGNED;
import static dev.handoff.aws.RoutingItems.AVAILABLE;
import static dev.handoff.aws.RoutingItems.COUNTS;
import static dev.handoff.aws.RoutingItems.MEMBERS;
import static dev.handoff.aws.RoutingItems.ROUTED_AT;
import static dev.handoff.aws.RoutingItems.ROUTED_OWNER;
import static dev.handoff.aws.RoutingItems.ROUTED_POOL;
import static dev.handoff.aws.RoutingItems.TURNS;
import static dev.handoff.aws.RoutingItems.VERSION;

import dev.handoff.core.policy.Routing;
import dev.handoff.core.routing.Rotation;
import dev.handoff.core.routing.RotationStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * The pools' rotations in DynamoDB ({@link RoutingItems}). A turn is one transaction: the pool's item, written
 * only if its version is still the one read (so two SQLs at the same moment never take the same turn: one
 * writes, the other reads again and takes the next); the alert's note of its owner, written only if the alert
 * has none yet (so a retried alert takes no second turn); and a check that the owner is still available.
 */
public final class DynamoDbOwnerRotation implements RotationStore {
    /** Optimistic rounds before giving up (the caller's retry then tries again); SQLs rarely come faster. */
    static final int MAX_ATTEMPTS = 60;

    private final DynamoDbClient ddb;
    private final String table;
    private final Clock clock;

    public DynamoDbOwnerRotation(DynamoDbClient ddb, String table) {
        this(ddb, table, Clock.systemUTC());
    }

    public DynamoDbOwnerRotation(DynamoDbClient ddb, String table, Clock clock) {
        this.ddb = ddb;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public Optional<Assignment> recorded(String email, String alertId) {
        Map<String, AttributeValue> alert = alertItem(email, alertId);
        if (alert == null || !alert.containsKey(ROUTED_AT)) return Optional.empty();
        return Optional.of(assignmentOf(alert));
    }

    @Override
    public Assignment assign(String email, String alertId, Routing.Pool pool) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> alert = alertItem(email, alertId);
            if (alert == null) throw new DynamoDbContacts.AlertGoneException(alertId);
            if (alert.containsKey(ROUTED_AT)) return assignmentOf(alert);
            Rotation.Turn turn = null;
            PoolState state = null;
            if (pool != null) {
                state = read(pool.id());
                List<Rotation.Candidate> available = new ArrayList<>();
                for (Routing.Owner o : pool.owners()) {
                    if (state.available(o.id())) available.add(new Rotation.Candidate(o.id(), o.weight()));
                }
                turn = state.rotation.next(available);
            }
            String poolId = pool == null ? null : pool.id();
            String owner = turn == null ? null : turn.owner();
            List<TransactWriteItem> writes = new ArrayList<>();
            writes.add(TransactWriteItem.builder().update(noteOnAlert(email, alertId, poolId, owner)).build());
            if (turn != null) {
                writes.add(TransactWriteItem.builder().put(poolWrite(pool.id(), state, turn)).build());
                writes.add(TransactWriteItem.builder().conditionCheck(stillAvailable(owner)).build());
            }
            try {
                ddb.transactWriteItems(b -> b.transactItems(writes));
                return new Assignment(poolId, owner);
            } catch (TransactionCanceledException e) {
                // The alert routed meanwhile (a concurrent retry), or a turn taken or availability changed since
                // the read: read again. A conflict with another transaction, likewise.
                if (!e.hasCancellationReasons() || e.cancellationReasons().stream().map(CancellationReason::code)
                        .noneMatch(c -> "ConditionalCheckFailed".equals(c) || "TransactionConflict".equals(c))) {
                    throw e;
                }
                pause(attempt);
            }
        }
        throw new IllegalStateException("the rotation kept changing during " + MAX_ATTEMPTS + " attempts to route alert " + alertId);
    }

    private Update noteOnAlert(String email, String alertId, String pool, String owner) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", ContactTable.PK, "#at", ROUTED_AT));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":at", s(clock.instant().toString())));
        StringBuilder set = new StringBuilder("SET #at = :at");
        if (pool != null) {
            names.put("#pool", ROUTED_POOL);
            values.put(":pool", s(pool));
            set.append(", #pool = :pool");
        }
        if (owner != null) {
            names.put("#owner", ROUTED_OWNER);
            values.put(":owner", s(owner));
            set.append(", #owner = :owner");
        }
        return Update.builder()
                .tableName(table)
                .key(alertKey(email, alertId))
                .updateExpression(set.toString())
                .conditionExpression("attribute_exists(#pk) AND attribute_not_exists(#at)")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
    }

    private Put poolWrite(String poolId, PoolState state, Rotation.Turn turn) {
        Rotation next = turn.next();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ContactTable.PK, s(RoutingItems.PARTITION));
        item.put(ContactTable.SK, s(RoutingItems.poolKey(poolId)));
        item.put(VERSION, n(state.version + 1));
        item.put(MEMBERS, AttributeValue.fromL(next.members().stream().map(DynamoDbOwnerRotation::s).toList()));
        item.put(TURNS, n(next.turns()));
        Map<String, AttributeValue> counts = new LinkedHashMap<>();
        next.counts().forEach((k, v) -> counts.put(k, n(v)));
        item.put(COUNTS, AttributeValue.fromM(counts));
        Map<String, AttributeValue> assigned = new LinkedHashMap<>();
        state.assigned.forEach((k, v) -> assigned.put(k, n(v)));
        assigned.merge(turn.owner(), n(1), (a, b) -> n(Long.parseLong(a.n()) + 1));
        item.put(ASSIGNED, AttributeValue.fromM(assigned));
        item.put(ContactTable.UPDATED_AT, s(clock.instant().toString()));
        return Put.builder()
                .tableName(table)
                .item(item)
                .conditionExpression(state.version == 0 ? "attribute_not_exists(#pk)" : "#ver = :ver")
                .expressionAttributeNames(state.version == 0 ? Map.of("#pk", ContactTable.PK) : Map.of("#ver", VERSION))
                .expressionAttributeValues(state.version == 0 ? null : Map.of(":ver", n(state.version)))
                .build();
    }

    private ConditionCheck stillAvailable(String owner) {
        return ConditionCheck.builder()
                .tableName(table)
                .key(Map.of(ContactTable.PK, s(RoutingItems.PARTITION), ContactTable.SK, s(RoutingItems.ownerKey(owner))))
                .conditionExpression("attribute_not_exists(#available) OR #available = :yes")
                .expressionAttributeNames(Map.of("#available", AVAILABLE))
                .expressionAttributeValues(Map.of(":yes", AttributeValue.fromBool(true)))
                .build();
    }

    /** A pool's rotation as stored, with the availability of every owner (one Query of the routing partition). */
    private PoolState read(String poolId) {
        RoutingPartition partition = RoutingPartition.read(ddb, table);
        Map<String, AttributeValue> item = partition.pool(poolId);
        if (item == null) return new PoolState(0, Rotation.START, Map.of(), partition);
        List<String> members = item.containsKey(MEMBERS) ? item.get(MEMBERS).l().stream().map(AttributeValue::s).toList() : List.of();
        return new PoolState(Long.parseLong(item.get(VERSION).n()),
                new Rotation(members, item.containsKey(TURNS) ? Long.parseLong(item.get(TURNS).n()) : 0, numbers(item.get(COUNTS))),
                numbers(item.get(ASSIGNED)), partition);
    }

    static Map<String, Long> numbers(AttributeValue map) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (map != null && map.hasM()) map.m().forEach((k, v) -> out.put(k, Long.parseLong(v.n())));
        return out;
    }

    private record PoolState(long version, Rotation rotation, Map<String, Long> assigned, RoutingPartition partition) {
        boolean available(String owner) {
            return partition.available(owner);
        }
    }

    private Map<String, AttributeValue> alertItem(String email, String alertId) {
        GetItemResponse r = ddb.getItem(b -> b.tableName(table).key(alertKey(email, alertId)).consistentRead(true)
                .projectionExpression("#pk, #at, #pool, #owner")
                .expressionAttributeNames(Map.of("#pk", ContactTable.PK, "#at", ROUTED_AT, "#pool", ROUTED_POOL,
                        "#owner", ROUTED_OWNER)));
        return r.hasItem() && !r.item().isEmpty() ? r.item() : null;
    }

    private static Assignment assignmentOf(Map<String, AttributeValue> alert) {
        return new Assignment(SignalItems.str(alert, ROUTED_POOL), SignalItems.str(alert, ROUTED_OWNER));
    }

    private static Map<String, AttributeValue> alertKey(String email, String alertId) {
        return Map.of(ContactTable.PK, s(ContactTable.contactKey(email)),
                ContactTable.SK, s(ContactTable.alertKey(alertId)));
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(2, 10L + 5L * Math.min(attempt, 20)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while routing", e);
        }
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
