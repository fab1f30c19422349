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
import java.util.stream.IntStream;

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

    /** The properties that fit rules and knockouts read, each once per evaluation (see {@link Facts}). */
    private final List<String> properties = new ArrayList<>();
    /** The conditions of the fit rules and of the knockouts, as {@link Facts} tests them. */
    private final Check[] fitChecks;
    private final Check[] knockoutChecks;

    /**
     * Per engagement rule, what its line names besides its points: worked out once here rather than on every line
     * (the rule kinds' switches and boxing were several per cent of an evaluation under C1; issue 9).
     */
    private final Integer[] capOf;
    private final Integer[] minCountOf;
    private final Integer[] halfLifeOf;
    private final Integer windowDaysBoxed;
    /** The high-intent fast track's form types, as a set that is quick to ask (null without that fast track). */
    private final java.util.EnumSet<dev.handoff.core.FormType> highIntentFormTypes;
    /** The engagement rules that decay and award per signal, ascending. */
    private final int[] decayingRules;

    Evaluator(Policy policy) {
        this.policy = policy;
        this.windowDays = policy.engagementWindowDays();
        this.windowDaysBoxed = windowDays;
        List<EngagementRule> engagementRules = policy.engagementRules();
        this.capOf = engagementRules.stream().map(EngagementRule::capOrNull).toArray(Integer[]::new);
        this.minCountOf = engagementRules.stream().map(EngagementRule::minCountOrNull).toArray(Integer[]::new);
        this.halfLifeOf = engagementRules.stream().map(r -> policy.halfLifeDaysOf(r) == 0 ? null : policy.halfLifeDaysOf(r))
                .toArray(Integer[]::new);
        this.decayingRules = IntStream.range(0, engagementRules.size())
                .filter(r -> halfLifeOf[r] != null && engagementRules.get(r) instanceof EngagementRule.PerSignal).toArray();
        FastTrack.HighIntentForm highIntent = policy.fastTrack().highIntentForm();
        this.highIntentFormTypes = highIntent == null ? null : highIntent.formTypes().isEmpty()
                ? java.util.EnumSet.noneOf(dev.handoff.core.FormType.class) : java.util.EnumSet.copyOf(highIntent.formTypes());
        this.fitChecks = policy.fitRules().stream().map(r -> check(r.condition())).toArray(Check[]::new);
        this.knockoutChecks = policy.knockouts().stream().map(k -> check(k.condition())).toArray(Check[]::new);
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
        Facts facts = new Facts(contact);
        boolean[] holds = new boolean[fitRules.size()];
        for (int i = 0; i < holds.length; i++) holds[i] = facts.holds(fitChecks[i]);
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
        for (int i = 0; i < knockoutChecks.length; i++) {
            if (facts.holds(knockoutChecks[i])) knockouts.add(policy.knockouts().get(i).id());
        }

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

        Qualification q = knockouts.isEmpty() ? qualify(contact, facts.emailDomain(), fit, engagement, tally, window) : null;
        return new Decision(fit, engagement, fitBreakdown, engagementBreakdown, knockouts, q, policy.version());
    }

    /** A fit rule's or knockout's condition, with the slot of the property it reads and its ASCII scan, if any. */
    private record Check(Condition condition, int property, AsciiWords ascii) {}

    private Check check(Condition condition) {
        String property = switch (condition) {
            case Condition.NumberRange n -> n.property();
            case Condition.ContainsWord w -> w.property();
            case Condition.OneOf o -> o.property();
            case Condition.EmailDomainIn e -> null;
        };
        if (property != null && !properties.contains(property)) properties.add(property);
        AsciiWords ascii = condition instanceof Condition.ContainsWord w ? AsciiWords.cached(w) : null;
        return new Check(condition, properties.indexOf(property), ascii);
    }

    /**
     * What the conditions read of one contact, each worked out once however many conditions read it: the value of
     * each property, as a number and lower-cased, and the email's domain. {@link Condition#matches} works them out
     * for each condition, and with twelve fit rules and three knockouts that was over a third of an evaluation under
     * C1 (issue 9, EvaluateBenchmark). A condition holds here exactly when {@code matches} says it does: both ask
     * the condition's own test of the value ({@code holdsFor}, {@code foundIn}).
     */
    private final class Facts {
        private final Contact contact;
        private final String[] values;
        private final double[] numbers;
        /** Per property: 0 not parsed yet, 1 a number, 2 not a number. */
        private final byte[] parsed;
        private final byte[][] lowered;
        private final boolean[] lowerDone;
        private String domain;

        Facts(Contact contact) {
            this.contact = contact;
            int n = properties.size();
            values = new String[n];
            for (int p = 0; p < n; p++) values[p] = contact.properties().get(properties.get(p));
            numbers = new double[n];
            parsed = new byte[n];
            lowered = new byte[n][];
            lowerDone = new boolean[n];
        }

        String emailDomain() {
            if (domain == null) domain = contact.emailDomain();
            return domain;
        }

        boolean holds(Check check) {
            Condition condition = check.condition();
            if (condition instanceof Condition.EmailDomainIn e) return e.holdsFor(emailDomain());
            int p = check.property();
            String raw = values[p];
            if (raw == null) return false;
            if (condition instanceof Condition.NumberRange n) {
                if (parsed[p] == 0) {
                    try {
                        numbers[p] = Condition.NumberRange.parseNumber(raw);
                        parsed[p] = 1;
                    } catch (NumberFormatException e) {
                        parsed[p] = 2;
                    }
                }
                return parsed[p] == 1 && n.holdsFor(numbers[p]);
            }
            if (condition instanceof Condition.ContainsWord w) {
                if (check.ascii() != null && !lowerDone[p]) {
                    lowered[p] = AsciiWords.lowerAscii(raw);
                    lowerDone[p] = true;
                }
                return w.foundIn(raw, check.ascii(), check.ascii() == null ? null : lowered[p]);
            }
            return ((Condition.OneOf) condition).holdsFor(raw);
        }
    }

    /** Per fit rule, then per knockout, whether its condition holds as evaluation tests it (for a property test). */
    boolean[] holdsAsEvaluated(Contact contact) {
        Facts facts = new Facts(contact);
        boolean[] out = new boolean[fitChecks.length + knockoutChecks.length];
        for (int i = 0; i < fitChecks.length; i++) out[i] = facts.holds(fitChecks[i]);
        for (int i = 0; i < knockoutChecks.length; i++) out[fitChecks.length + i] = facts.holds(knockoutChecks[i]);
        return out;
    }

    /**
     * One rule's line, or null when it awards nothing. Decayed points are summed, capped, then rounded half up;
     * a {@code minCount} rule decays with the age of the signal that completed its count.
     */
    private Contribution score(EngagementRule rule, int ruleIndex, double[] weights, Window window) {
        int[] counted = window.index.countedBy[ruleIndex];
        int matched = window.countInWindow(counted);
        if (matched == 0) return null;
        int points = roundHalfUp(raw(rule, ruleIndex, weights, matched, window));
        if (points == 0) return null;
        return new Contribution(rule.id(), Kind.ENGAGEMENT, points, matched, rule.points(), capOf[ruleIndex], minCountOf[ruleIndex],
                windowDaysBoxed, halfLifeOf[ruleIndex]);
    }

    /** A rule's points before rounding, from its {@code matched} (at least one) signals in the window. */
    private double raw(EngagementRule rule, int ruleIndex, double[] weights, int matched, Window window) {
        int[] counted = window.index.countedBy[ruleIndex];
        return switch (rule) {
            case EngagementRule.PerSignal r -> {
                if (weights != null && window.reachesCap(ruleIndex)) yield rule.points() > 0 ? r.cap() : -r.cap();
                double sum = rule.points() * (weights == null ? matched : window.weightedCount(ruleIndex));
                yield r.cap() == null ? sum : sum >= 0 ? Math.min(sum, r.cap()) : Math.max(sum, -r.cap());
            }
            case EngagementRule.OnceAtLeast r -> {
                if (matched < r.minCount()) yield 0;
                yield rule.points() * (weights == null ? 1 : weights[window.ageOfNth(counted, r.minCount())]);
            }
        };
    }

    /** The highest stage any rule allows; among SQL routes the fast tracks are named first, as the strongest intent. */
    private Qualification qualify(Contact contact, String emailDomain, int fit, int engagement, SignalTally tally, Window window) {
        FastTrack.HighIntentForm highIntent = policy.fastTrack().highIntentForm();
        Signal.FormSubmitted form = highIntent == null ? null : latestHighIntentForm(tally, highIntent, window);
        if (form != null && fit >= highIntent.minFit()) {
            return new Qualification(Stage.SALES_QUALIFIED_LEAD, Reason.FAST_TRACK, RULE_HIGH_INTENT_FORM,
                    form.formType().id() + " form from an ICP fit contact (fit " + fit + ")", null);
        }
        FastTrack.TargetAccountPageViews views = policy.fastTrack().targetAccountPageViews();
        if (views != null && policy.targetAccounts().contains(emailDomain)) {
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
            if (s instanceof Signal.FormSubmitted f && highIntentFormTypes.contains(f.formType())
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
        /**
         * Per decaying per-signal rule, its {@link Cells}, made when its sum is needed a second time (a tally read for
         * one evaluation makes none); null until then and for other rules.
         */
        private final Cells[] cells;
        private final boolean[] summedOnce;

        Index(SignalTally tally) {
            int rules = policy.engagementRules().size();
            int counters = tally.counterCount();
            boolean[][] counting = new boolean[counters][];
            for (int c = 0; c < counters; c++) counting[c] = rulesCounting(tally.counter(c));
            countedBy = new int[rules][];
            int[] found = new int[counters];
            for (int r = 0; r < rules; r++) {
                int n = 0;
                for (int c = 0; c < counters; c++) if (counting[c][r]) found[n++] = c;
                countedBy[r] = java.util.Arrays.copyOf(found, n);
            }
            cells = new Cells[rules];
            summedOnce = new boolean[rules];
        }

        /**
         * Rule {@code rule}'s counts as {@link Cells}, or null the first time they are asked for (the caller then
         * adds up the plain way). A racing thread may make them too: they are the same.
         */
        Cells cellsOf(SignalTally tally, int rule) {
            Cells made = cells[rule];
            if (made == null) {
                if (!summedOnce[rule]) {
                    summedOnce[rule] = true;
                    return null;
                }
                made = new Cells(tally, countedBy[rule]);
                cells[rule] = made;
            }
            return made;
        }
    }

    /**
     * The tally's counts that a decaying rule counts, by day then counter as the plain definition adds them, leaving
     * out the zeros: the day of each (UTC epoch day, ascending), its counter and the count. Final fields, so that a thread that
     * sees them sees them whole.
     */
    private static final class Cells {
        final int[] days;
        final int[] counters;
        final int[] counts;

        Cells(SignalTally tally, int[] counted) {
            int[] days = new int[tally.dayCount() * counted.length];
            int[] counters = new int[days.length];
            int[] counts = new int[days.length];
            int n = 0;
            for (int d = 0; d < tally.dayCount(); d++) {
                for (int c : counted) {
                    int count = tally.count(d, c);
                    if (count == 0) continue;
                    days[n] = tally.day(d);
                    counters[n] = c;
                    counts[n++] = count;
                }
            }
            this.days = java.util.Arrays.copyOf(days, n);
            this.counters = java.util.Arrays.copyOf(counters, n);
            this.counts = java.util.Arrays.copyOf(counts, n);
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
        /**
         * Per decaying per-signal rule, whether its points surely reach its cap, and if not, its counted signals in the
         * window weighted by age; made on first use.
         */
        private boolean[] capped;
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
         * int, int, int[], int[], double[])}, over the rule's non-zero counts only. Only for a rule that does not
         * {@link #reachesCap}.
         */
        double weightedCount(int rule) {
            if (weighted == null) weigh();
            if (capped[rule]) throw new IllegalStateException("not added up: the rule reaches its cap");
            return weighted[rule];
        }

        /**
         * Whether a decaying per-signal rule's points surely reach its cap, so that its weighted count need not be
         * added up: its matched signals each weigh at least the weight of the window's oldest day with counts. The
         * margin (1e-9 of the points) is far more than the rounding of a sum of a million terms can take away.
         */
        boolean reachesCap(int rule) {
            if (weighted == null) weigh();
            return capped[rule];
        }

        // With decay, adding up each rule's weighted count was half of an evaluation at 5,000 signals under C1
        // (issue 9, EvaluateBenchmark). A rule whose count surely reaches its cap needs no sum; the others add up
        // only the counts they count, kept with the tally in the same order as the plain definition adds them (by
        // day, then by counter; a zero count adds 0, which changes no sum), so the result is the same to the bit.
        private void weigh() {
            List<EngagementRule> rules = policy.engagementRules();
            boolean[] reaches = new boolean[rules.size()];
            double[] sums = new double[rules.size()];
            int first = tally.firstDayFrom(today - windowDays);
            boolean fewTerms = (long) tally.dayCount() * tally.counterCount() <= 1_000_000;
            for (int r : decayingRules) {
                int matched = countInWindow(index.countedBy[r]);
                if (matched == 0) continue; // never asked
                EngagementRule.PerSignal rule = (EngagementRule.PerSignal) rules.get(r);
                double lightest = weightByAge[r][ageOf(tally.day(first))];
                reaches[r] = fewTerms && rule.cap() != null && rule.cap() > 0 && rule.points() != 0
                        && Math.abs((double) rule.points()) * matched * lightest * (1 - 1e-9) >= rule.cap();
                if (reaches[r]) continue;
                Cells cells = index.cellsOf(tally, r);
                if (cells == null) {
                    sums[r] = Evaluator.weightedCount(tally, today, windowDays, early, index.countedBy[r], weightByAge[r]);
                    continue;
                }
                int[] days = cells.days;
                int[] counts = cells.counts;
                double sum = 0;
                for (int i = firstFrom(days, firstDay); i < days.length; i++) {
                    int n = counts[i];
                    // The window's first day: less its signals from before the window started.
                    if (early != null && days[i] == firstDay) n -= early[cells.counters[i]];
                    sum += n * weightByAge[r][ageOf(days[i])];
                }
                sums[r] = sum;
            }
            capped = reaches;
            weighted = sums;
        }

        /** The index of the first of these days (ascending) on or after {@code oldestDay}. */
        private static int firstFrom(int[] days, int oldestDay) {
            int low = 0, high = days.length;
            while (low < high) {
                int mid = (low + high) >>> 1;
                if (days[mid] < oldestDay) low = mid + 1;
                else high = mid;
            }
            return low;
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

    /**
     * Rule {@code rule}'s points before rounding as evaluation computes them (NaN when nothing in the window matches),
     * for the property that checks them against the plain definition.
     */
    double rawPointsAsEvaluated(SignalTally tally, Instant now, int rule) {
        Window window = new Window(tally, SignalTally.dayOf(now), tally.derived(this, this::indexOf), now);
        int matched = window.countInWindow(window.index.countedBy[rule]);
        return matched == 0 ? Double.NaN : raw(policy.engagementRules().get(rule), rule, weightByAge[rule], matched, window);
    }

    /**
     * The plain definition of a decaying rule's count, which {@link Window#weightedCount(int)} computes for all
     * rules at once: the counted signals of each day in the window, each weighted by the day's age.
     */
    static double weightedCount(SignalTally tally, int today, int windowDays, int[] early, int[] counted, double[] weights) {
        double sum = 0;
        for (int d = 0; d < tally.dayCount(); d++) {
            if (today - tally.day(d) > windowDays) continue;
            double weight = weights[Math.max(0, today - tally.day(d))];
            for (int c : counted) {
                int n = tally.count(d, c);
                // The window's first day: less its signals from before the window started.
                if (early != null && tally.day(d) == today - windowDays) n -= early[c];
                sum += n * weight;
            }
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
