package dev.handoff.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.Counter;
import dev.handoff.core.Fixtures;
import dev.handoff.core.FormType;
import dev.handoff.core.SignalTally;
import dev.handoff.core.SignalType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The evaluator's fast paths (issue 9) give exactly what the plain definitions give: a window's counts from the
 * tally's running totals equal the sum over its days, and each decaying rule's weighted count from the one walk
 * over the window, or the shortcut for a rule sure to reach its cap, gives the points that summing with
 * {@link Evaluator#weightedCount(SignalTally, int, int, int[], int[], double[])} and capping give, to the last bit, for any
 * tally (with signal times known or not), window, half-life and moment of evaluation (days after it included; the
 * window's first day less its signals from before the window).
 */
class EngagementFastPathPropertiesTest {
    private static final int TODAY = SignalTally.dayOf(Fixtures.NOW);

    @Provide
    Arbitrary<SignalTally> tallies() {
        List<Counter> pool = new ArrayList<>();
        for (String category : List.of("pricing", "docs", "demo", "")) pool.add(new Counter(SignalType.PAGE_VIEWED, category, false));
        for (String asset : List.of("whitepaper", "datasheet", "ebook", "")) {
            pool.add(new Counter(SignalType.CONTENT_DOWNLOADED, asset, true));
            pool.add(new Counter(SignalType.CONTENT_DOWNLOADED, asset, false));
        }
        for (FormType f : FormType.values()) pool.add(new Counter(SignalType.FORM_SUBMITTED, f.id(), false));
        for (SignalType t : List.of(SignalType.SESSION_STARTED, SignalType.EMAIL_OPENED, SignalType.EMAIL_CLICKED,
                SignalType.WEBINAR_ATTENDED, SignalType.MEETING_BOOKED)) {
            pool.add(new Counter(t, "", false));
        }
        Arbitrary<int[]> cells = Combinators.combine(
                        Arbitraries.integers().between(-400, 10), Arbitraries.integers().between(0, pool.size() - 1),
                        Arbitraries.integers().between(1, 40))
                .as((day, counter, n) -> new int[] {day, counter, n});
        Arbitrary<SignalTally> counted = cells.list().ofMaxSize(400).map(list -> {
            SignalTally.Builder b = new SignalTally.Builder();
            for (int[] cell : list) b.add(TODAY + cell[0], pool.get(cell[1]), cell[2]);
            return b.build();
        });
        // Built from signals, a tally knows their times, so the window's first day counts only its part in the window.
        Arbitrary<dev.handoff.core.Signal> signals = Combinators.combine(
                        Arbitraries.oneOf(Arbitraries.longs().between(-400L * 86_400, 10L * 86_400),
                                Arbitraries.longs().between(-92L * 86_400, -88L * 86_400),
                                Arbitraries.longs().between(-31L * 86_400, -6L * 86_400)),
                        Arbitraries.integers().between(0, 5))
                .as((at, kind) -> {
                    java.time.Instant t = java.time.Instant.ofEpochSecond(86_400L * TODAY + at);
                    String id = java.util.UUID.randomUUID().toString();
                    return switch (kind) {
                        case 0 -> new dev.handoff.core.Signal.PageViewed(id, t, "/pricing");
                        case 1 -> new dev.handoff.core.Signal.PageViewed(id, t, "/docs");
                        case 2 -> new dev.handoff.core.Signal.SessionStarted(id, t);
                        case 3 -> new dev.handoff.core.Signal.ContentDownloaded(id, t, "a", "datasheet", at % 2 == 0);
                        case 4 -> new dev.handoff.core.Signal.ContentDownloaded(id, t, "b", "whitepaper", true);
                        default -> new dev.handoff.core.Signal.EmailClicked(id, t, "c", "/x");
                    };
                });
        Arbitrary<SignalTally> timed = signals.list().ofMaxSize(300).map(list -> Fixtures.SCORE_THRESHOLD.tallyOf(list));
        return Arbitraries.oneOf(counted, timed);
    }

    @Provide
    Arbitrary<Policy> policies() {
        Arbitrary<String> presets = Arbitraries.of("score-threshold", "sales-accepted", "sdr-meeting-booked");
        Arbitrary<Integer> windows = Arbitraries.of(1, 7, 30, 90, 365);
        Arbitrary<Integer> halfLives = Arbitraries.of(0, 1, 3, 7, 30, 180, 400);
        Arbitrary<Integer> sessionHalfLives = Arbitraries.of(-1, 0, 10);
        return Combinators.combine(presets, windows, halfLives, sessionHalfLives).as((preset, window, halfLife, sessions) -> {
            if (window != 90) return Fixtures.withWindow(null, preset, window, halfLife);
            return sessions < 0 ? Fixtures.withDecay(preset, halfLife) : Fixtures.withDecay(preset, halfLife, "sessions", sessions);
        });
    }

    @Property(tries = 300, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void window_counts_from_running_totals_are_the_sums_over_the_days(
            @ForAll("tallies") SignalTally tally, @ForAll @IntRange(min = -420, max = 20) int from) {
        int[] plain = new int[tally.counterCount()];
        for (Map.Entry<Integer, Map<Counter, Integer>> day : tally.countsByDay().entrySet()) {
            if (day.getKey() < TODAY + from) continue;
            for (int c = 0; c < plain.length; c++) plain[c] += day.getValue().getOrDefault(tally.counter(c), 0);
        }
        // The first time by walking the days, then from the running totals.
        for (int time = 0; time < 3; time++) assertThat(tally.countsSince(TODAY + from)).containsExactly(plain);
    }

    @Property(tries = 500, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void each_decaying_rule_scores_as_the_plain_definition_does(
            @ForAll("tallies") SignalTally tally, @ForAll("policies") Policy policy, @ForAll("policies") Policy other,
            @ForAll @IntRange(min = -5, max = 5) int todayOffset, @ForAll @IntRange(min = 0, max = 86_399) int second) {
        int today = TODAY + todayOffset;
        java.time.Instant now = java.time.Instant.ofEpochSecond(86_400L * today + second);
        int window = policy.engagementWindowDays();
        int[] early = tally.earlyCounts(today - window, now.minusSeconds(86_400L * window));
        List<EngagementRule> rules = policy.engagementRules();
        for (int r = 0; r < rules.size(); r++) {
            // Another policy's evaluation of the same tally in between: what one keeps with the tally is not the other's.
            other.evaluator().rawPointsAsEvaluated(tally, now, 0);
            int halfLife = policy.halfLifeDaysOf(rules.get(r));
            if (halfLife == 0 || !(rules.get(r) instanceof EngagementRule.PerSignal rule)) continue;
            double[] weights = new double[window + 1];
            for (int age = 0; age <= window; age++) weights[age] = Math.pow(0.5, age / (double) halfLife);
            List<Integer> counted = new ArrayList<>();
            int matched = 0;
            for (int c = 0; c < tally.counterCount(); c++) {
                if (!rule.match().counts(tally.counter(c))) continue;
                counted.add(c);
                matched += tally.countsSince(today - window)[c] - (early == null ? 0 : early[c]);
            }
            // The first time the plain way, then from the counts kept with the tally.
            double fast = policy.evaluator().rawPointsAsEvaluated(tally, now, r);
            double again = policy.evaluator().rawPointsAsEvaluated(tally, now, r);
            double third = policy.evaluator().rawPointsAsEvaluated(tally, now, r);
            if (matched == 0) {
                assertThat(fast).isNaN();
                assertThat(again).isNaN();
                continue;
            }
            // PRODUCT §5.1, as plainly as it reads: each signal weighted by its age, summed, times the points, capped.
            double sum = rule.points() * Evaluator.weightedCount(tally, today, window, early, counted.stream().mapToInt(i -> i).toArray(), weights);
            double plain = rule.cap() == null ? sum : sum >= 0 ? Math.min(sum, rule.cap()) : Math.max(sum, -rule.cap());
            for (double evaluated : new double[] {fast, again, third}) {
                assertThat(Double.doubleToRawLongBits(evaluated)).as("rule %s: %s vs plain %s", rule.id(), evaluated, plain)
                        .isEqualTo(Double.doubleToRawLongBits(plain));
            }
        }
    }

    @net.jqwik.api.Example
    void the_windows_first_day_loses_each_counters_own_early_signals() {
        // Two datasheet counters (gated, not), each with a signal before and after the window's start on its first day.
        Policy policy = Fixtures.withDecay("score-threshold", 30);
        java.time.Instant now = java.time.Instant.ofEpochSecond(86_400L * TODAY + 43_200);
        java.time.Instant start = now.minusSeconds(86_400L * 90);
        List<dev.handoff.core.Signal> signals = List.of(
                new dev.handoff.core.Signal.ContentDownloaded("g1", start.minusSeconds(60), "a", "datasheet", true),
                new dev.handoff.core.Signal.ContentDownloaded("u1", start.minusSeconds(60), "a", "datasheet", false),
                new dev.handoff.core.Signal.ContentDownloaded("g2", start.plusSeconds(60), "a", "datasheet", true),
                new dev.handoff.core.Signal.ContentDownloaded("u2", start.plusSeconds(60), "a", "datasheet", false));
        SignalTally tally = policy.tallyOf(signals);
        int rule = policy.engagementRules().stream().map(EngagementRule::id).toList().indexOf("datasheet-downloads");
        double expected = 15 * 2 * Math.pow(0.5, 90 / 30.0); // the two in the window, 90 days old
        for (int time = 0; time < 3; time++) {
            assertThat(policy.evaluator().rawPointsAsEvaluated(tally, now, rule)).isEqualTo(expected);
        }
    }
}
