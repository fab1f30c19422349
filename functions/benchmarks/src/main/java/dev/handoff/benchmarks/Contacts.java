package dev.handoff.benchmarks;

import dev.handoff.core.Contact;
import dev.handoff.core.FormType;
import dev.handoff.core.Reason;
import dev.handoff.core.Signal;
import dev.handoff.core.SignalType;
import dev.handoff.core.Stage;
import dev.handoff.core.StageMove;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Benchmark contacts: an ICP-fit person with a realistic trail of signals over the engagement window. Built from a
 * fixed seed, so every run measures the same contact.
 */
final class Contacts {
    /** The evaluation time; every generated signal falls within the 90 days before it. */
    static final Instant NOW = Instant.parse("2026-12-01T10:15:00Z");

    static final int WINDOW_DAYS = 90;

    /**
     * Share of each signal type in a contact's trail, from what a B2B site's tracking typically records: page views
     * dominate, then sessions and email opens; downloads, webinars and forms are rarer. The sales-side types are
     * present once each in a long trail (they are scored in no engagement rule but the evaluator still looks at them).
     */
    private static final Map<SignalType, Double> MIX = new EnumMap<>(Map.of(
            SignalType.PAGE_VIEWED, 0.470,
            SignalType.SESSION_STARTED, 0.150,
            SignalType.EMAIL_OPENED, 0.140,
            SignalType.EMAIL_CLICKED, 0.070,
            SignalType.CONTENT_DOWNLOADED, 0.075,
            SignalType.WEBINAR_ATTENDED, 0.020,
            SignalType.FORM_SUBMITTED, 0.060,
            SignalType.MEETING_BOOKED, 0.005,
            SignalType.SALES_ACTIVITY_LOGGED, 0.005,
            SignalType.SALES_ACCEPTED, 0.005));

    /** Paths by weight: pricing, docs and demo (the preset's categories), and the blog and other pages that score nothing. */
    private static final List<Weighted<String>> PATHS = List.of(
            new Weighted<>("/pricing", 6), new Weighted<>("/pricing/teams", 3), new Weighted<>("/pricing/enterprise", 2),
            new Weighted<>("/docs/getting-started", 6), new Weighted<>("/docs/api/webhooks", 4),
            new Weighted<>("/docs/integrations/hubspot", 5), new Weighted<>("/docs/security/soc2", 2),
            new Weighted<>("/demo", 3), new Weighted<>("/demo/interactive-tour", 2),
            new Weighted<>("/blog/mql-vs-sql", 6), new Weighted<>("/blog/lead-scoring-models-compared", 5),
            new Weighted<>("/blog/2026/11/routing-leads-in-real-time", 4), new Weighted<>("/blog", 3),
            new Weighted<>("/", 8), new Weighted<>("/features/lead-routing", 4), new Weighted<>("/customers/globex", 2),
            new Weighted<>("/integrations", 3), new Weighted<>("/about", 1), new Weighted<>("/careers", 1));

    /** Asset type and whether the asset sits behind a form. */
    private static final List<Weighted<Asset>> ASSETS = List.of(
            new Weighted<>(new Asset("whitepaper-lead-scoring", "Whitepaper", true), 4),
            new Weighted<>(new Asset("ebook-revops-playbook", "ebook", true), 3),
            new Weighted<>(new Asset("case-study-globex", "case-study", false), 3),
            new Weighted<>(new Asset("datasheet-platform", "datasheet", false), 2),
            new Weighted<>(new Asset("datasheet-security", "datasheet", true), 1));

    /** Form ids of the preset's catalogue, without the high-intent ones (which would take the fast track). */
    private static final List<Weighted<Form>> FORMS = List.of(
            new Weighted<>(new Form("ebook-download", FormType.CONTENT), 5),
            new Weighted<>(new Form("webinar-registration", FormType.EVENT_REGISTRATION), 3),
            new Weighted<>(new Form("newsletter", FormType.NEWSLETTER), 1));

    private static final List<String> CAMPAIGNS = List.of("nurture-2026-09", "nurture-2026-10", "product-update-11",
            "webinar-invite-q4", "newsletter-weekly");

    private Contacts() {}

    /** The Head of Marketing Operations of a 350-person SaaS company, a lead with {@code signalCount} signals. */
    static Contact icpLead(int signalCount, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("firstname", "Priya");
        properties.put("lastname", "Raman");
        properties.put("company", "Northwind Analytics");
        properties.put("jobtitle", "Head of Marketing Operations");
        properties.put("numberofemployees", "350");
        properties.put("annualrevenue", "42000000");
        properties.put("budget", "25,000");
        properties.put("industry", "SaaS");
        properties.put("country", "Germany");
        properties.put("city", "Hamburg");
        properties.put("phone", "+49 40 555 0134");
        properties.put("website", "https://northwind-analytics.example");
        properties.put("hs_analytics_source", "ORGANIC_SEARCH");

        Instant firstSeen = NOW.minus(Duration.ofDays(WINDOW_DAYS + 30));
        List<StageMove> history = List.of(
                new StageMove(null, Stage.SUBSCRIBER, firstSeen, Reason.FORM_SUBMISSION, StageMove.POLICY_ACTOR,
                        "score-threshold/2026-11-22", null),
                new StageMove(Stage.SUBSCRIBER, Stage.LEAD, firstSeen.plus(Duration.ofDays(12)), Reason.FORM_SUBMISSION,
                        StageMove.POLICY_ACTOR, "score-threshold/2026-11-22", null));

        LinkedHashSet<String> visitorIds = new LinkedHashSet<>(List.of(uuid(random), uuid(random)));
        return new Contact("Priya.Raman@NorthwindAnalytics.com", properties, visitorIds, signals(signalCount, random),
                Stage.LEAD, history);
    }

    /** {@code count} signals in the proportions of {@link #MIX}, spread over the window, in the order they happened. */
    static List<Signal> signals(int count, SplittableRandom random) {
        Map<SignalType, Integer> perType = new EnumMap<>(SignalType.class);
        int assigned = 0;
        for (Map.Entry<SignalType, Double> e : MIX.entrySet()) {
            int n = (int) Math.round(count * e.getValue());
            boolean salesSide = e.getValue() < 0.01;
            if (n == 0 && !salesSide) n = 1; // every engagement type shows up, even in a short trail
            perType.put(e.getKey(), n);
            assigned += n;
        }
        perType.merge(SignalType.PAGE_VIEWED, count - assigned, Integer::sum); // page views absorb the rounding

        long windowSeconds = Duration.ofDays(WINDOW_DAYS).minusHours(1).toSeconds();
        List<Signal> out = new ArrayList<>(count);
        for (Map.Entry<SignalType, Integer> e : perType.entrySet()) {
            for (int i = 0; i < e.getValue(); i++) {
                Instant at = NOW.minusSeconds(random.nextLong(windowSeconds));
                out.add(signal(e.getKey(), uuid(random), at, random));
            }
        }
        out.sort(Comparator.comparing(Signal::occurredAt));
        return out;
    }

    private static Signal signal(SignalType type, String id, Instant at, SplittableRandom random) {
        return switch (type) {
            case PAGE_VIEWED -> new Signal.PageViewed(id, at, pick(PATHS, random));
            case SESSION_STARTED -> new Signal.SessionStarted(id, at);
            case EMAIL_OPENED -> new Signal.EmailOpened(id, at, CAMPAIGNS.get(random.nextInt(CAMPAIGNS.size())));
            case EMAIL_CLICKED -> new Signal.EmailClicked(id, at, CAMPAIGNS.get(random.nextInt(CAMPAIGNS.size())),
                    "https://northwind.example" + pick(PATHS, random) + "?utm_source=email");
            case CONTENT_DOWNLOADED -> {
                Asset a = pick(ASSETS, random);
                yield new Signal.ContentDownloaded(id, at, a.id(), a.type(), a.gated());
            }
            case WEBINAR_ATTENDED -> new Signal.WebinarAttended(id, at, "webinar-" + (1 + random.nextInt(4)));
            case FORM_SUBMITTED -> {
                Form f = pick(FORMS, random);
                yield new Signal.FormSubmitted(id, at, f.id(), f.type());
            }
            case MEETING_BOOKED -> new Signal.MeetingBooked(id, at, "sdr.jonas", at.plus(Duration.ofDays(3)));
            case SALES_ACTIVITY_LOGGED -> new Signal.SalesActivityLogged(id, at, "call", "sdr.jonas");
            case SALES_ACCEPTED -> new Signal.SalesAccepted(id, at, "ae.maria");
        };
    }

    private static String uuid(SplittableRandom random) {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private static <T> T pick(List<Weighted<T>> options, SplittableRandom random) {
        int total = 0;
        for (Weighted<T> w : options) total += w.weight();
        int r = random.nextInt(total);
        for (Weighted<T> w : options) {
            r -= w.weight();
            if (r < 0) return w.value();
        }
        throw new AssertionError();
    }

    private record Weighted<T>(T value, int weight) {}

    private record Asset(String id, String type, boolean gated) {}

    private record Form(String id, FormType type) {}
}
