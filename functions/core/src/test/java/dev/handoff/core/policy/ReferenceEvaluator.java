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
import java.util.List;

/**
 * The evaluator as it was before it was tuned for speed, kept verbatim (but for the helpers at the end, copied from
 * Condition, EngagementRule and Policy so that it depends on no code that was tuned): the reference that
 * {@link EvaluatorEquivalenceTest} holds the real {@link Evaluator} to.
 */
final class ReferenceEvaluator {
    static final String RULE_HIGH_INTENT_FORM = "fast-track.high-intent-form";
    static final String RULE_TARGET_ACCOUNT_VIEWS = "fast-track.target-account-page-views";
    static final String RULE_MQL = "mql.min-fit";

    private final Policy policy;
    private final EngagementRule[] rules;
    private final int[][] ruleIndexByType;
    private final boolean[] fitRuleHasUnless;

    ReferenceEvaluator(Policy policy) {
        this.policy = policy;
        this.rules = policy.engagementRules().toArray(EngagementRule[]::new);
        SignalType[] types = SignalType.values();
        this.ruleIndexByType = new int[types.length][];
        for (SignalType t : types) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < rules.length; i++) if (rules[i].signal() == t) idx.add(i);
            ruleIndexByType[t.ordinal()] = idx.stream().mapToInt(Integer::intValue).toArray();
        }
        this.fitRuleHasUnless = new boolean[policy.fitRules().size()];
        for (int i = 0; i < fitRuleHasUnless.length; i++) fitRuleHasUnless[i] = !policy.fitRules().get(i).unless().isEmpty();
    }

    Decision evaluate(Contact contact, Instant now) {
        // Fit: every rule whose condition holds and whose "unless" rules do not.
        List<FitRule> fitRules = policy.fitRules();
        boolean[] holds = new boolean[fitRules.size()];
        for (int i = 0; i < holds.length; i++) holds[i] = matches(fitRules.get(i).condition(), contact);
        List<Contribution> fitBreakdown = new ArrayList<>();
        int fitRaw = 0;
        for (int i = 0; i < holds.length; i++) {
            if (!holds[i]) continue;
            FitRule rule = fitRules.get(i);
            if (fitRuleHasUnless[i] && anyHolds(rule.unless(), fitRules, holds)) continue;
            fitRaw += rule.points();
            fitBreakdown.add(new Contribution(rule.id(), Kind.FIT, rule.points(), 1, rule.points(), null, null, null));
        }
        int fit = clampInto(fitRaw, fitBreakdown, Kind.FIT, null);

        List<String> knockouts = new ArrayList<>(0);
        for (Knockout k : policy.knockouts()) if (matches(k.condition(), contact)) knockouts.add(k.id());

        // Engagement and the signal-driven routes, in one pass over the signals.
        int window = policy.engagementWindowDays();
        Instant windowStart = now.minus(Duration.ofDays(window));
        FastTrack.HighIntentForm hif = policy.fastTrack().highIntentForm();
        FastTrack.TargetAccountPageViews tav = policy.fastTrack().targetAccountPageViews();
        Instant tavStart = tav == null ? null : now.minus(Duration.ofDays(tav.withinDays()));
        int[] counts = new int[rules.length];
        int tavViews = 0;
        Signal.FormSubmitted highIntentForm = null;
        Signal salesActivity = null;
        Signal salesAccepted = null;
        Signal meetingBooked = null;
        for (Signal s : contact.signals()) {
            // Sales-side facts stay true whatever their age.
            switch (s) {
                case Signal.SalesActivityLogged a -> salesActivity = latest(salesActivity, a);
                case Signal.SalesAccepted a -> salesAccepted = latest(salesAccepted, a);
                case Signal.MeetingBooked m -> meetingBooked = latest(meetingBooked, m);
                default -> {}
            }
            Instant at = s.occurredAt();
            if (at.isBefore(windowStart)) continue;
            String category = null;
            if (s instanceof Signal.PageViewed p) {
                category = categoryOf(p.path());
                if (tav != null && category != null && !at.isBefore(tavStart) && tav.categories().contains(category)) tavViews++;
            } else if (hif != null && s instanceof Signal.FormSubmitted f && hif.formTypes().contains(f.formType())) {
                highIntentForm = (Signal.FormSubmitted) latest(highIntentForm, f);
            }
            for (int i : ruleIndexByType[s.type().ordinal()]) {
                if (matches(rules[i], s, category)) counts[i]++;
            }
        }
        List<Contribution> engagementBreakdown = new ArrayList<>();
        int engagementRaw = 0;
        for (int i = 0; i < rules.length; i++) {
            if (counts[i] == 0) continue;
            EngagementRule r = rules[i];
            int points = award(r, counts[i]);
            if (points == 0) continue;
            engagementRaw += points;
            engagementBreakdown.add(new Contribution(r.id(), Kind.ENGAGEMENT, points, counts[i], r.points(), r.cap(), r.minCount(), window));
        }
        int engagement = clampInto(engagementRaw, engagementBreakdown, Kind.ENGAGEMENT, window);

        Qualification q = qualify(contact, fit, engagement, knockouts.isEmpty(), highIntentForm, tavViews,
                salesActivity, salesAccepted, meetingBooked);
        return new Decision(fit, engagement, fitBreakdown, engagementBreakdown, knockouts, q, policy.version());
    }

    /** The highest stage any rule allows; among SQL routes the fast tracks are named first, as the strongest intent. */
    private Qualification qualify(
            Contact contact, int fit, int engagement, boolean noKnockout, Signal.FormSubmitted highIntentForm,
            int tavViews, Signal salesActivity, Signal salesAccepted, Signal meetingBooked) {
        if (!noKnockout) return null;
        FastTrack.HighIntentForm hif = policy.fastTrack().highIntentForm();
        if (hif != null && highIntentForm != null && fit >= hif.minFit()) {
            return new Qualification(Stage.SALES_QUALIFIED_LEAD, Reason.FAST_TRACK, RULE_HIGH_INTENT_FORM,
                    highIntentForm.formType().id() + " form from an ICP fit contact (fit " + fit + ")", null);
        }
        FastTrack.TargetAccountPageViews tav = policy.fastTrack().targetAccountPageViews();
        if (tav != null && tavViews >= tav.minViews() && policy.targetAccounts().contains(contact.emailDomain())) {
            return new Qualification(Stage.SALES_QUALIFIED_LEAD, Reason.FAST_TRACK, RULE_TARGET_ACCOUNT_VIEWS,
                    "target account with " + tavViews + " " + String.join("/", sorted(tav.categories()))
                            + " page views in " + tav.withinDays() + " days", null);
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
                if (salesActivity != null && salesAccepted != null) {
                    String owner = ((Signal.SalesAccepted) salesAccepted).owner();
                    String activity = ((Signal.SalesActivityLogged) salesActivity).activityType();
                    return new Qualification(Stage.SALES_QUALIFIED_LEAD, Reason.SALES_ACCEPTED, "sql.sales-accepted",
                            "sales logged a " + (activity == null ? "sales activity" : activity) + " and accepted the lead",
                            owner);
                }
            }
            case SDR_MEETING_BOOKED -> {
                if (meetingBooked != null) {
                    return new Qualification(Stage.SALES_QUALIFIED_LEAD, Reason.MEETING_BOOKED, "sql.sdr-meeting-booked",
                            "a meeting was booked", ((Signal.MeetingBooked) meetingBooked).owner());
                }
            }
        }
        if (mql) {
            return new Qualification(Stage.MARKETING_QUALIFIED_LEAD, Reason.FIT_THRESHOLD, RULE_MQL,
                    "fit " + fit + " reached " + policy.mqlMinFit() + " with no knockout", null);
        }
        return null;
    }

    private static boolean anyHolds(List<String> ids, List<FitRule> rules, boolean[] holds) {
        for (int i = 0; i < rules.size(); i++) {
            if (holds[i] && ids.contains(rules.get(i).id())) return true;
        }
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

    private static Signal latest(Signal current, Signal candidate) {
        if (current == null) return candidate;
        int c = candidate.occurredAt().compareTo(current.occurredAt());
        // Ties broken by id so the outcome never depends on arrival order.
        return c > 0 || (c == 0 && candidate.id().compareTo(current.id()) > 0) ? candidate : current;
    }

    private static List<String> sorted(java.util.Set<String> s) {
        return s.stream().sorted().toList();
    }

    // ---- Condition.matches, EngagementRule.matches and award, and Policy.categoryOf as they were.

    private static boolean matches(Condition condition, Contact contact) {
        return switch (condition) {
            case Condition.NumberRange r -> {
                String raw = contact.properties().get(r.property());
                if (raw == null) yield false;
                double value;
                try {
                    value = parseNumber(raw);
                } catch (NumberFormatException e) {
                    yield false;
                }
                yield (r.atLeast() == null || value >= r.atLeast())
                        && (r.atMost() == null || value <= r.atMost())
                        && (r.below() == null || value < r.below());
            }
            case Condition.ContainsWord w -> {
                String raw = contact.properties().get(w.property());
                yield raw != null && w.pattern().matcher(raw).find();
            }
            case Condition.OneOf o -> {
                String raw = contact.properties().get(o.property());
                yield raw != null && o.values().contains(raw.trim().toLowerCase(java.util.Locale.ROOT));
            }
            case Condition.EmailDomainIn d -> d.domains().contains(contact.emailDomain());
        };
    }

    private static double parseNumber(String raw) {
        String s = raw.trim().replace(",", "").replace("_", "");
        if (s.isEmpty()) throw new NumberFormatException("empty");
        return Double.parseDouble(s);
    }

    private static boolean matches(EngagementRule r, Signal s, String category) {
        switch (s) {
            case Signal.PageViewed p -> {
                return r.categories() == null || (category != null && r.categories().contains(category));
            }
            case Signal.ContentDownloaded d -> {
                return (r.assetTypes() == null || r.assetTypes().contains(d.assetType()))
                        && (r.assetTypesExcept() == null || !r.assetTypesExcept().contains(d.assetType()))
                        && (r.gated() == null || r.gated() == d.gated());
            }
            case Signal.FormSubmitted f -> {
                return r.formTypes() == null || r.formTypes().contains(f.formType());
            }
            default -> {
                return true;
            }
        }
    }

    private static int award(EngagementRule r, int count) {
        if (r.minCount() != null) return count >= r.minCount() ? r.points() : 0;
        long raw = (long) r.points() * count;
        if (r.cap() == null) return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, raw));
        return (int) (raw >= 0 ? Math.min(raw, r.cap()) : Math.max(raw, -r.cap()));
    }

    private String categoryOf(String path) {
        for (PageCategory c : policy.pageCategories()) {
            for (String prefix : c.pathPrefixes()) {
                if (path.startsWith(prefix)) return c.name();
            }
        }
        return null;
    }
}
