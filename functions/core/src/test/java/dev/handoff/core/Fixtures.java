package dev.handoff.core;

import dev.handoff.core.policy.InvalidPolicyException;
import dev.handoff.core.policy.Policy;
import dev.handoff.core.policy.PolicyLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** Shared test data: the presets, a fixed "now", and short builders for contacts and signals. */
public final class Fixtures {
    private Fixtures() {}

    public static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    private static final AtomicLong IDS = new AtomicLong();

    public static final Policy SCORE_THRESHOLD = load("score-threshold");
    public static final Policy SALES_ACCEPTED = load("sales-accepted");
    public static final Policy SDR_MEETING_BOOKED = load("sdr-meeting-booked");

    public static Policy load(String name) {
        try {
            return PolicyLoader.preset(name);
        } catch (InvalidPolicyException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    public static String nextId() {
        return "evt-" + IDS.incrementAndGet();
    }

    public static Duration days(long n) {
        return Duration.ofDays(n);
    }

    public static Instant ago(Duration d) {
        return NOW.minus(d);
    }

    /** A contact with HubSpot properties given as name/value pairs. */
    public static Contact contact(String email, String... nameValuePairs) {
        if (nameValuePairs.length % 2 != 0) throw new IllegalArgumentException("pairs expected");
        Map<String, String> props = new LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) props.put(nameValuePairs[i], nameValuePairs[i + 1]);
        return Contact.of(email).withProperties(props);
    }

    /** Fit 50 (VP 25 + 200 employees 25), no knockout, not a target account: an MQL, not fast-tracked by domain. */
    public static Contact icpContact() {
        return contact("ana@example.org", "jobtitle", "VP Engineering", "numberofemployees", "500");
    }

    /** Fit 15 (manager), below MQL. */
    public static Contact lowFitContact() {
        return contact("bo@example.org", "jobtitle", "Marketing Manager");
    }

    public static List<Signal> times(int n, Supplier<? extends Signal> make) {
        List<Signal> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(make.get());
        return out;
    }

    public static Signal.PageViewed view(String path, Duration age) {
        return new Signal.PageViewed(nextId(), ago(age), path);
    }

    public static Signal.PageViewed pricing(Duration age) {
        return view("/pricing", age);
    }

    public static Signal.SessionStarted session(Duration age) {
        return new Signal.SessionStarted(nextId(), ago(age));
    }

    public static Signal.EmailClicked click(Duration age) {
        return new Signal.EmailClicked(nextId(), ago(age), "spring-campaign", "https://example.com/x");
    }

    public static Signal.EmailOpened open(Duration age) {
        return new Signal.EmailOpened(nextId(), ago(age), "spring-campaign");
    }

    public static Signal.ContentDownloaded download(String assetType, boolean gated, Duration age) {
        return new Signal.ContentDownloaded(nextId(), ago(age), "asset-" + IDS.incrementAndGet(), assetType, gated);
    }

    public static Signal.WebinarAttended webinar(Duration age) {
        return new Signal.WebinarAttended(nextId(), ago(age), "webinar-1");
    }

    public static Signal.FormSubmitted form(FormType type, Duration age) {
        return new Signal.FormSubmitted(nextId(), ago(age), type.id(), type);
    }

    public static Signal.MeetingBooked meeting(String owner, Duration age) {
        return new Signal.MeetingBooked(nextId(), ago(age), owner, ago(age).plus(Duration.ofDays(3)));
    }

    public static Signal.SalesActivityLogged activity(String type, Duration age) {
        return new Signal.SalesActivityLogged(nextId(), ago(age), type, "sam");
    }

    public static Signal.SalesAccepted accepted(String owner, Duration age) {
        return new Signal.SalesAccepted(nextId(), ago(age), owner);
    }

    public static int sum(List<Contribution> lines) {
        return lines.stream().mapToInt(Contribution::points).sum();
    }

    /** The points of one rule's explanation line, or 0 when the rule did not count. */
    public static int pointsOf(List<Contribution> lines, String rule) {
        return lines.stream().filter(c -> c.rule().equals(rule)).mapToInt(Contribution::points).sum();
    }

    /**
     * A preset with decay on: {@code engagement.halfLifeDays} set to {@code halfLifeDays}, and each rule named in
     * {@code ruleHalfLives} ("id", days, ...) given its own.
     */
    public static Policy withDecay(String preset, int halfLifeDays, Object... ruleHalfLives) {
        try (java.io.InputStream in = Fixtures.class.getClassLoader().getResourceAsStream("policies/" + preset + ".yaml")) {
            String yaml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            yaml = yaml.replace("  windowDays: 90\n", "  windowDays: 90\n  halfLifeDays: " + halfLifeDays + "\n");
            for (int i = 0; i < ruleHalfLives.length; i += 2) {
                String rule = "    - id: " + ruleHalfLives[i] + "\n";
                if (!yaml.contains(rule)) throw new IllegalArgumentException("no rule " + ruleHalfLives[i]);
                yaml = yaml.replace(rule, rule + "      halfLifeDays: " + ruleHalfLives[i + 1] + "\n");
            }
            return PolicyLoader.parse(yaml, preset + " with decay");
        } catch (java.io.IOException | InvalidPolicyException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** A preset with another engagement window (and a policy-wide half-life, 0 for none). */
    public static Policy withWindow(Policy ignored, String preset, int windowDays, int halfLifeDays) {
        try (java.io.InputStream in = Fixtures.class.getClassLoader().getResourceAsStream("policies/" + preset + ".yaml")) {
            String yaml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            yaml = yaml.replace("  windowDays: 90\n", "  windowDays: " + windowDays + "\n  halfLifeDays: " + halfLifeDays + "\n");
            return PolicyLoader.parse(yaml, preset + " with window " + windowDays);
        } catch (java.io.IOException | InvalidPolicyException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
