package dev.handoff.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.Contact;
import dev.handoff.core.FormType;
import dev.handoff.core.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The evaluator is tuned for speed (rules indexed by what a signal carries, properties read once, no regex for ASCII
 * titles); {@link ReferenceEvaluator} is the straightforward one it replaced. On any contact, at any time, under the
 * presets and under a policy made to be awkward (overlapping categories, filters of every kind, words with spaces,
 * symbols and non-ASCII letters), both must reach the same decision, to the last line of the explanation.
 */
class EvaluatorEquivalenceTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    /** Every kind of rule and filter, categories that overlap and a fast-track window longer than the engagement one. */
    static final String AWKWARD = """
            name: awkward
            version: "awkward/1"
            forms:
              newsletter: newsletter
              demo: demo-request
            domains:
              targetAccounts: [acme.com, globex.com]
              competitors: [rival.io]
              freeMail: [gmail.com]
            pageCategories:
              - category: docs-api
                pathPrefixes: [/docs/api, /reference]
              - category: docs
                pathPrefixes: [/docs, /help]
              - category: pricing
                pathPrefixes: [/plans, /pricing/teams, /pricing]
              - category: anything
                pathPrefixes: [/]
            fit:
              rules:
                - id: senior
                  property: jobtitle
                  containsWord: [vice president, chief, head, "c++", "r&d  lead", "co-founder"]
                  points: 40
                - id: lead
                  property: jobtitle
                  containsWord: [lead, manager, "Geschäftsführer"]
                  unless: [senior, big]
                  points: 20
                - id: small
                  property: numberofemployees
                  atMost: 20
                  points: -10
                - id: big
                  property: numberofemployees
                  atLeast: 1000
                  points: 70
                - id: mid
                  property: numberofemployees
                  atLeast: 20.5
                  below: 1000
                  points: 15
                - id: saas
                  property: industry
                  oneOf: [SaaS, "Soft Ware", "Straße"]
                  points: 10
                - id: target
                  emailDomainIn: targetAccounts
                  points: 20
                - id: free
                  emailDomainIn: freeMail
                  points: -30
            knockouts:
              - id: student
                property: jobtitle
                containsWord: [student, intern]
              - id: competitor
                emailDomainIn: competitors
            engagement:
              windowDays: 60
              rules:
                - id: docs-views
                  signal: page-viewed
                  categories: [docs, docs-api]
                  points: 5
                  cap: 50
                - id: any-view
                  signal: page-viewed
                  points: 1
                - id: three-pages-anywhere
                  signal: page-viewed
                  categories: [anything]
                  minCount: 3
                  points: 7
                - id: open-sheets
                  signal: content-downloaded
                  assetTypes: [Datasheet, whitepaper]
                  gated: false
                  points: 4
                  cap: 12
                - id: not-datasheets
                  signal: content-downloaded
                  assetTypesExcept: [datasheet]
                  points: -3
                  cap: 9
                - id: gated-twice
                  signal: content-downloaded
                  gated: true
                  minCount: 2
                  points: 11
                - id: demo-or-newsletter
                  signal: form-submitted
                  formTypes: [demo-request, newsletter]
                  points: 6
                  cap: 18
                - id: any-form
                  signal: form-submitted
                  points: 2
                - id: accepted
                  signal: sales-accepted
                  points: 3
                - id: meetings
                  signal: meeting-booked
                  points: 4
                  cap: 8
                - id: opens
                  signal: email-opened
                  points: 1
                  cap: 5
            mql:
              minFit: 30
            sql:
              mode: score-threshold
              minEngagement: 30
            fastTrack:
              highIntentForm:
                formTypes: [demo-request]
                minFit: 10
              targetAccountPageViews:
                categories: [docs, pricing]
                minViews: 2
                withinDays: 120
            """;

    @Provide
    Arbitrary<Policy> policies() throws InvalidPolicyException {
        List<Policy> all = new ArrayList<>();
        for (String preset : PolicyLoader.PRESETS) all.add(PolicyLoader.preset(preset));
        all.add(PolicyLoader.parse(AWKWARD, "awkward.yaml"));
        return Arbitraries.of(all);
    }

    @Provide
    Arbitrary<Contact> contacts() {
        return Combinators.combine(emails(), properties(), signals()).as(
                (email, props, signals) -> new Contact(email, props, Set.of(), signals, null, List.of()));
    }

    @Property(tries = 2000, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void the_tuned_evaluator_decides_as_the_reference_does(
            @ForAll("contacts") Contact contact, @ForAll("policies") Policy policy,
            @ForAll("nows") Instant now) {
        assertThat(policy.evaluate(contact, now)).isEqualTo(new ReferenceEvaluator(policy).evaluate(contact, now));
    }

    @Property(tries = 3000, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void titles_match_words_as_the_regex_does(@ForAll("titleStrings") String title, @ForAll("policies") Policy policy) {
        Contact contact = new Contact("x@example.org", Map.of("jobtitle", title), Set.of(), List.of(), null, List.of());
        assertThat(policy.evaluate(contact, NOW)).isEqualTo(new ReferenceEvaluator(policy).evaluate(contact, NOW));
    }

    @Example
    void titles_at_the_edges_of_ascii_match_as_the_regex_decides() throws InvalidPolicyException {
        List<String> titles = List.of("Vice President", "VICE  PRESIDENT", "vice\t\n\u000B\f\rpresident", "Vice\u001FPresident",
                "Vice\u00A0President", "Vice\u2003President", "vicepresident", "Vice President2", "Vice-President",
                "Head", "Head²", "²Head", "x² head", "head_of", "_head", "Head_", "𝐇ead of", "ahead", "Heads",
                "Student", "ſtudent", "İntern", "ıntern", "INTERN", "Sales Intern", "\u212Aelvin", "C++ Lead", "c++",
                "C+++", "r&d lead", "R&D \t Lead", "r&dlead", "Co-Founder & CEO", "cofounder", "Geschäftsführer",
                "GESCHÄFTSFÜHRER", "Team Lead²", "Lead²", "", " ", "\u000BHead\u000B", "Chief of Staff", "CTO/CEO", "vp2");
        for (Policy policy : policies().allValues().orElseThrow().toList()) {
            for (String title : titles) {
                Contact contact = new Contact("x@example.org", Map.of("jobtitle", title), Set.of(), List.of(), null, List.of());
                assertThat(policy.evaluate(contact, NOW)).as("%s under %s", title, policy.name())
                        .isEqualTo(new ReferenceEvaluator(policy).evaluate(contact, NOW));
            }
        }
    }

    @Example
    void the_awkward_policy_loads_and_its_word_rules_take_the_ascii_path_where_they_can() throws InvalidPolicyException {
        Policy p = PolicyLoader.parse(AWKWARD, "awkward.yaml");
        Condition senior = p.fitRules().get(0).condition();
        Condition lead = p.fitRules().get(1).condition();
        assertThat(AsciiWords.of((Condition.ContainsWord) senior)).isNotNull();
        assertThat(AsciiWords.of((Condition.ContainsWord) lead)).as("a non-ASCII word: the regex decides").isNull();
    }

    @Provide
    Arbitrary<String> titleStrings() {
        return titles();
    }

    @Provide
    Arbitrary<Instant> nows() {
        return Arbitraries.longs().between(-3 * 86_400, 30 * 86_400).map(NOW::plusSeconds);
    }

    static Arbitrary<String> emails() {
        return Arbitraries.of("ana@acme.com", "bo@GLOBEX.com", "spy@rival.io", "pat@gmail.com", "lee@example.org",
                "dan@eu.acme.com", "odd@", "no-at-sign");
    }

    /** Pieces of job titles, ASCII and not, that sit near the edges of "whole word, any case, any spaces". */
    static Arbitrary<String> titles() {
        Arbitrary<String> token = Arbitraries.of(
                "Head", "HEAD", "head", "heads", "Headhunter", "ahead", "Lead", "LEADER", "lead2", "Chief", "chief",
                "Vice", "vice", "President", "president", "VP", "C++", "c++", "R&D", "r&d", "CO-FOUNDER", "Co-Founder",
                "founder", "co", "Manager", "MANAGEMENT", "student", "STUDENTS", "Intern", "international", "interns",
                "ſtudent", "\u212Aelvin", "ınternship", "ıntern", "İntern", "Geschäftsführer", "GESCHÄFTSFÜHRER", "x²",
                "²", "é", "9", "_", "Marketing", "of", "and", "𝐇ead");
        Arbitrary<String> gap = Arbitraries.of(" ", " ", " ", "  ", "\t", "\n", "\u000B", "\f", "\r", "\u001F",
                "\u00A0", "\u2003", "", "-", "/", "_", ".", ",", "&");
        return Combinators.combine(token.list().ofMinSize(0).ofMaxSize(6), gap.list().ofSize(7))
                .as((tokens, gaps) -> {
                    StringBuilder b = new StringBuilder(gaps.get(0));
                    for (int i = 0; i < tokens.size(); i++) b.append(tokens.get(i)).append(gaps.get(i + 1));
                    return b.toString();
                });
    }

    static Arbitrary<Map<String, String>> properties() {
        Arbitrary<String> numbers = Arbitraries.oneOf(
                Arbitraries.integers().between(-5, 20_000).map(String::valueOf),
                Arbitraries.of("9", "20", "20.5", "21", "999", "1000", "1,000", " 500 ", "1_200", "1e4", "NaN",
                        "Infinity", "-0", "+50", "0x10", "1.5e3", "50d", "12 000", "١٢٣", "", "  ", "n/a",
                        "123456789012345", "1234567890123456", "99999999999999999999", "0012", ",", "_"));
        Arbitrary<String> industries = Arbitraries.of("SaaS", " saas ", "SAAS", "Soft Ware", "soft  ware", "straße",
                "STRASSE", "retail", "", "İ");
        return Combinators.combine(
                        numbers.injectNull(0.2), titles().injectNull(0.2), industries.injectNull(0.3))
                .as((n, t, i) -> {
                    Map<String, String> m = new LinkedHashMap<>();
                    if (n != null) m.put("numberofemployees", n);
                    if (t != null) m.put("jobtitle", t);
                    if (i != null) m.put("industry", i);
                    return m;
                });
    }

    /** Up to 250 signals of every type over 200 days, sometimes at the same second, with distinct ids. */
    static Arbitrary<List<Signal>> signals() {
        Arbitrary<Instant> at = Arbitraries.oneOf(
                Arbitraries.longs().between(-10 * 86_400, 200 * 86_400).map(NOW::minusSeconds),
                // right at the edges of the windows (60, 90 and 120 days, and 7 days for the target-account views)
                Arbitraries.of(7L, 60L, 90L, 120L).flatMap(days -> Arbitraries.longs().between(-2, 2)
                        .map(nanos -> NOW.minus(Duration.ofDays(days)).plusNanos(nanos))));
        Arbitrary<String> paths = Arbitraries.of("/pricing", "/pricing/teams", "/PRICING", "/pricingx", "/plans",
                "/docs", "/docs/api/v2", "/docsy", "/help", "/reference", "/demo", "/", "", "pricing", "/blog");
        Arbitrary<String> assetTypes = Arbitraries.of("whitepaper", "datasheet", "Datasheet", " DATASHEET ",
                "case-study", "", "ebook");
        Arbitrary<String> owners = Arbitraries.of("sam", "ria");
        List<Arbitrary<Function<String, Signal>>> kinds = List.of(
                Combinators.combine(at, paths).as((t, p) -> id -> new Signal.PageViewed(id, t, p)),
                at.map(t -> id -> new Signal.SessionStarted(id, t)),
                at.map(t -> id -> new Signal.EmailOpened(id, t, "c1")),
                at.map(t -> id -> new Signal.EmailClicked(id, t, "c1", "/x")),
                Combinators.combine(at, assetTypes, Arbitraries.of(true, false))
                        .as((t, a, g) -> id -> new Signal.ContentDownloaded(id, t, "asset", a, g)),
                at.map(t -> id -> new Signal.WebinarAttended(id, t, "w1")),
                Combinators.combine(at, owners).as((t, o) -> id -> new Signal.MeetingBooked(id, t, o, t)),
                Combinators.combine(at, Arbitraries.of("call", "email").injectNull(0.2), owners)
                        .as((t, a, o) -> id -> new Signal.SalesActivityLogged(id, t, a, o)),
                Combinators.combine(at, owners).as((t, o) -> id -> new Signal.SalesAccepted(id, t, o)),
                Combinators.combine(at, Arbitraries.of(FormType.class))
                        .as((t, f) -> id -> new Signal.FormSubmitted(id, t, f.id(), f)));
        Arbitrary<Function<String, Signal>> any = Arbitraries.frequencyOf(
                Tuple.of(6, kinds.get(0)), Tuple.of(2, kinds.get(1)), Tuple.of(1, kinds.get(2)), Tuple.of(1, kinds.get(3)),
                Tuple.of(2, kinds.get(4)), Tuple.of(1, kinds.get(5)), Tuple.of(1, kinds.get(6)), Tuple.of(1, kinds.get(7)),
                Tuple.of(1, kinds.get(8)), Tuple.of(2, kinds.get(9)));
        return any.list().ofMaxSize(250).map(makers -> {
            List<Signal> out = new ArrayList<>(makers.size());
            for (int i = 0; i < makers.size(); i++) out.add(makers.get(i).apply("s-" + (i % 7) + "-" + i));
            return out;
        });
    }
}
