package dev.handoff.core.app;

import dev.handoff.core.Contact;
import dev.handoff.core.Decision;
import dev.handoff.core.Lifecycle;
import dev.handoff.core.SignalTally;
import dev.handoff.core.StageMove;
import dev.handoff.core.policy.Policy;
import java.time.Clock;
import java.util.List;

/**
 * Re-evaluates a contact after a change and records the stage moves the policy makes, with an alert when one
 * enters SQL. The write is conditional on the contact's version ({@link ContactUpdates}): when two evaluations
 * race, one wins and the other re-reads and finds nothing left to do, so a move (and its alert) happens once.
 */
public final class Qualifier {
    private final Policy policy;
    private final ContactUpdates updates;

    public Qualifier(ContactStore store, Policy policy, Clock clock) {
        this(policy, new ContactUpdates(store, clock));
    }

    public Qualifier(Policy policy, ContactUpdates updates) {
        this.policy = policy;
        this.updates = updates;
    }

    public sealed interface Outcome {
        record Unknown() implements Outcome {}

        record Unchanged(Decision decision) implements Outcome {}

        record Moved(List<StageMove> moves, SqlAlert alert) implements Outcome {}
    }

    /**
     * After a change to the contact (a new signal, a visitor link): the policy's moves, recorded.
     *
     * @throws ContactUpdates.ContactKeptChangingException when the contact kept changing under every attempt
     */
    public Outcome qualify(String email) {
        return qualify(email, false);
    }

    /**
     * Without any change to the contact, after a policy change (PRODUCT §7's requalify): the same as
     * {@link #qualify}, except that a contact a person moved backward stays there until a new signal arrives
     * ({@link Lifecycle#heldBackByPerson}).
     *
     * @throws ContactUpdates.ContactKeptChangingException when the contact kept changing under every attempt
     */
    public Outcome requalify(String email) {
        return qualify(email, true);
    }

    private Outcome qualify(String email, boolean respectPersonMove) {
        return updates.update(email, (stored, now) -> {
            if (stored.isEmpty()) return new ContactUpdates.Step.Done<>(new Outcome.Unknown());
            Contact contact = stored.get().contact();
            SignalTally tally = stored.get().tallyUnder(policy);
            Decision decision = policy.evaluate(contact, tally, now);
            if (respectPersonMove && Lifecycle.heldBackByPerson(contact, tally)) {
                return new ContactUpdates.Step.Done<>(new Outcome.Unchanged(decision));
            }
            List<StageMove> moves = Lifecycle.automaticMoves(contact, decision, now);
            if (moves.isEmpty()) return new ContactUpdates.Step.Done<>(new Outcome.Unchanged(decision));
            return new ContactUpdates.Step.Move<>(stored.get(), moves, decision, alert -> new Outcome.Moved(moves, alert));
        });
    }

    /**
     * The owner the contact's latest {@code MeetingBooked}, {@code SalesAccepted} or {@code SalesActivityLogged}
     * signal named, or null: an owner a signal named wins over routing (PRODUCT §3). The store keeps the latest
     * of each of these whole, so they are in {@code contact.signals()}.
     */
    public static String signalOwner(Contact contact) {
        String owner = null;
        java.time.Instant at = null;
        for (dev.handoff.core.Signal s : contact.signals()) {
            String named = switch (s) {
                case dev.handoff.core.Signal.MeetingBooked m -> m.owner();
                case dev.handoff.core.Signal.SalesAccepted a -> a.owner();
                case dev.handoff.core.Signal.SalesActivityLogged a -> a.owner();
                default -> null;
            };
            if (named != null && !named.isBlank() && (at == null || !s.occurredAt().isBefore(at))) {
                owner = named;
                at = s.occurredAt();
            }
        }
        return owner;
    }
}
