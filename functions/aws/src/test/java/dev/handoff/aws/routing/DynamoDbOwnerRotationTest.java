package dev.handoff.aws.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.aws.ContactTable;
import dev.handoff.aws.DynamoDbOwnerRotation;
import dev.handoff.aws.DynamoDbOwners;
import dev.handoff.core.policy.Routing;
import dev.handoff.core.routing.OwnerDirectory;
import dev.handoff.core.routing.Rotation;
import dev.handoff.core.routing.RotationStore;
import dev.handoff.local.EmbeddedDynamoDb;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * PRODUCT §5.2 on DynamoDB Local: SQLs routed at the same moment never take the same turn, a retried alert takes
 * none, and the counts of a run of concurrent SQLs are those of the same run taken one by one, so within 1 of
 * each owner's weighted share.
 */
class DynamoDbOwnerRotationTest {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static EmbeddedDynamoDb engine;

    @BeforeContainer
    static void start() {
        engine = new EmbeddedDynamoDb();
    }

    @AfterContainer
    static void stop() {
        engine.close();
    }

    private static String newTable() {
        String name = "routing-" + TABLES.incrementAndGet();
        ContactTable.create(engine.client(), name);
        return name;
    }

    private static void putAlert(DynamoDbClient ddb, String table, String email, String alertId) {
        ddb.putItem(b -> b.tableName(table).item(Map.of(
                ContactTable.PK, AttributeValue.fromS(ContactTable.contactKey(email)),
                ContactTable.SK, AttributeValue.fromS(ContactTable.alertKey(alertId)),
                ContactTable.CREATED_AT, AttributeValue.fromS("2026-11-28T10:00:00Z"))));
    }

    @Provide
    Arbitrary<Routing.Pool> pools() {
        return Arbitraries.integers().between(1, 5).list().ofMinSize(1).ofMaxSize(5).map(weights -> {
            List<Routing.Owner> owners = new ArrayList<>();
            for (int i = 0; i < weights.size(); i++) owners.add(new Routing.Owner("o" + i, null, weights.get(i)));
            return new Routing.Pool("pool", null, owners);
        });
    }

    @Property(tries = 8)
    void concurrent_sqls_never_share_a_turn_and_keep_the_weighted_shares(
            @ForAll("pools") Routing.Pool pool, @ForAll @IntRange(min = 4, max = 24) int sqls) throws Exception {
        DynamoDbClient ddb = engine.client();
        String table = newTable();
        DynamoDbOwnerRotation rotation = new DynamoDbOwnerRotation(ddb, table);
        for (int i = 0; i < sqls; i++) putAlert(ddb, table, "p" + i + "@x.com", "a" + i);

        List<RotationStore.Assignment> first = runConcurrently(sqls, i -> rotation.assign("p" + i + "@x.com", "a" + i, pool));
        // Every alert delivered again, at the same moment: each keeps its owner and no turn is taken.
        List<RotationStore.Assignment> again = runConcurrently(sqls, i -> rotation.assign("p" + i + "@x.com", "a" + i, pool));
        assertThat(again).isEqualTo(first);

        Map<String, Long> counts = new HashMap<>();
        for (RotationStore.Assignment a : first) counts.merge(a.owner(), 1L, Long::sum);
        assertThat(counts).isEqualTo(sequentialCounts(pool, sqls));
        long total = pool.owners().stream().mapToLong(Routing.Owner::weight).sum();
        for (Routing.Owner o : pool.owners()) {
            assertThat(Math.abs(counts.getOrDefault(o.id(), 0L) * total - (long) sqls * o.weight())).isLessThan(total);
        }
        List<OwnerDirectory.OwnerStatus> listed = new DynamoDbOwners(ddb, table).owners(new Routing(List.of(pool)));
        assertThat(listed).extracting(OwnerDirectory.OwnerStatus::assigned)
                .containsExactlyElementsOf(pool.owners().stream().map(o -> counts.getOrDefault(o.id(), 0L)).toList());
        for (int i = 0; i < sqls; i++) assertThat(rotation.recorded("p" + i + "@x.com", "a" + i)).contains(first.get(i));
    }

    @Example
    void an_unavailable_owner_is_skipped_and_a_pool_with_nobody_available_gives_no_owner() {
        DynamoDbClient ddb = engine.client();
        String table = newTable();
        Routing.Pool pool = new Routing.Pool("p", null, List.of(new Routing.Owner("cy", null, 1), new Routing.Owner("dee", null, 1)));
        DynamoDbOwnerRotation rotation = new DynamoDbOwnerRotation(ddb, table);
        DynamoDbOwners owners = new DynamoDbOwners(ddb, table);
        for (int i = 0; i < 4; i++) putAlert(ddb, table, "p" + i + "@x.com", "a" + i);
        owners.setAvailable("cy", false);
        assertThat(rotation.assign("p0@x.com", "a0", pool).owner()).isEqualTo("dee");
        owners.setAvailable("dee", false);
        assertThat(rotation.assign("p1@x.com", "a1", pool)).isEqualTo(new RotationStore.Assignment("p", null));
        owners.setAvailable("cy", true);
        owners.setAvailable("dee", true);
        assertThat(rotation.assign("p2@x.com", "a2", pool).owner()).isEqualTo("cy");
        assertThat(owners.owners(new Routing(List.of(pool))))
                .containsExactly(new OwnerDirectory.OwnerStatus("cy", "p", 1, true, 1), new OwnerDirectory.OwnerStatus("dee", "p", 1, true, 1));
    }

    @Example
    void an_alert_without_a_pool_is_recorded_without_an_owner() {
        DynamoDbClient ddb = engine.client();
        String table = newTable();
        putAlert(ddb, table, "p0@x.com", "a0");
        DynamoDbOwnerRotation rotation = new DynamoDbOwnerRotation(ddb, table);
        assertThat(rotation.recorded("p0@x.com", "a0")).isEmpty();
        assertThat(rotation.assign("p0@x.com", "a0", null)).isEqualTo(new RotationStore.Assignment(null, null));
        assertThat(rotation.recorded("p0@x.com", "a0")).contains(new RotationStore.Assignment(null, null));
    }

    private static Map<String, Long> sequentialCounts(Routing.Pool pool, int turns) {
        List<Rotation.Candidate> candidates = pool.owners().stream().map(o -> new Rotation.Candidate(o.id(), o.weight())).toList();
        Rotation r = Rotation.START;
        Map<String, Long> counts = new HashMap<>();
        for (int i = 0; i < turns; i++) {
            Rotation.Turn t = r.next(candidates);
            counts.merge(t.owner(), 1L, Long::sum);
            r = t.next();
        }
        return counts;
    }

    interface Task<T> {
        T run(int i);
    }

    private static <T> List<T> runConcurrently(int n, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<T>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                calls.add(() -> task.run(index));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : pool.invokeAll(calls)) out.add(f.get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
