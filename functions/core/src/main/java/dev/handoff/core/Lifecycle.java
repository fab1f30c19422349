package dev.handoff.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The rules of the lifecycle ladder (PRODUCT §1): where a contact enters, automatic moves only forward, a
 * person's moves backward only when forced, and every move recorded.
 */
public final class Lifecycle {
    private Lifecycle() {}

    /**
     * The stage a contact enters with, from the first thing seen of it: a newsletter form makes a subscriber; any
     * other form, and any sales action, a lead; a marketing event about a known email (a click in a campaign) a
     * subscriber.
     */
    public static Stage entryStage(Signal first) {
        return switch (first) {
            case Signal.FormSubmitted f -> f.formType() == FormType.NEWSLETTER ? Stage.SUBSCRIBER : Stage.LEAD;
            case Signal.MeetingBooked m -> Stage.LEAD;
            case Signal.SalesActivityLogged a -> Stage.LEAD;
            case Signal.SalesAccepted a -> Stage.LEAD;
            default -> Stage.SUBSCRIBER;
        };
    }

    static boolean createsContact(Signal s) {
        return s instanceof Signal.FormSubmitted || s instanceof Signal.MeetingBooked
                || s instanceof Signal.SalesActivityLogged || s instanceof Signal.SalesAccepted;
    }

    static Reason entryReason(Signal first) {
        return switch (first) {
            case Signal.FormSubmitted f -> Reason.FORM_SUBMISSION;
            case Signal.MeetingBooked m -> Reason.SALES_ACTION;
            case Signal.SalesActivityLogged a -> Reason.SALES_ACTION;
            case Signal.SalesAccepted a -> Reason.SALES_ACTION;
            default -> Reason.TRACKING_EVENT;
        };
    }

    /**
     * The moves the policy makes on its own: the entry move when the contact has no stage yet, then a move up to
     * the decision's stage when that stands higher. Never backward, and never out of {@code other}.
     */
    public static List<StageMove> automaticMoves(Contact contact, Decision decision, Instant now) {
        List<StageMove> moves = new ArrayList<>(2);
        Stage current = contact.stage();
        if (current == null) {
            // A contact is first seen through a form or a sales action (PRODUCT §1). Anonymous visits that a form's
            // visitorId links to it happened earlier, but before it existed: they do not decide where it enters.
            Comparator<Signal> earliest = Comparator.comparing(Signal::occurredAt).thenComparing(Signal::id);
            Optional<Signal> first = contact.signals().stream().filter(Lifecycle::createsContact).min(earliest)
                    .or(() -> contact.signals().stream().min(earliest));
            if (first.isEmpty()) return moves;
            Stage entry = entryStage(first.get());
            moves.add(new StageMove(null, entry, now, entryReason(first.get()), StageMove.POLICY_ACTOR, decision.policyVersion(), null));
            current = entry;
        }
        Qualification q = decision.qualification();
        if (q != null && q.stage().isAfter(current)) {
            moves.add(new StageMove(current, q.stage(), now, q.reason(), StageMove.POLICY_ACTOR, decision.policyVersion(), q.detail()));
        }
        return moves;
    }

    /**
     * Whether a person's backward move holds the contact where it is (PRODUCT §7): its last move is a person's move
     * backward and no signal has arrived since. A new signal lifts the hold, as it would bring a recycled lead back
     * into play; a re-qualification that only re-reads the contact does not. Signals are known by their time when
     * kept whole, else by their UTC day in the tally: one on the day of the move but not known to be after it does
     * not lift the hold (a person's move is never undone on a guess; the next signal lifts it).
     */
    public static boolean heldBackByPerson(Contact contact, SignalTally tally) {
        List<StageMove> history = contact.history();
        if (history.isEmpty()) return false;
        StageMove last = history.get(history.size() - 1);
        if (!last.isBackward() || StageMove.POLICY_ACTOR.equals(last.actor())) return false;
        if (contact.signals().stream().anyMatch(s -> s.occurredAt().isAfter(last.at()))) return false;
        if (tally.keptSignals().stream().anyMatch(s -> s.occurredAt().isAfter(last.at()))) return false;
        int moveDay = SignalTally.dayOf(last.at());
        return tally.dayCount() == 0 || tally.day(tally.dayCount() - 1) <= moveDay;
    }

    /**
     * Where the functions would put the contact now under {@code decision} when re-evaluating it without a new
     * signal (a re-qualification, a what-if): its stored stage moved forward only, and not at all while a person's
     * backward move holds it. Null only for a contact with no stage and no signal to enter with.
     */
    public static Stage stageOnReevaluation(Contact contact, SignalTally tally, Decision decision, Instant now) {
        if (heldBackByPerson(contact, tally)) return contact.stage();
        List<StageMove> moves = automaticMoves(contact, decision, now);
        return moves.isEmpty() ? contact.stage() : moves.get(moves.size() - 1).to();
    }

    /** What became of a move a person asked for. */
    public sealed interface PersonMove {
        record Moved(StageMove move) implements PersonMove {}

        /** The contact is in that stage already; nothing to record. */
        record Unchanged(Stage stage) implements PersonMove {}

        /** A backward move without {@code force}. */
        record Refused(String message) implements PersonMove {}
    }

    /**
     * A move asked for by a person (sales API, reason {@link Reason#MANUAL}) or a CRM import ({@link Reason#IMPORT}):
     * any stage forward; backward (recycling) only with {@code force}. Moves to or from {@code other} stand outside
     * the ladder and need no force.
     */
    public static PersonMove personMove(
            Contact contact, Stage to, boolean force, Reason reason, String actor, String note, Instant now, String policyVersion) {
        Stage from = contact.stage();
        if (from == to) return new PersonMove.Unchanged(to);
        if (from != null && to.isBefore(from) && !force) {
            return new PersonMove.Refused("moving " + from.id() + " back to " + to.id() + " needs force: true and a reason");
        }
        return new PersonMove.Moved(new StageMove(from, to, now, reason, actor, policyVersion, note));
    }
}
