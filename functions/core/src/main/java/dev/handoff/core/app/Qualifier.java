package dev.handoff.core.app;

import dev.handoff.core.Contact;
import dev.handoff.core.Decision;
import dev.handoff.core.Lifecycle;
import dev.handoff.core.SignalTally;
import dev.handoff.core.Stage;
import dev.handoff.core.StageMove;
import dev.handoff.core.policy.Policy;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Re-evaluates a contact after a change and records the stage moves the policy makes, with an alert when one
 * enters SQL. The write is conditional on the contact's version: when two evaluations race, one wins and the
 * other re-reads and finds nothing left to do, so a move (and its alert) happens once.
 */
public final class Qualifier {
    static final int MAX_ATTEMPTS = 8;
    /** Fit and engagement rules alike, so a few more than one kind alone would need. */
    static final int TOP_SIGNALS = 5;

    private final ContactStore store;
    private final Policy policy;
    private final Clock clock;

    public Qualifier(ContactStore store, Policy policy, Clock clock) {
        this.store = store;
        this.policy = policy;
        this.clock = clock;
    }

    public sealed interface Outcome {
        record Unknown() implements Outcome {}

        record Unchanged(Decision decision) implements Outcome {}

        record Moved(List<StageMove> moves, SqlAlert alert) implements Outcome {}
    }

    /** After a change to the contact (a new signal, a visitor link): the policy's moves, recorded. */
    public Outcome qualify(String email) {
        return qualify(email, false);
    }

    /**
     * Without any change to the contact, after a policy change (PRODUCT §7's requalify): the same as
     * {@link #qualify}, except that a contact a person moved backward stays there until a new signal arrives
     * ({@link Lifecycle#heldBackByPerson}).
     */
    public Outcome requalify(String email) {
        return qualify(email, true);
    }

    private Outcome qualify(String email, boolean respectPersonMove) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<StoredContact> stored = store.load(email);
            if (stored.isEmpty()) return new Outcome.Unknown();
            Contact contact = stored.get().contact();
            Instant now = clock.instant();
            SignalTally tally = stored.get().tallyUnder(policy);
            Decision decision = policy.evaluate(contact, tally, now);
            if (respectPersonMove && Lifecycle.heldBackByPerson(contact, tally)) return new Outcome.Unchanged(decision);
            List<StageMove> moves = Lifecycle.automaticMoves(contact, decision, now);
            if (moves.isEmpty()) return new Outcome.Unchanged(decision);
            StageMove last = moves.get(moves.size() - 1);
            SqlAlert alert = last.to() == Stage.SALES_QUALIFIED_LEAD
                    ? alertFor(contact, last, decision)
                    : null;
            if (store.recordMoves(contact.email(), stored.get().version(), moves, alert)) {
                return new Outcome.Moved(moves, alert);
            }
        }
        throw new ConcurrentModificationException(MAX_ATTEMPTS);
    }

    /**
     * The alert for a move into SQL, with a new random id. The id is not derived from the contact (an email, a
     * version and a stage recur after an erasure); it is stored with the move in the same conditional write, so
     * a move that is recorded has exactly one alert id, and every later delivery reads that id from the store.
     */
    public static SqlAlert alertFor(Contact contact, StageMove move, Decision decision) {
        String alertId = UUID.randomUUID().toString();
        String owner = decision.qualified().map(q -> q.owner()).orElse(null);
        List<SqlAlert.TopSignal> top = decision.topSignals(TOP_SIGNALS).stream().map(SqlAlert.TopSignal::of).toList();
        return new SqlAlert(alertId, move.at(), move.policyVersion(), card(contact), move.from(), move.to(),
                move.reason().code(), move.note(), decision.fit(), decision.engagement(), top, owner,
                amount(contact.property("budget").orElse(null)));
    }

    public static SqlAlert.ContactCard card(Contact c) {
        return new SqlAlert.ContactCard(c.email(), c.property("firstname").orElse(null), c.property("lastname").orElse(null),
                c.property("company").orElse(null), c.property("jobtitle").orElse(null));
    }

    static Long amount(String budget) {
        if (budget == null) return null;
        try {
            return Math.round(Double.parseDouble(budget.replace(",", "").trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The contact changed under every attempt; the caller should fail so the change is delivered again. */
    public static final class ConcurrentModificationException extends RuntimeException {
        ConcurrentModificationException(int attempts) {
            super("the contact changed during each of " + attempts + " attempts to record its stage");
        }
    }
}
