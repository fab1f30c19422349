package dev.handoff.core.policy;

import dev.handoff.core.Contact;
import dev.handoff.core.Decision;
import dev.handoff.core.FormType;
import dev.handoff.core.Signal;
import dev.handoff.core.SignalTally;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A loaded, valid qualification policy: the form catalogue, the domain lists, page categories, fit rules,
 * knockouts, engagement rules, the MQL rule, the SQL mode and the fast tracks. Immutable; built only by
 * {@link PolicyLoader}, which refuses an invalid file as a whole.
 */
public final class Policy {
    private final String name;
    private final String version;
    private final Map<String, FormType> forms;
    private final Map<String, URI> formRedirects;
    private final String honeypotField;
    private final Set<String> targetAccounts;
    private final Set<String> competitors;
    private final Set<String> freeMailDomains;
    private final List<PageCategory> pageCategories;
    private final List<FitRule> fitRules;
    private final List<Knockout> knockouts;
    private final int engagementWindowDays;
    private final int halfLifeDays;
    private final List<EngagementRule> engagementRules;
    private final int mqlMinFit;
    private final SqlMode sqlMode;
    private final Integer sqlMinEngagement;
    private final FastTrack fastTrack;
    private final Evaluator evaluator;
    private Routing routing = Routing.NONE;

    Policy(
            String name,
            String version,
            Map<String, FormType> forms,
            Map<String, URI> formRedirects,
            String honeypotField,
            Set<String> targetAccounts,
            Set<String> competitors,
            Set<String> freeMailDomains,
            List<PageCategory> pageCategories,
            List<FitRule> fitRules,
            List<Knockout> knockouts,
            int engagementWindowDays,
            int halfLifeDays,
            List<EngagementRule> engagementRules,
            int mqlMinFit,
            SqlMode sqlMode,
            Integer sqlMinEngagement,
            FastTrack fastTrack) {
        this.name = name;
        this.version = version;
        this.forms = Map.copyOf(forms);
        this.formRedirects = Map.copyOf(formRedirects);
        this.honeypotField = honeypotField;
        this.targetAccounts = Set.copyOf(targetAccounts);
        this.competitors = Set.copyOf(competitors);
        this.freeMailDomains = Set.copyOf(freeMailDomains);
        this.pageCategories = List.copyOf(pageCategories);
        this.fitRules = List.copyOf(fitRules);
        this.knockouts = List.copyOf(knockouts);
        this.engagementWindowDays = engagementWindowDays;
        this.halfLifeDays = halfLifeDays;
        this.engagementRules = List.copyOf(engagementRules);
        this.mqlMinFit = mqlMinFit;
        this.sqlMode = sqlMode;
        this.sqlMinEngagement = sqlMinEngagement;
        this.fastTrack = fastTrack;
        this.evaluator = new Evaluator(this);
    }

    /**
     * Scores and qualifies a contact from its own signals as of {@code now}: the same as scoring its
     * {@link #tallyOf tally}. Pure: the same contact and time give the same decision.
     */
    public Decision evaluate(Contact contact, Instant now) {
        return evaluator.evaluate(contact, tallyOf(contact.signals()), now);
    }

    /**
     * Scores and qualifies a contact whose signals are kept as a tally (what the store keeps); the contact's own
     * signal list is not read. Pure: the same contact, tally and time give the same decision.
     */
    public Decision evaluate(Contact contact, SignalTally tally, Instant now) {
        return evaluator.evaluate(contact, tally, now);
    }

    /** For the properties that check the evaluator's fast paths against the plain definitions. */
    Evaluator evaluator() {
        return evaluator;
    }

    /** The tally of these signals, page views counted under this policy's categories. */
    public SignalTally tallyOf(List<? extends Signal> signals) {
        return SignalTally.of(signals, this::categoryOf);
    }

    /**
     * How many days back a tally must keep counts for this policy: the engagement window, or the target-account
     * fast track's when that is longer. Older days can be dropped.
     */
    public int retentionDays() {
        FastTrack.TargetAccountPageViews views = fastTrack.targetAccountPageViews();
        return views == null ? engagementWindowDays : Math.max(engagementWindowDays, views.withinDays());
    }

    public String name() {
        return name;
    }

    /** Recorded with every stage move this policy makes. */
    public String version() {
        return version;
    }

    public Optional<FormType> formType(String formId) {
        return Optional.ofNullable(forms.get(formId));
    }

    public Map<String, FormType> forms() {
        return forms;
    }

    /**
     * Where a plain HTML post of this form sends the visitor once accepted (the catalogue's {@code redirect});
     * empty for a form without one. Set by the policy only: a browser never chooses it.
     */
    public Optional<URI> formRedirect(String formId) {
        return Optional.ofNullable(formRedirects.get(formId));
    }

    /** A form field that only bots fill; null when the policy names none. */
    public String honeypotField() {
        return honeypotField;
    }

    public Set<String> targetAccounts() {
        return targetAccounts;
    }

    public Set<String> competitors() {
        return competitors;
    }

    public Set<String> freeMailDomains() {
        return freeMailDomains;
    }

    public List<PageCategory> pageCategories() {
        return pageCategories;
    }

    /** The first category whose path prefixes match, or null. */
    public String categoryOf(String path) {
        for (PageCategory c : pageCategories) {
            if (c.contains(path)) return c.name();
        }
        return null;
    }

    public List<FitRule> fitRules() {
        return fitRules;
    }

    public List<Knockout> knockouts() {
        return knockouts;
    }

    public int engagementWindowDays() {
        return engagementWindowDays;
    }

    /** The policy-wide half-life of engagement points in days; 0 when points do not decay (PRODUCT §5.1). */
    public int halfLifeDays() {
        return halfLifeDays;
    }

    /** The half-life a rule's points decay with: its own when it sets one (0: none), else the policy's. */
    public int halfLifeDaysOf(EngagementRule rule) {
        return rule.halfLifeDays() != null ? rule.halfLifeDays() : halfLifeDays;
    }

    public List<EngagementRule> engagementRules() {
        return engagementRules;
    }

    public int mqlMinFit() {
        return mqlMinFit;
    }

    public SqlMode sqlMode() {
        return sqlMode;
    }

    /** The engagement an MQL needs to become SQL; set only in mode score-threshold. */
    public Optional<Integer> sqlMinEngagement() {
        return Optional.ofNullable(sqlMinEngagement);
    }

    /** The owner routing of §5.2; {@link Routing#NONE} when the file has none. */
    public Routing routing() {
        return routing;
    }

    /** Set once by the loader, right after construction (kept out of the constructor's long list). */
    Policy withRouting(Routing routing) {
        this.routing = java.util.Objects.requireNonNull(routing, "routing");
        return this;
    }

    public FastTrack fastTrack() {
        return fastTrack;
    }

    @Override
    public String toString() {
        return "Policy[" + name + " " + version + ", sql " + sqlMode.id() + "]";
    }
}
