package dev.handoff.core.app;

import dev.handoff.core.Contact;
import dev.handoff.core.Decision;
import dev.handoff.core.Stage;
import dev.handoff.core.StageMove;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one way a contact's stage changes: load it, decide, record the moves conditionally on the version that was
 * read, and when the contact changed in between, load and decide again. A move into SQL gets its alert here,
 * recorded in the same conditional write, so a move and its alert happen once, under retries and concurrent
 * updates alike. The {@link Qualifier} (the policy's moves) and the {@link SalesDesk} (a person's moves and
 * imports) say what to move; this class owns the retry and the alert.
 */
public final class ContactUpdates {
    /** How often a change is decided again when the contact keeps changing under it. */
    static final int MAX_ATTEMPTS = 8;
    /** Fit and engagement rules alike, so a few more than one kind alone would need. */
    static final int TOP_SIGNALS = 5;

    private final ContactStore store;
    private final Clock clock;
    private final Supplier<String> alertIds;

    /** Alert ids are random UUIDs. */
    public ContactUpdates(ContactStore store, Clock clock) {
        this(store, clock, () -> UUID.randomUUID().toString());
    }

    /** @param alertIds a new, never-seen id at each call (tests give their own) */
    public ContactUpdates(ContactStore store, Clock clock, Supplier<String> alertIds) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.alertIds = Objects.requireNonNull(alertIds, "alertIds");
    }

    /** Decides, on the contact as stored now, what to write. */
    @FunctionalInterface
    public interface Change<R> {
        /** @param stored the contact and its version; empty when nothing is stored for that email */
        Step<R> decide(Optional<StoredContact> stored, Instant now);
    }

    /** What a {@link Change} decided. */
    public sealed interface Step<R> {
        /** Nothing to write: the update ends with this result. */
        record Done<R>(R result) implements Step<R> {}

        /**
         * Record {@code moves} if the contact is still at {@code version}; then the result is made from the alert
         * recorded with them (null unless the last move enters SQL).
         *
         * @param contact the contact the moves were decided on (its properties, as the alert shows them)
         * @param decision what the policy made of it, for the alert's scores, top signals and owner
         * @param alertDetail the alert's reason detail; null for the last move's note
         */
        record Move<R>(Contact contact, long version, List<StageMove> moves, Decision decision, String alertDetail,
                Function<SqlAlert, R> result) implements Step<R> {
            public Move {
                moves = List.copyOf(moves);
                if (moves.isEmpty()) throw new IllegalArgumentException("a Move needs at least one stage move");
            }

            public Move(StoredContact stored, List<StageMove> moves, Decision decision, Function<SqlAlert, R> result) {
                this(stored.contact(), stored.version(), moves, decision, null, result);
            }
        }
    }

    /**
     * Runs {@code change} on the stored contact until its moves are recorded or it decides that nothing is to be
     * written.
     *
     * @throws ContactKeptChangingException when the contact changed under each of {@value #MAX_ATTEMPTS} attempts
     */
    public <R> R update(String email, Change<R> change) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Optional<StoredContact> stored = store.load(email);
            switch (change.decide(stored, clock.instant())) {
                case Step.Done<R> done -> {
                    return done.result();
                }
                case Step.Move<R> move -> {
                    SqlAlert alert = alertFor(move);
                    if (store.recordMoves(email, move.version(), move.moves(), alert)) return move.result().apply(alert);
                }
            }
        }
        throw new ContactKeptChangingException(MAX_ATTEMPTS);
    }

    /**
     * The alert for moves whose last enters SQL, else null. Its id is new: not derived from the contact (an email,
     * a version and a stage recur after an erasure), and stored with the move in the same conditional write, so a
     * recorded move has exactly one alert id, which every later delivery reads from the store.
     */
    private SqlAlert alertFor(Step.Move<?> m) {
        StageMove move = m.moves().get(m.moves().size() - 1);
        if (move.to() != Stage.SALES_QUALIFIED_LEAD) return null;
        Contact contact = m.contact();
        Decision decision = m.decision();
        String owner = decision.qualified().map(q -> q.owner()).orElseGet(() -> Qualifier.signalOwner(contact));
        List<SqlAlert.TopSignal> top = decision.topSignals(TOP_SIGNALS).stream().map(SqlAlert.TopSignal::of).toList();
        return new SqlAlert(alertIds.get(), move.at(), move.policyVersion(), card(contact), move.from(), move.to(),
                move.reason().code(), m.alertDetail() != null ? m.alertDetail() : move.note(),
                decision.fit(), decision.engagement(), top, owner, amount(contact.property("budget").orElse(null)));
    }

    static SqlAlert.ContactCard card(Contact c) {
        // Where the contact came from (PRODUCT §2.1): latest and first-touch attribution, in a fixed order.
        Map<String, String> attribution = new LinkedHashMap<>();
        for (String name : FormIntake.ATTRIBUTION) c.property(name).ifPresent(v -> attribution.put(name, v));
        for (String name : FormIntake.FIRST_TOUCH) {
            String first = FormIntake.FIRST_PREFIX + name;
            c.property(first).ifPresent(v -> attribution.put(first, v));
        }
        return new SqlAlert.ContactCard(c.email(), c.property("firstname").orElse(null), c.property("lastname").orElse(null),
                c.property("company").orElse(null), c.property("jobtitle").orElse(null), attribution);
    }

    static Long amount(String budget) {
        if (budget == null) return null;
        try {
            return Math.round(Double.parseDouble(budget.replace(",", "").trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The contact changed under every attempt to record a stage move (a storm of concurrent writes). Nothing was
     * recorded; the caller fails so that the change is delivered, or asked for, again.
     */
    public static final class ContactKeptChangingException extends RuntimeException {
        ContactKeptChangingException(int attempts) {
            super("the contact changed during each of " + attempts + " attempts to record its stage");
        }
    }
}
