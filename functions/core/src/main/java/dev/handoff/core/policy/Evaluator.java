package dev.handoff.core.policy;

import dev.handoff.core.Contact;
import dev.handoff.core.Contribution;
import dev.handoff.core.Contribution.Kind;
import dev.handoff.core.Counter;
import dev.handoff.core.Decision;
import dev.handoff.core.Qualification;
import dev.handoff.core.Reason;
import dev.handoff.core.Signal;
import dev.handoff.core.SignalTally;
import dev.handoff.core.Stage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies one policy to a contact: its properties for fit and knockouts, its {@link SignalTally} for engagement,
 * the fast tracks and the SQL mode. This is the policy read aloud: each fit rule and knockout tests its
 * condition, each engagement rule adds up the signals its match counts in the window, and the stage is the
 * highest one a rule allows. Its cost depends on the tally's days and counters, never on how many signals there
 * were.
 *
 * <p>A signal counts while it occurred within the window's days × 24 hours of now (and the 7-day fast track
 * likewise); decay weighs it by its age in whole UTC calendar days (PRODUCT §5, §5.1).
 */
final class Evaluator {
    static final String RULE_HIGH_INTENT_FORM = "fast-track.high-intent-form";
    static final String RULE_TARGET_ACCOUNT_VIEWS = "fast-track.target-account-page-views";
    static final String RULE_MQL = "mql.min-fit";

    private final Policy policy;
    private final int windowDays;
    /** Per fit rule, the indexes of the fit rules that cancel it when their condition holds (its "unless"). */
    private final int[][] cancelledBy;
    /** Per engagement rule, the weight of a signal by its age in days (0 .. window); null when the rule does not decay. */
    private final double[][] weightByAge;
    /**
     * Per counter seen so far, which engagement rules count it: what {@link SignalMatch#counts} says, asked once per
     * counter rather than once per contact (a policy meets a few dozen distinct counters).
     */
    private final java.util.concurrent.ConcurrentHashMap<Counter, boolean[]> rulesCounting = new java.util.concurrent.ConcurrentHashMap<>();

    Evaluator(Policy policy) {
        this.policy = policy;
        this.windowDays = policy.engagementWindowDays();
        List<FitRule> fit = policy.fitRules();
        this.cancelledBy = new int[fit.size()][];
        for (int i = 0; i < fit.size(); i++) {
            List<String> unless = fit.get(i).unless();
            cancelledBy[i] = java.util.stream.IntStream.range(0, fit.size())
                    .filter(j -> unless.contains(fit.get(j).id())).toArray();
        }
        List<EngagementRule> rules = policy.engagementRules();
        this.weightByAge = new double[rules.size()][];
        for (int i = 0; i < rules.size(); i++) {
            int halfLife = policy.halfLifeDaysOf(rules.get(i));
            if (halfLife == 0) continue;
            weightByAge[i] = new double[windowDays + 1];
            for (int age = 0; age <= windowDays; age++) weightByAge[i][age] = Math.pow(0.5, age / (double) halfLife);
        }
    }

    Decision evaluate(Contact contact, SignalTally tally, Instant now) {
        // Fit: every rule whose condition holds and whose "unless" rules' conditions do not.
        List<FitRule> fitRules = policy.fitRules();
        boolean[] holds = new boolean[fitRules.size()];
        for (int i = 0; i < holds.length; i++) holds[i] = fitRules.get(i).condition().matches(contact);
        List<Contribution> fitBreakdown = new ArrayList<>(fitRules.size() + 1);
        int fitRaw = 0;
        for (int i = 0; i < holds.length; i++) {
            if (!holds[i] || anyHolds(cancelledBy[i], holds)) continue;
            FitRule rule = fitRules.get(i);
            fitRaw += rule.points();
            fitBreakdown.add(new Contribution(rule.id(), Kind.FIT, rule.points(), 1, rule.points(), null, null, null));
        }
        int fit = clampInto(fitRaw, fitBreakdown, Kind.FIT, null);

        List<String> knockouts = new ArrayList<>(0);
        for (Knockout k : policy.knockouts()) if (k.condition().matches(contact)) knockouts.add(k.id());

        // Engagement: each rule's line, from the tally's days in the window.
        int today = SignalTally.dayOf(now);
        Window window = new Window(tally, today, tally.derived(this, this::indexOf), now);
        List<EngagementRule> rules = policy.engagementRules();
        List<Contribution> engagementBreakdown = new ArrayList<>(rules.size() + 1);
        int engagementRaw = 0;
        for (int i = 0; i < rules.size(); i++) {
            Contribution line = score(rules.get(i), i, weightByAge[i], window);
            if (line == null) continue;
            engagementRaw += line.points();
            engagementBreakdown.add(line);
        }
        int engagement = clampInto(engagementRaw, engagementBreakdown, Kind.ENGAGEMENT, windowDays);

        Qualification q = knockouts.isEmpty() ? qualify(contact, fit, engagement, tally, window) : null;
        return new Decision(fit, engagement, fitBreakdown, engagementBreakdown, knockouts, q, policy.version());
    }

    /**
     * One rule's line, or null when it awards nothing. Decayed points are summed, capped, then rounded half up;
     * a {@code minCount} rule decays with the age of the signal that completed its count.
     */
    private Contribution score(EngagementRule rule, int ruleIndex, double[] weights, Window window) {
        int[] counted = window.index.countedBy[ruleIndex];
        int matched = window.countInWindow(counted);
        if (matched == 0) return null;
        double raw = switch (rule) {
            case EngagementRule.PerSignal r -> {
                double sum = rule.points() * (weights == null ? matched : window.weightedCount(ruleIndex));
                yield r.cap() == null ? sum : sum >= 0 ? Math.min(sum, r.cap()) : Math.max(sum, -r.cap());
            }
            case EngagementRule.OnceAtLeast r -> {
                if (matched < r.minCount()) yield 0;
                yield rule.points() * (weights == null ? 1 : weights[window.ageOfNth(counted, r.minCount())]);
            }
        };
        int points = roundHalfUp(raw);
        if (points == 0) return null;
        Integer halfLife = weights == null ? null : policy.halfLifeDaysOf(rule);
        return new Contribution(rule.id(), Kind.ENGAGEMENT, points, matched, rule.points(), rule.capOrNull(), rule.minCountOrNull(),
                windowDays, halfLife);
    }

    /** The highest stage any rule allows; among SQL routes the fast tracks are named first, as the strongest intent. */
    private Qualification qualify(Contact contact, int fit, int engagement, SignalTally tally, Window window) {
        FastTrack.HighIntentForm highIntent = policy.fastTrack().highIntentForm();
        Signal.FormSubmitted form = highIntent == null ? null : latestHighIntentForm(tally, highIntent, window);
        if (form != null && fit >= highIntent.minFit()) {
            return new Qualification(Stage.SALES_QUALIFIED_LEAD, Reason.FAST_TRACK, RULE_HIGH_INTENT_FORM,
                    form.formType().id() + " form from an ICP fit contact (fit " + fit + ")", null);
        }
        FastTrack.TargetAccountPageViews views = policy.fastTrack().targetAccountPageViews();
        if (views != null && policy.targetAccounts().contains(contact.emailDomain())) {
            int recent = window.pageViewsWithin(views.categories(), views.withinDays());
            if (recent >= views.minViews()) {
                return new Qualification(Stage.SALES_QUALIFIED_LEAD, Reason.FAST_TRACK, RULE_TARGET_ACCOUNT_VIEWS,
                        "target account with " + recent + " " + String.join("/", views.categories().stream().sorted().toList())
                                + " page views in " + views.withinDays() + " days", null);
            }
        }
        boolean mql = fit >= policy.mqlMinFit();
        switch (policy.sqlMode()) {
            case SCORE_THRESHOLD -> {
                int min = policy.sqlMinEngagement().orElseThrow();
                if (mql && engagement >= min) {
                    return new Qualification(Stage.SALES_QUALIFIED_LEAD, Reason.SCORE_THRESHOLD, "sql.score-threshold",
                            "engagement " + engagement + " reached " + min + " with fit " + fit, null);
                }
            }
            case SALES_ACCEPTED -> {
                // Sales facts stay true whatever their age.
                Signal.SalesActivityLogged activity = latest(tally, Signal.SalesActivityLogged.class);
                Signal.SalesAccepted accepted = latest(tally, Signal.SalesAccepted.class);
                if (activity != null && accepted != null) {
                    String type = activity.activityType();
                    return new Qualification(Stage.SALES_QUALIFIED_LEAD, Reason.SALES_ACCEPTED, "sql.sales-accepted",
                            "sales logged a " + (type == null ? "sales activity" : type) + " and accepted the lead",
                            accepted.owner());
                }
            }
            case SDR_MEETING_BOOKED -> {
                Signal.MeetingBooked meeting = latest(tally, Signal.MeetingBooked.class);
                if (meeting != null) {
                    return new Qualification(Stage.SALES_QUALIFIED_LEAD, Reason.MEETING_BOOKED, "sql.sdr-meeting-booked",
                            "a meeting was booked", meeting.owner());
                }
            }
        }
        if (mql) {
            return new Qualification(Stage.MARKETING_QUALIFIED_LEAD, Reason.FIT_THRESHOLD, RULE_MQL,
                    "fit " + fit + " reached " + policy.mqlMinFit() + " with no knockout", null);
        }
        return null;
    }

    /** The latest form in the window of a high-intent type (the tally keeps the latest form of each type). */
    private Signal.FormSubmitted latestHighIntentForm(SignalTally tally, FastTrack.HighIntentForm rule, Window window) {
        Signal.FormSubmitted found = null;
        for (Signal s : tally.keptSignals()) {
            // Kept signals are oldest first, so the last one that passes is the latest.
            if (s instanceof Signal.FormSubmitted f && rule.formTypes().contains(f.formType())
                    && window.contains(f.occurredAt())) {
                found = f;
            }
        }
        return found;
    }

    private static <S extends Signal> S latest(SignalTally tally, Class<S> type) {
        S found = null;
        for (Signal s : tally.keptSignals()) if (type.isInstance(s)) found = type.cast(s);
        return found;
    }

    /**
     * Which rules count which of the tally's counters, resolved once per tally (kept with it: see
     * {@link SignalTally#derived}) rather than per evaluation. Issue 9, EvaluateBenchmark under C1: the lookups and
     * arrays made here on every evaluation were a tenth of its time.
     */
    private final class Index {
        /** Per engagement rule, the indexes of the tally's counters it counts, ascending. */
        final int[][] countedBy;
        /** The counters that some decaying per-signal rule counts, ascending. */
        final int[] decayingCounters;
        /** Per counter, the decaying per-signal rules that count it, ascending. */
        final int[][] decayingRulesOf;

        Index(SignalTally tally) {
            List<EngagementRule> rules = policy.engagementRules();
            boolean[][] counting = new boolean[tally.counterCount()][];
            for (int c = 0; c < counting.length; c++) counting[c] = rulesCounting(tally.counter(c));
            countedBy = new int[rules.size()][];
            for (int r = 0; r < rules.size(); r++) {
                int rule = r;
                countedBy[r] = java.util.stream.IntStream.range(0, counting.length).filter(c -> counting[c][rule]).toArray();
            }
            decayingRulesOf = new int[counting.length][];
            for (int c = 0; c < counting.length; c++) {
                int counter = c;
                decayingRulesOf[c] = java.util.stream.IntStream.range(0, rules.size())
                        .filter(r -> counting[counter][r] && weightByAge[r] != null && rules.get(r) instanceof EngagementRule.PerSignal)
                        .toArray();
            }
            decayingCounters = java.util.stream.IntStream.range(0, counting.length)
                    .filter(c -> decayingRulesOf[c].length > 0).toArray();
        }
    }

    private Index indexOf(SignalTally tally) {
        return new Index(tally);
    }

    /** Which rules count a counter: what {@link SignalMatch#counts} says, asked once per counter the policy meets. */
    private boolean[] rulesCounting(Counter counter) {
        return rulesCounting.computeIfAbsent(counter, c -> {
            List<EngagementRule> rules = policy.engagementRules();
            boolean[] counts = new boolean[rules.size()];
            for (int i = 0; i < counts.length; i++) counts[i] = rules.get(i).match().counts(c);
            return counts;
        });
    }

    /**
     * The tally as of now: the days in the window, and their counts summed per counter. The window is the last
     * {@code windowDays} × 24 hours: its first UTC day counts only its signals from now minus the window on, where
     * the tally knows their times ({@link SignalTally#earlyCounts}).
     */
    private final class Window {
        private final SignalTally tally;
        private final int today;
        private final Instant now;
        private final Index index;
        /** The window's first day, and per counter its signals of that day that occurred before the window (or null). */
        private final int firstDay;
        private final int[] early;
        /** Per counter, its count over the days in the window. */
        private final int[] inWindow;
        /** Per rule, its counted signals in the window weighted by age (decaying per-signal rules only); made on first use. */
        private double[] weighted;

        Window(SignalTally tally, int today, Index index, Instant now) {
            this.tally = tally;
            this.today = today;
            this.now = now;
            this.index = index;
            this.firstDay = today - windowDays;
            this.early = tally.earlyCounts(firstDay, now.minusSeconds(86_400L * windowDays));
            int[] counts = tally.countsSince(firstDay);
            if (early != null) {
                counts = counts.clone();
                for (int c = 0; c < counts.length; c++) counts[c] -= early[c];
            }
            this.inWindow = counts;
        }

        /** The count of counter {@code c} on the {@code d}-th day of the tally that is in the window. */
        int countInWindow(int d, int c) {
            int n = tally.count(d, c);
            return early != null && tally.day(d) == firstDay ? n - early[c] : n;
        }

        /** Whether a signal at that instant counts now (one after now, from a clock ahead of ours, does). */
        boolean contains(Instant at) {
            return !at.isBefore(now.minusSeconds(86_400L * windowDays));
        }

        int ageOf(int day) {
            return Math.max(0, today - day);
        }

        int countInWindow(int[] counted) {
            int n = 0;
            for (int c : counted) n += inWindow[c];
            return n;
        }

        /**
         * Rule {@code rule}'s counted signals in the window, each weighted by its age: {@link #weightedCount(SignalTally,
         * int, int, int[], double[])}, for every decaying rule in one walk over the window's days with counts.
         */
        double weightedCount(int rule) {
            if (weighted == null) {
                // The same sums, added in the same order (by day, then by counter), as the plain definition: the
                // days a counter has no count add 0, which changes no sum. One walk instead of one per rule:
                // issue 9, EvaluateBenchmark with decay, under C1.
                double[] sums = new double[weightByAge.length];
                for (int d = tally.firstDayFrom(today - windowDays); d < tally.dayCount(); d++) {
                    int age = ageOf(tally.day(d));
                    for (int c : index.decayingCounters) {
                        int n = countInWindow(d, c);
                        if (n == 0) continue;
                        for (int r : index.decayingRulesOf[c]) sums[r] += n * weightByAge[r][age];
                    }
                }
                weighted = sums;
            }
            return weighted[rule];
        }

        /** The age of the {@code n}-th most recent counted signal in the window (there are at least n). */
        int ageOfNth(int[] counted, int n) {
            int seen = 0;
            for (int d = tally.dayCount() - 1; d >= 0 && tally.day(d) >= firstDay; d--) {
                for (int c : counted) seen += countInWindow(d, c);
                if (seen >= n) return ageOf(tally.day(d));
            }
            throw new IllegalStateException("fewer than " + n + " signals");
        }

        /** Page views in these categories within the last {@code days} days. */
        int pageViewsWithin(java.util.Set<String> categories, int days) {
            int[] recent = tally.countsSince(today - days);
            // Exactly the last days × 24 hours, as the window: the first day's views from that instant on.
            int[] before = tally.earlyCounts(today - days, now.minusSeconds(86_400L * days));
            int n = 0;
            for (int c = 0; c < recent.length; c++) {
                Counter counter = tally.counter(c);
                if (counter.category() != null && categories.contains(counter.category())) n += recent[c] - (before == null ? 0 : before[c]);
            }
            return n;
        }
    }

    /** Rule {@code rule}'s weighted count as evaluation computes it, for the property that checks it against the plain one. */
    double weightedCountAsEvaluated(SignalTally tally, int today, int rule) {
        // At the day's first instant the window starts at a day's first instant: whole days, as the plain definition.
        return new Window(tally, today, tally.derived(this, this::indexOf), Instant.ofEpochSecond(86_400L * today)).weightedCount(rule);
    }

    /**
     * The plain definition of a decaying rule's count, which {@link Window#weightedCount(int)} computes for all
     * rules at once: the counted signals of each day in the window, each weighted by the day's age.
     */
    static double weightedCount(SignalTally tally, int today, int windowDays, int[] counted, double[] weights) {
        double sum = 0;
        for (int d = 0; d < tally.dayCount(); d++) {
            if (today - tally.day(d) > windowDays) continue;
            double weight = weights[Math.max(0, today - tally.day(d))];
            for (int c : counted) sum += tally.count(d, c) * weight;
        }
        return sum;
    }

    private static boolean anyHolds(int[] which, boolean[] holds) {
        for (int i : which) if (holds[i]) return true;
        return false;
    }

    /** Half up, as PRODUCT §5.1 asks: 17.5 is 18, -2.5 is -2. */
    static int roundHalfUp(double x) {
        double r = Math.floor(x + 0.5);
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, r));
    }

    /** Clamps to 0..100, adding the difference as a line of its own so that the lines still add up. */
    private static int clampInto(int raw, List<Contribution> breakdown, Kind kind, Integer window) {
        int clamped = Math.max(0, Math.min(100, raw));
        if (clamped != raw) {
            int adjust = clamped - raw;
            breakdown.add(new Contribution(Contribution.CLAMP_RULE, kind, adjust, 1, adjust, null, null, window));
        }
        return clamped;
    }
}
