package dev.handoff.core.policy;

import dev.handoff.core.Contact;
import dev.handoff.core.Contribution;
import dev.handoff.core.Contribution.Kind;
import dev.handoff.core.Decision;
import dev.handoff.core.FormType;
import dev.handoff.core.Qualification;
import dev.handoff.core.Reason;
import dev.handoff.core.Signal;
import dev.handoff.core.SignalType;
import dev.handoff.core.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * Applies one policy to contacts. Built once per policy, it works out beforehand everything that does not depend on
 * the contact, so that a contact with hundreds of signals is scored in one cheap pass over them:
 *
 * <ul>
 *   <li>Fit rules and knockouts are tested together by a {@link ConditionPlan}, each property read once.
 *   <li>Each signal in the window is only tallied, in a bucket: its type, or for the types that rules filter, its
 *       page category, form type, or asset type and gating. Which rules a bucket feeds is known in advance, so the
 *       rules' filters are not tested signal by signal; after the pass each bucket's tally goes to its rules.
 * </ul>
 *
 * The outcome is exactly that of testing every condition on the contact ({@link Condition#matches}) and every
 * engagement rule's filters on every signal, as the evaluator did before it was tuned: EvaluatorEquivalenceTest holds
 * it to that evaluator, kept in the tests.
 */
final class Evaluator {
    static final String RULE_HIGH_INTENT_FORM = "fast-track.high-intent-form";
    static final String RULE_TARGET_ACCOUNT_VIEWS = "fast-track.target-account-page-views";
    static final String RULE_MQL = "mql.min-fit";

    private static final int SIGNAL_TYPES = SignalType.values().length;
    private static final int FORM_TYPES = FormType.values().length;

    private final Policy policy;

    // Fit and knockouts.
    private final ConditionPlan conditions; // the fit rules' conditions, then the knockouts'
    private final int fitRuleCount;
    /** The line a fit rule adds when it counts: always the same, so made once. */
    private final Contribution[] fitLines;
    private final int[] fitPoints;
    /** Per fit rule, the rules that cancel it when they hold (its "unless"). */
    private final int[][] cancelledBy;
    private final String[] knockoutIds;

    // Engagement: the rules, and the buckets a signal is tallied in (see the class comment).
    private final EngagementRule[] rules;
    private final Duration window;
    private final PathCategories pathCategories;
    private final int noCategory;
    /** The asset types some rule names (lower-cased, as signals carry them); any other behaves as one more. */
    private final String[] namedAssetTypes;
    private final int pageBuckets; // + category index, noCategory for a page in none
    private final int formBuckets; // + form type ordinal
    private final int contentBuckets; // + 2 * asset type index (+ 1 when gated)
    private final int bucketCount; // buckets 0 .. SIGNAL_TYPES - 1: the types without filters, by ordinal
    private final int[][] rulesByBucket;

    // Fast tracks.
    private final FastTrack.HighIntentForm highIntentForm;
    private final boolean[] highIntentFormType; // by form type ordinal
    private final FastTrack.TargetAccountPageViews targetAccountViews;
    private final Duration targetAccountWindow;
    private final boolean[] targetAccountCategory; // by category index
    private final String targetAccountCategoriesText;

    Evaluator(Policy policy) {
        this.policy = policy;

        List<FitRule> fit = policy.fitRules();
        List<Knockout> knockouts = policy.knockouts();
        List<Condition> all = new ArrayList<>(fit.size() + knockouts.size());
        for (FitRule r : fit) all.add(r.condition());
        for (Knockout k : knockouts) all.add(k.condition());
        this.conditions = new ConditionPlan(all);
        this.fitRuleCount = fit.size();
        this.fitLines = new Contribution[fitRuleCount];
        this.fitPoints = new int[fitRuleCount];
        this.cancelledBy = new int[fitRuleCount][];
        for (int i = 0; i < fitRuleCount; i++) {
            FitRule rule = fit.get(i);
            fitLines[i] = new Contribution(rule.id(), Kind.FIT, rule.points(), 1, rule.points(), null, null, null);
            fitPoints[i] = rule.points();
            cancelledBy[i] = indexes(fitRuleCount, j -> rule.unless().contains(fit.get(j).id()));
        }
        this.knockoutIds = knockouts.stream().map(Knockout::id).toArray(String[]::new);

        this.rules = policy.engagementRules().toArray(EngagementRule[]::new);
        this.window = Duration.ofDays(policy.engagementWindowDays());
        List<PageCategory> categories = policy.pageCategories();
        this.pathCategories = new PathCategories(categories);
        this.noCategory = pathCategories.none();
        Set<String> assetTypes = new LinkedHashSet<>();
        for (EngagementRule r : rules) {
            if (r.assetTypes() != null) assetTypes.addAll(r.assetTypes());
            if (r.assetTypesExcept() != null) assetTypes.addAll(r.assetTypesExcept());
        }
        this.namedAssetTypes = assetTypes.toArray(String[]::new);
        String unnamedAssetType = unnamed(assetTypes); // stands for every asset type no rule names

        this.pageBuckets = SIGNAL_TYPES;
        this.formBuckets = pageBuckets + noCategory + 1;
        this.contentBuckets = formBuckets + FORM_TYPES;
        this.bucketCount = contentBuckets + 2 * (namedAssetTypes.length + 1);
        this.rulesByBucket = new int[bucketCount][];
        for (SignalType t : SignalType.values()) {
            boolean filtered = t == SignalType.PAGE_VIEWED || t == SignalType.FORM_SUBMITTED || t == SignalType.CONTENT_DOWNLOADED;
            rulesByBucket[t.ordinal()] = filtered ? new int[0] : rulesOf(t, r -> true);
        }
        for (int c = 0; c <= noCategory; c++) {
            String category = c < noCategory ? categories.get(c).name() : null;
            rulesByBucket[pageBuckets + c] = rulesOf(SignalType.PAGE_VIEWED, r -> r.matchesCategory(category));
        }
        for (FormType f : FormType.values()) {
            rulesByBucket[formBuckets + f.ordinal()] = rulesOf(SignalType.FORM_SUBMITTED, r -> r.matchesForm(f));
        }
        for (int a = 0; a <= namedAssetTypes.length; a++) {
            String assetType = a < namedAssetTypes.length ? namedAssetTypes[a] : unnamedAssetType;
            for (boolean gated : new boolean[] {false, true}) {
                rulesByBucket[contentBuckets + 2 * a + (gated ? 1 : 0)] =
                        rulesOf(SignalType.CONTENT_DOWNLOADED, r -> r.matchesContent(assetType, gated));
            }
        }

        this.highIntentForm = policy.fastTrack().highIntentForm();
        this.highIntentFormType = new boolean[FORM_TYPES];
        for (FormType f : FormType.values()) highIntentFormType[f.ordinal()] = highIntentForm != null && highIntentForm.formTypes().contains(f);
        this.targetAccountViews = policy.fastTrack().targetAccountPageViews();
        this.targetAccountWindow = targetAccountViews == null ? null : Duration.ofDays(targetAccountViews.withinDays());
        this.targetAccountCategory = new boolean[noCategory + 1];
        for (int c = 0; c < noCategory; c++) {
            String name = categories.get(c).name();
            targetAccountCategory[c] = targetAccountViews != null && name != null && targetAccountViews.categories().contains(name);
        }
        this.targetAccountCategoriesText = targetAccountViews == null ? null
                : String.join("/", targetAccountViews.categories().stream().sorted().toList());
    }

    Decision evaluate(Contact contact, Instant now) {
        boolean[] holds = conditions.test(contact);

        // Fit: every rule whose condition holds and whose "unless" rules do not.
        List<Contribution> fitBreakdown = new ArrayList<>(fitRuleCount + 1);
        int fitRaw = 0;
        for (int i = 0; i < fitRuleCount; i++) {
            if (holds[i] && !anyHolds(cancelledBy[i], holds)) {
                fitRaw += fitPoints[i];
                fitBreakdown.add(fitLines[i]);
            }
        }
        int fit = clampInto(fitRaw, fitBreakdown, Kind.FIT, null);

        List<String> knockouts = new ArrayList<>(0);
        for (int k = 0; k < knockoutIds.length; k++) if (holds[fitRuleCount + k]) knockouts.add(knockoutIds[k]);

        // Engagement and the signal-driven routes, in one pass over the signals.
        Scan scan = new Scan(now);
        scan.over(contact.signals());
        int[] counts = new int[rules.length];
        for (int b = 0; b < bucketCount; b++) {
            if (scan.tally[b] == 0) continue;
            for (int i : rulesByBucket[b]) counts[i] += scan.tally[b];
        }

        int days = policy.engagementWindowDays();
        List<Contribution> engagementBreakdown = new ArrayList<>(rules.length + 1);
        int engagementRaw = 0;
        for (int i = 0; i < rules.length; i++) {
            if (counts[i] == 0) continue;
            EngagementRule r = rules[i];
            int points = r.award(counts[i]);
            if (points == 0) continue;
            engagementRaw += points;
            engagementBreakdown.add(new Contribution(r.id(), Kind.ENGAGEMENT, points, counts[i], r.points(), r.cap(), r.minCount(), days));
        }
        int engagement = clampInto(engagementRaw, engagementBreakdown, Kind.ENGAGEMENT, days);

        Qualification q = qualify(contact, fit, engagement, knockouts.isEmpty(), scan);
        return new Decision(fit, engagement, fitBreakdown, engagementBreakdown, knockouts, q, policy.version());
    }

    /** The highest stage any rule allows; among SQL routes the fast tracks are named first, as the strongest intent. */
    private Qualification qualify(Contact contact, int fit, int engagement, boolean noKnockout, Scan scan) {
        if (!noKnockout) return null;
        Signal.FormSubmitted highIntent = scan.highIntentForm;
        if (highIntentForm != null && highIntent != null && fit >= highIntentForm.minFit()) {
            return new Qualification(Stage.SALES_QUALIFIED_LEAD, Reason.FAST_TRACK, RULE_HIGH_INTENT_FORM,
                    highIntent.formType().id() + " form from an ICP fit contact (fit " + fit + ")", null);
        }
        if (targetAccountViews != null && scan.targetAccountViews >= targetAccountViews.minViews()
                && policy.targetAccounts().contains(contact.emailDomain())) {
            return new Qualification(Stage.SALES_QUALIFIED_LEAD, Reason.FAST_TRACK, RULE_TARGET_ACCOUNT_VIEWS,
                    "target account with " + scan.targetAccountViews + " " + targetAccountCategoriesText
                            + " page views in " + targetAccountViews.withinDays() + " days", null);
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
                if (scan.salesActivity != null && scan.salesAccepted != null) {
                    String activity = scan.salesActivity.activityType();
                    return new Qualification(Stage.SALES_QUALIFIED_LEAD, Reason.SALES_ACCEPTED, "sql.sales-accepted",
                            "sales logged a " + (activity == null ? "sales activity" : activity) + " and accepted the lead",
                            scan.salesAccepted.owner());
                }
            }
            case SDR_MEETING_BOOKED -> {
                if (scan.meetingBooked != null) {
                    return new Qualification(Stage.SALES_QUALIFIED_LEAD, Reason.MEETING_BOOKED, "sql.sdr-meeting-booked",
                            "a meeting was booked", scan.meetingBooked.owner());
                }
            }
        }
        if (mql) {
            return new Qualification(Stage.MARKETING_QUALIFIED_LEAD, Reason.FIT_THRESHOLD, RULE_MQL,
                    "fit " + fit + " reached " + policy.mqlMinFit() + " with no knockout", null);
        }
        return null;
    }

    /**
     * One pass over a contact's signals as of {@code now}: the tally of the signals in the window by bucket, and what
     * the fast tracks and SQL modes look at. A method of its own, not part of evaluate(), so that the JIT compiles
     * the loop on its own budget: inlined into evaluate() with everything else, its small calls were left out.
     */
    private final class Scan {
        final Instant windowStart;
        final Instant targetAccountStart;
        final int[] tally = new int[bucketCount];
        int targetAccountViews;
        Signal.FormSubmitted highIntentForm;
        Signal.SalesActivityLogged salesActivity;
        Signal.SalesAccepted salesAccepted;
        Signal.MeetingBooked meetingBooked;

        Scan(Instant now) {
            windowStart = now.minus(window);
            targetAccountStart = targetAccountWindow == null ? null : now.minus(targetAccountWindow);
        }

        void over(List<Signal> signals) {
            for (int k = 0, n = signals.size(); k < n; k++) {
                // Each type is told apart by instanceof, then read through the record's own accessors. s.occurredAt()
                // or s.type() would be interface calls with ten receiver types, which the JIT cannot inline (they were
                // most of the cost per signal), and a pattern switch measured 12% slower than this chain, which tests
                // the commonest types first. Unlike a switch, the chain is not checked for exhaustiveness: a type
                // added to Signal and not here falls to the last branch, counted like the types without filters.
                Signal s = signals.get(k);
                if (s instanceof Signal.PageViewed p) {
                    if (p.occurredAt().isBefore(windowStart)) continue;
                    int category = pathCategories.indexOf(p.path());
                    tally[pageBuckets + category]++;
                    if (targetAccountCategory[category] && !p.occurredAt().isBefore(targetAccountStart)) targetAccountViews++;
                } else if (s instanceof Signal.SessionStarted x) {
                    tallyType(x.occurredAt(), SignalType.SESSION_STARTED);
                } else if (s instanceof Signal.EmailOpened x) {
                    tallyType(x.occurredAt(), SignalType.EMAIL_OPENED);
                } else if (s instanceof Signal.EmailClicked x) {
                    tallyType(x.occurredAt(), SignalType.EMAIL_CLICKED);
                } else if (s instanceof Signal.ContentDownloaded d) {
                    if (d.occurredAt().isBefore(windowStart)) continue;
                    tally[contentBuckets + 2 * assetTypeIndex(d.assetType()) + (d.gated() ? 1 : 0)]++;
                } else if (s instanceof Signal.FormSubmitted f) {
                    if (f.occurredAt().isBefore(windowStart)) continue;
                    int type = f.formType().ordinal();
                    tally[formBuckets + type]++;
                    if (highIntentFormType[type]) highIntentForm = latest(highIntentForm, f);
                } else if (s instanceof Signal.WebinarAttended x) {
                    tallyType(x.occurredAt(), SignalType.WEBINAR_ATTENDED);
                } else if (s instanceof Signal.SalesActivityLogged a) {
                    // Sales-side facts stay true whatever their age; only their engagement points need the window.
                    salesActivity = latest(salesActivity, a);
                    tallyType(a.occurredAt(), SignalType.SALES_ACTIVITY_LOGGED);
                } else if (s instanceof Signal.SalesAccepted a) {
                    salesAccepted = latest(salesAccepted, a);
                    tallyType(a.occurredAt(), SignalType.SALES_ACCEPTED);
                } else if (s instanceof Signal.MeetingBooked m) {
                    meetingBooked = latest(meetingBooked, m);
                    tallyType(m.occurredAt(), SignalType.MEETING_BOOKED);
                } else {
                    tallyType(s.occurredAt(), s.type());
                }
            }
        }

        /** Counts a signal of a type that rules do not filter, when it falls in the window. */
        private void tallyType(Instant at, SignalType type) {
            if (!at.isBefore(windowStart)) tally[type.ordinal()]++;
        }
    }

    /** A linear search: policies name a handful of asset types, and comparing a few is cheaper than hashing one. */
    private int assetTypeIndex(String assetType) {
        for (int i = 0; i < namedAssetTypes.length; i++) {
            if (assetType.equals(namedAssetTypes[i])) return i;
        }
        return namedAssetTypes.length;
    }

    /** The indexes of the rules of this type that pass the test. */
    private int[] rulesOf(SignalType type, Predicate<EngagementRule> test) {
        return indexes(rules.length, i -> rules[i].signal() == type && test.test(rules[i]));
    }

    private static int[] indexes(int n, IntPredicate test) {
        return IntStream.range(0, n).filter(test).toArray();
    }

    /** Some string that none of {@code names} is. */
    private static String unnamed(Set<String> names) {
        String s = "";
        while (names.contains(s)) s += "?";
        return s;
    }

    private static boolean anyHolds(int[] which, boolean[] holds) {
        for (int i : which) if (holds[i]) return true;
        return false;
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

    private static <S extends Signal> S latest(S current, S candidate) {
        if (current == null) return candidate;
        int c = candidate.occurredAt().compareTo(current.occurredAt());
        // Ties broken by id so the outcome never depends on arrival order.
        return c > 0 || (c == 0 && candidate.id().compareTo(current.id()) > 0) ? candidate : current;
    }
}
