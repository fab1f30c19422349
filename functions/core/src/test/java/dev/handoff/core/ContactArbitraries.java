package dev.handoff.core;

import static dev.handoff.core.Fixtures.NOW;

import dev.handoff.core.policy.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators for contacts with random properties and up to ~300 signals of every type spread over ~200 days. */
final class ContactArbitraries {
    private ContactArbitraries() {}

    static final int MAX_SIGNALS = 300;
    static final long SPREAD_SECONDS = Duration.ofDays(200).toSeconds();

    static Arbitrary<Policy> presets() {
        return Arbitraries.of(Fixtures.SCORE_THRESHOLD, Fixtures.SALES_ACCEPTED, Fixtures.SDR_MEETING_BOOKED);
    }

    static Arbitrary<String> emails() {
        return Arbitraries.of("ana@acme.com", "bo@globex.com", "cy@initech.com", "spy@rival.io", "pat@gmail.com",
                "sue@proton.me", "lee@example.org", "kim@startup.io", "dan@eu.acme.com");
    }

    static Arbitrary<Map<String, String>> properties() {
        Arbitrary<String> employees = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 20_000).map(String::valueOf),
                Arbitraries.of("9", "10", "49", "50", "199", "200", "999", "1000", "1,000", "", "n/a", " 75 "));
        Arbitrary<String> titles = Arbitraries.of("CEO", "VP Marketing", "Vice President", "Head of Data", "Director",
                "Marketing Manager", "Team Lead", "Team Leader", "Headhunter", "Student", "Sales Intern",
                "Software Engineer", "International Sales Director", "Chief of Staff", "");
        Arbitrary<String> budgets = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 200_000).map(String::valueOf),
                Arbitraries.of("9999", "10000", "49999", "50000", "unknown"));
        Arbitrary<String> industries = Arbitraries.of("software", "SaaS", "fintech", "ecommerce", "telecommunications",
                "retail", "healthcare", "");
        Arbitrary<String> revenues = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 100_000_000L).map(String::valueOf),
                Arbitraries.of("9999999", "10000000"));
        return Combinators.combine(
                        employees.injectNull(0.3), titles.injectNull(0.2), budgets.injectNull(0.4),
                        industries.injectNull(0.4), revenues.injectNull(0.5))
                .as((e, t, b, i, r) -> {
                    Map<String, String> m = new LinkedHashMap<>();
                    if (e != null) m.put("numberofemployees", e);
                    if (t != null) m.put("jobtitle", t);
                    if (b != null) m.put("budget", b);
                    if (i != null) m.put("industry", i);
                    if (r != null) m.put("annualrevenue", r);
                    return m;
                });
    }

    private static Arbitrary<Instant> times() {
        return Arbitraries.longs().between(0, SPREAD_SECONDS).map(NOW::minusSeconds);
    }

    /** One signal of any type, waiting for its id. */
    static Arbitrary<Function<String, Signal>> signalMakers() {
        Arbitrary<Instant> at = times();
        Arbitrary<String> paths = Arbitraries.of("/pricing", "/pricing/teams", "/docs", "/docs/api/v2", "/demo",
                "/demo/book", "/", "/blog/pricing-tips", "/about", "/careers");
        Arbitrary<String> assetTypes = Arbitraries.of("whitepaper", "datasheet", "Datasheet", "case-study", "ebook", "video", "");
        Arbitrary<FormType> formTypes = Arbitraries.of(FormType.class);
        Arbitrary<String> owners = Arbitraries.of("sam", "ria", "sasha");
        List<Arbitrary<Function<String, Signal>>> kinds = List.of(
                Combinators.combine(at, paths).as((t, p) -> id -> new Signal.PageViewed(id, t, p)),
                at.map(t -> id -> new Signal.SessionStarted(id, t)),
                at.map(t -> id -> new Signal.EmailOpened(id, t, "c1")),
                at.map(t -> id -> new Signal.EmailClicked(id, t, "c1", "/x")),
                Combinators.combine(at, assetTypes, Arbitraries.of(true, false))
                        .as((t, a, g) -> id -> new Signal.ContentDownloaded(id, t, "asset", a, g)),
                at.map(t -> id -> new Signal.WebinarAttended(id, t, "w1")),
                Combinators.combine(at, owners).as((t, o) -> id -> new Signal.MeetingBooked(id, t, o, t.plusSeconds(86_400))),
                Combinators.combine(at, Arbitraries.of("call", "meeting", "email"), owners)
                        .as((t, a, o) -> id -> new Signal.SalesActivityLogged(id, t, a, o)),
                Combinators.combine(at, owners).as((t, o) -> id -> new Signal.SalesAccepted(id, t, o)),
                Combinators.combine(at, formTypes).as((t, f) -> id -> new Signal.FormSubmitted(id, t, f.id(), f)));
        // Page views and sessions are the bulk of real traffic, so they come more often.
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, kinds.get(0)), net.jqwik.api.Tuple.of(3, kinds.get(1)),
                net.jqwik.api.Tuple.of(1, kinds.get(2)), net.jqwik.api.Tuple.of(2, kinds.get(3)),
                net.jqwik.api.Tuple.of(2, kinds.get(4)), net.jqwik.api.Tuple.of(1, kinds.get(5)),
                net.jqwik.api.Tuple.of(1, kinds.get(6)), net.jqwik.api.Tuple.of(1, kinds.get(7)),
                net.jqwik.api.Tuple.of(1, kinds.get(8)), net.jqwik.api.Tuple.of(2, kinds.get(9)));
    }

    /** Up to {@link #MAX_SIGNALS} signals with distinct ids. */
    static Arbitrary<List<Signal>> signals() {
        return signalMakers().list().ofMaxSize(MAX_SIGNALS).map(makers -> {
            List<Signal> out = new ArrayList<>(makers.size());
            for (int i = 0; i < makers.size(); i++) out.add(makers.get(i).apply("s-" + i));
            return out;
        });
    }

    /** Contacts with random properties and signals, in no stage yet or any stage of the ladder or other. */
    static Arbitrary<Contact> contacts() {
        Arbitrary<Stage> stages = Arbitraries.of(Stage.class).injectNull(0.3);
        return Combinators.combine(emails(), properties(), signals(), stages).as((email, props, signals, stage) -> {
            List<StageMove> history = stage == null ? List.of()
                    : List.of(new StageMove(null, stage, NOW.minus(Duration.ofDays(201)), Reason.IMPORT, "import", "v0", null));
            return new Contact(email, props, Set.of(), signals, stage, history);
        });
    }
}
