package dev.handoff.core;

import static dev.handoff.core.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.policy.Policy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.AfterFailureMode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Scoring from the kept state equals scoring from the raw signals: a tally built the way a store builds it (one
 * signal at a time in any order, redeliveries skipped by id, old days dropped as time passes, a visitor's tally
 * kept apart and joined at the end) gives the same decision and the same automatic moves as the contact's raw
 * signals, for any window, with and without decay.
 */
class TallyEquivalenceTest {

    @Provide
    Arbitrary<Contact> contacts() {
        return ContactArbitraries.contacts();
    }

    @Provide
    Arbitrary<Policy> policies() {
        Arbitrary<String> presets = Arbitraries.of("score-threshold", "sales-accepted", "sdr-meeting-booked");
        Arbitrary<Integer> windows = Arbitraries.of(1, 7, 30, 90, 365);
        Arbitrary<Integer> halfLives = Arbitraries.of(0, 0, 1, 7, 30, 180);
        return net.jqwik.api.Combinators.combine(presets, windows, halfLives).as((preset, window, halfLife) -> {
            Policy p = Fixtures.withDecay(preset, halfLife);
            return window == 90 ? p : Fixtures.withWindow(p, preset, window, halfLife);
        });
    }

    @Property(tries = 300, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void a_tally_kept_event_by_event_scores_as_the_raw_signals_do(
            @ForAll("contacts") Contact contact, @ForAll("policies") Policy policy, @ForAll Random random,
            @ForAll @IntRange(min = 0, max = 100) int visitorShare) {
        List<Signal> arrivals = new ArrayList<>(contact.signals());
        // Redeliveries: some signals arrive again, the same id with nothing else in common.
        int again = arrivals.isEmpty() ? 0 : random.nextInt(1 + arrivals.size() / 4);
        for (int i = 0; i < again; i++) {
            Signal first = arrivals.get(random.nextInt(arrivals.size()));
            arrivals.add(new Signal.SessionStarted(first.id(), NOW));
        }
        Collections.shuffle(arrivals, random);

        // Each arrival goes to the visitor's tally or the contact's own (an id stays where it first went), at some
        // moment up to NOW, dropping the days the policy no longer needs as of that moment.
        KeptState own = new KeptState(policy);
        KeptState visitor = new KeptState(policy);
        java.util.Map<String, KeptState> placed = new java.util.HashMap<>();
        Instant clock = NOW.minusSeconds(ContactArbitraries.SPREAD_SECONDS);
        for (Signal s : arrivals) {
            clock = clock.plusSeconds(random.nextInt(1 + (int) java.time.Duration.between(clock, NOW).toSeconds()) / 4);
            KeptState where = placed.computeIfAbsent(s.id(), id -> random.nextInt(100) < visitorShare ? visitor : own);
            where.record(s, clock);
        }
        SignalTally joined = own.tally.plus(visitor.tally);

        Contact kept = new Contact(contact.email(), contact.properties(), contact.visitorIds(), joined.keptSignals(),
                contact.stage(), contact.history());
        Decision fromTally = policy.evaluate(kept, joined, NOW);
        // The raw signals are the arrivals, each id as it first arrived (a redelivery is recognised by its id alone).
        Contact raw = new Contact(contact.email(), contact.properties(), contact.visitorIds(), arrivals, contact.stage(),
                contact.history());
        Decision fromSignals = policy.evaluate(raw, NOW);
        assertThat(fromTally).isEqualTo(fromSignals);
        assertThat(Lifecycle.automaticMoves(kept, fromTally, NOW)).isEqualTo(Lifecycle.automaticMoves(raw, fromSignals, NOW));
    }

    /**
     * A tally as a store keeps it, counts alone (no times), with the times of the signals around the window's start
     * read back the way the store reads them (the near half of that UTC day, a margin past the start), and the 7-day
     * fast track's start likewise: it scores exactly as the raw signals do, at any moment within the margin, so a
     * signal counts for exactly the window's days × 24 hours.
     */
    @Property(tries = 300, afterFailure = AfterFailureMode.SAMPLE_FIRST)
    void a_tally_of_counts_with_the_window_starts_read_back_scores_as_the_raw_signals_do(
            @ForAll("contacts") Contact contact, @ForAll("policies") Policy policy,
            @ForAll @IntRange(min = 0, max = 86_399) int secondOfDay, @ForAll @IntRange(min = 0, max = 600) int secondsLater) {
        Instant readAt = NOW.truncatedTo(java.time.temporal.ChronoUnit.DAYS).plusSeconds(secondOfDay);
        SignalTally raw = policy.tallyOf(contact.signals());
        SignalTally.Builder stored = new SignalTally.Builder();
        for (int d = 0; d < raw.dayCount(); d++) {
            for (int c = 0; c < raw.counterCount(); c++) stored.add(raw.day(d), raw.counter(c), raw.count(d, c));
        }
        for (Signal s : raw.keptSignals()) stored.keep(s);
        int today = SignalTally.dayOf(readAt);
        java.util.Set<Integer> starts = new java.util.TreeSet<>(List.of(today - policy.engagementWindowDays()));
        if (policy.fastTrack().targetAccountPageViews() != null) starts.add(today - policy.fastTrack().targetAccountPageViews().withinDays());
        for (int day : starts) {
            long dayStart = day * 86_400_000L;
            long cutoff = readAt.toEpochMilli() - (today - day) * 86_400_000L;
            boolean early = cutoff - dayStart < 43_200_000L;
            long from = early ? dayStart : Math.max(dayStart, cutoff - 600_000L);
            long to = early ? Math.min(dayStart + 86_400_000L, cutoff + 600_000L) : dayStart + 86_400_000L;
            List<Signal> span = contact.signals().stream()
                    .filter(x -> x.occurredAt().toEpochMilli() >= from && x.occurredAt().toEpochMilli() < to).toList();
            stored.know(day, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to), span, policy::categoryOf);
        }
        SignalTally kept = stored.build();
        Instant at = readAt.plusSeconds(secondsLater);
        Contact keptContact = new Contact(contact.email(), contact.properties(), contact.visitorIds(), kept.keptSignals(),
                contact.stage(), contact.history());
        assertThat(policy.evaluate(keptContact, kept, at)).isEqualTo(policy.evaluate(contact, at));
    }

    /** What a store keeps for one partition: the tally, and the ids it has recorded. */
    private static final class KeptState {
        final Policy policy;
        final java.util.Set<String> ids = new java.util.HashSet<>();
        SignalTally tally = SignalTally.EMPTY;

        KeptState(Policy policy) {
            this.policy = policy;
        }

        void record(Signal s, Instant at) {
            if (!ids.add(s.id())) return;
            tally = tally.with(s, policy::categoryOf).since(SignalTally.dayOf(at) - policy.retentionDays());
        }
    }
}
