package dev.handoff.tools;

import dev.handoff.core.Contact;
import dev.handoff.core.Decision;
import dev.handoff.core.Lifecycle;
import dev.handoff.core.Qualification;
import dev.handoff.core.Signal;
import dev.handoff.core.SignalTally;
import dev.handoff.core.Stage;
import dev.handoff.core.app.StoredContact;
import dev.handoff.core.policy.Policy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What two policies make of the same contacts at one moment (PRODUCT §7): the stage each would put every contact in,
 * both policies' score distributions, the contacts whose stage differs, and the backtest of both SQL definitions
 * against the contacts that became opportunities or customers. Pure: contacts in, figures out. {@link #add} may be
 * called from many threads.
 */
final class WhatIfTally {
    /** Score distribution buckets of ten points: 0-9, 10-19, ..., 90-100. */
    static final int BUCKETS = 10;

    /** One contact whose stage differs between the policies, with both policies' scores. */
    record Change(String email, Stage from, Stage to, String reason, int[] fit, int[] engagement) {}

    /** One policy's side of the figures. */
    static final class Side {
        final Map<Stage, Long> stages = new EnumMap<>(Stage.class);
        final long[] fit = new long[BUCKETS];
        final long[] engagement = new long[BUCKETS];
        long sql;
        long sqlOutcomes;

        double precision() {
            return sql == 0 ? 0 : (double) sqlOutcomes / sql;
        }

        double recall(long outcomes) {
            return outcomes == 0 ? 0 : (double) sqlOutcomes / outcomes;
        }
    }

    final Policy baseline;
    final Policy draft;
    final Instant now;
    final Side baselineSide = new Side();
    final Side draftSide = new Side();
    private final List<Change> changes = new ArrayList<>();
    long contacts;
    long outcomes;

    WhatIfTally(Policy baseline, Policy draft, Instant now) {
        this.baseline = baseline;
        this.draft = draft;
        this.now = now;
    }

    /** Evaluates the contact under both policies (outside the lock) and counts it. */
    void add(StoredContact stored) {
        Contact contact = stored.contact();
        SignalTally tallyB = stored.tallyUnder(baseline);
        SignalTally tallyD = stored.tallyUnder(draft);
        Decision b = baseline.evaluate(contact, tallyB, now);
        Decision d = draft.evaluate(contact, tallyD, now);
        Stage stageB = Lifecycle.stageOnReevaluation(contact, tallyB, b, now);
        Stage stageD = Lifecycle.stageOnReevaluation(contact, tallyD, d, now);

        // The backtest: an outcome is judged as of the moment it first became one, with only what it had then.
        Optional<Instant> outcomeAt = outcomeMoment(contact);
        boolean sqlB;
        boolean sqlD;
        if (outcomeAt.isPresent()) {
            Instant then = outcomeAt.get();
            sqlB = sqlByRules(baseline.evaluate(contact, asOf(stored, baseline, then), then));
            sqlD = sqlByRules(draft.evaluate(contact, asOf(stored, draft, then), then));
        } else {
            sqlB = sqlByRules(b);
            sqlD = sqlByRules(d);
        }

        Change change = stageB == stageD ? null : new Change(contact.email(), stageB, stageD,
                reasonOf(stageD != null && (stageB == null || stageD.isAfter(stageB)) ? d : b),
                new int[] {b.fit(), d.fit()}, new int[] {b.engagement(), d.engagement()});
        synchronized (this) {
            contacts++;
            count(baselineSide, stageB, b, sqlB, outcomeAt.isPresent());
            count(draftSide, stageD, d, sqlD, outcomeAt.isPresent());
            if (outcomeAt.isPresent()) outcomes++;
            if (change != null) changes.add(change);
        }
    }

    /** The contacts whose stage differs, by email. */
    synchronized List<Change> changes() {
        List<Change> sorted = new ArrayList<>(changes);
        sorted.sort(Comparator.comparing(Change::email));
        return sorted;
    }

    /** The stages either policy puts anyone in, in ladder order ({@code other} last). */
    synchronized List<Stage> stagesSeen() {
        List<Stage> seen = new ArrayList<>();
        for (Stage s : Stage.values()) {
            if (baselineSide.stages.containsKey(s) || draftSide.stages.containsKey(s)) seen.add(s);
        }
        return seen;
    }

    private static void count(Side side, Stage stage, Decision decision, boolean sql, boolean outcome) {
        if (stage != null) side.stages.merge(stage, 1L, Long::sum);
        side.fit[bucket(decision.fit())]++;
        side.engagement[bucket(decision.engagement())]++;
        if (sql) {
            side.sql++;
            if (outcome) side.sqlOutcomes++;
        }
    }

    static int bucket(int score) {
        return Math.min(BUCKETS - 1, Math.max(0, score) / 10);
    }

    /** When the contact first reached {@code opportunity} or {@code customer} (or passed them), if it has. */
    static Optional<Instant> outcomeMoment(Contact contact) {
        Optional<Instant> opportunity = contact.becameAt(Stage.OPPORTUNITY);
        Optional<Instant> customer = contact.becameAt(Stage.CUSTOMER);
        if (opportunity.isEmpty()) return customer;
        if (customer.isEmpty()) return opportunity;
        return Optional.of(opportunity.get().isBefore(customer.get()) ? opportunity.get() : customer.get());
    }

    /**
     * What the contact's signals added up to at {@code moment}: only the signals that had occurred by then. From a
     * store that keeps every signal this is exact; from a store that keeps a tally by UTC day, the day of the moment
     * counts whole (a signal later that day counts too) and a kept signal counts only if it occurred by then.
     */
    static SignalTally asOf(StoredContact stored, Policy policy, Instant moment) {
        if (stored.tally() == null) {
            return policy.tallyOf(stored.contact().signals().stream().filter(s -> !s.occurredAt().isAfter(moment)).toList());
        }
        SignalTally all = stored.tally();
        int lastDay = SignalTally.dayOf(moment);
        SignalTally.Builder then = new SignalTally.Builder();
        for (int d = 0; d < all.dayCount() && all.day(d) <= lastDay; d++) {
            for (int c = 0; c < all.counterCount(); c++) then.add(all.day(d), all.counter(c), all.count(d, c));
        }
        for (Signal s : all.keptSignals()) if (!s.occurredAt().isAfter(moment)) then.keep(s);
        return then.build();
    }

    /** Whether the policy's own rules make the contact an SQL or more (not a person's or an import's move). */
    static boolean sqlByRules(Decision decision) {
        return decision.qualified().map(Qualification::stage)
                .filter(s -> s == Stage.SALES_QUALIFIED_LEAD || s.isAfter(Stage.SALES_QUALIFIED_LEAD))
                .isPresent();
    }

    private static String reasonOf(Decision decision) {
        return decision.qualified().map(q -> q.reason().code()).orElse(null);
    }
}
