package dev.handoff.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * PRODUCT §5.2: over any run of SQLs in one pool, each available owner's count stays within 1 of its weighted
 * share. Checked after every turn, exactly (integers: |count·W − turns·w| < W).
 */
class RotationPropertiesTest {

    @Provide
    Arbitrary<List<Rotation.Candidate>> pools() {
        return Arbitraries.integers().between(1, 12).list().ofMinSize(1).ofMaxSize(9).map(weights -> {
            List<Rotation.Candidate> out = new ArrayList<>();
            for (int i = 0; i < weights.size(); i++) out.add(new Rotation.Candidate("o" + i, weights.get(i)));
            return out;
        });
    }

    @Property(tries = 300)
    void every_owner_stays_within_one_of_its_weighted_share_after_every_turn(
            @ForAll("pools") List<Rotation.Candidate> owners, @ForAll @IntRange(min = 1, max = 400) int turns) {
        long total = owners.stream().mapToLong(Rotation.Candidate::weight).sum();
        Rotation r = Rotation.START;
        Map<String, Long> counts = new HashMap<>();
        for (int t = 1; t <= turns; t++) {
            Rotation.Turn turn = r.next(owners);
            counts.merge(turn.owner(), 1L, Long::sum);
            r = turn.next();
            for (Rotation.Candidate o : owners) {
                long deviation = Math.abs(counts.getOrDefault(o.id(), 0L) * total - (long) t * o.weight());
                assertThat(deviation).as("owner %s after %d turns, weights %s", o.id(), t, owners).isLessThan(total);
            }
        }
        assertThat(r.turns()).isEqualTo(turns);
    }

    @Property(tries = 200)
    void a_change_of_availability_starts_a_new_run_that_keeps_the_shares_of_those_available(
            @ForAll("pools") List<Rotation.Candidate> owners, @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 60) Integer> runs,
            @ForAll long seed) {
        java.util.Random random = new java.util.Random(seed);
        Rotation r = Rotation.START;
        for (int length : runs) {
            List<Rotation.Candidate> available = new ArrayList<>();
            for (Rotation.Candidate o : owners) if (random.nextInt(3) > 0) available.add(o);
            if (available.isEmpty()) {
                assertThat(r.next(available)).isNull();
                continue;
            }
            long total = available.stream().mapToLong(Rotation.Candidate::weight).sum();
            Map<String, Long> counts = new HashMap<>();
            boolean continued = r.members().equals(available.stream().map(Rotation.Candidate::id).toList());
            long before = continued ? r.turns() : 0;
            Map<String, Long> startCounts = continued ? r.counts() : Map.of();
            for (int t = 1; t <= length; t++) {
                Rotation.Turn turn = r.next(available);
                assertThat(available).extracting(Rotation.Candidate::id).contains(turn.owner());
                counts.merge(turn.owner(), 1L, Long::sum);
                r = turn.next();
                for (Rotation.Candidate o : available) {
                    long c = startCounts.getOrDefault(o.id(), 0L) + counts.getOrDefault(o.id(), 0L);
                    assertThat(Math.abs(c * total - (before + t) * o.weight())).isLessThan(total);
                }
            }
        }
    }

    @Example
    void weights_two_and_one_alternate_two_turns_to_one() {
        List<Rotation.Candidate> owners = List.of(new Rotation.Candidate("ana", 2), new Rotation.Candidate("bo", 1));
        List<String> order = new ArrayList<>();
        Rotation r = Rotation.START;
        for (int i = 0; i < 6; i++) {
            Rotation.Turn t = r.next(owners);
            order.add(t.owner());
            r = t.next();
        }
        assertThat(order).containsExactly("ana", "bo", "ana", "ana", "bo", "ana");
    }

    @Example
    void equal_weights_are_plain_round_robin_in_pool_order() {
        List<Rotation.Candidate> owners = List.of(new Rotation.Candidate("cy", 1), new Rotation.Candidate("dee", 1));
        Rotation r = Rotation.START;
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Rotation.Turn t = r.next(owners);
            order.add(t.owner());
            r = t.next();
        }
        assertThat(order).containsExactly("cy", "dee", "cy", "dee");
    }

    @Example
    void nobody_available_means_no_turn() {
        assertThat(Rotation.START.next(List.of())).isNull();
    }

}
