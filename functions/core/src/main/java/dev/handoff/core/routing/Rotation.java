package dev.handoff.core.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The state of one pool's weighted round-robin, and its next turn. Pure: the store keeps the state and writes
 * the next one conditionally, so two SQLs at the same moment never take the same turn.
 *
 * <p>A <em>run</em> is the stretch of turns over which the pool's available owners stay the same. Over any run,
 * each owner's count stays within 1 of its weighted share ({@code turns × weight / total weight}): the turn goes
 * by Tijdeman's rule for the chairman assignment problem (R. Tijdeman, "The chairman assignment problem",
 * Discrete Mathematics 32, 1980), which keeps every deviation at most {@code 1 - 1/(2k-2)} for {@code k} owners.
 * (The smooth weighted round-robin of nginx does not: it can run more than 1 ahead of a share.) Among the owners
 * who are not ahead of their share by more than that margin, the one whose next turn falls due first gets it;
 * ties go to the owner listed first. When availability changes, a new run starts from the owners now available.
 *
 * @param members the available owner ids of the current run, in pool order (empty before the first turn)
 * @param turns turns taken in the current run
 * @param counts turns each member took in the current run
 */
public record Rotation(List<String> members, long turns, Map<String, Long> counts) {

    public static final Rotation START = new Rotation(List.of(), 0, Map.of());

    public Rotation {
        members = List.copyOf(members);
        counts = Map.copyOf(counts);
    }

    /** An owner who can take a turn, with its weight (at least 1). */
    public record Candidate(String id, int weight) {
        public Candidate {
            Objects.requireNonNull(id, "id");
            if (weight < 1) throw new IllegalArgumentException("weight must be at least 1");
        }
    }

    /** The owner who takes the turn, and the rotation after it. */
    public record Turn(String owner, Rotation next) {}

    /** The next turn among the available owners (pool order); null when no owner is available. */
    public Turn next(List<Candidate> available) {
        if (available.isEmpty()) return null;
        List<String> ids = available.stream().map(Candidate::id).toList();
        boolean sameRun = ids.equals(members);
        long t = (sameRun ? turns : 0) + 1;
        int k = available.size();
        long total = 0;
        for (Candidate c : available) total += c.weight();
        // With m = 2k - 2 (exact integers throughout):
        //   eligible:  t·w/W - c >= 1/m       <=>  (t·w - c·W)·m >= W
        //   due date:  (c + 1 - 1/m)·W / w    compared as ((c+1)·m - 1) / w
        long m = Math.max(1, 2L * k - 2);
        Candidate best = null;
        long bestNumerator = 0;
        for (Candidate c : available) {
            long count = sameRun ? counts.getOrDefault(c.id(), 0L) : 0;
            boolean eligible = k == 1 || (t * c.weight() - count * total) * m >= total;
            if (!eligible) continue;
            long numerator = (count + 1) * m - 1;
            if (best == null || numerator * best.weight() < bestNumerator * c.weight()) {
                best = c;
                bestNumerator = numerator;
            }
        }
        if (best == null) throw new IllegalStateException("no owner eligible at turn " + t + " of " + ids); // cannot happen: shares sum to t
        Map<String, Long> nextCounts = new LinkedHashMap<>();
        for (String id : ids) nextCounts.put(id, sameRun ? counts.getOrDefault(id, 0L) : 0L);
        nextCounts.merge(best.id(), 1L, Long::sum);
        return new Turn(best.id(), new Rotation(new ArrayList<>(ids), t, nextCounts));
    }
}
