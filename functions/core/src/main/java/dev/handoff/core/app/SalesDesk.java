package dev.handoff.core.app;

import dev.handoff.core.ActivityType;
import dev.handoff.core.Contact;
import dev.handoff.core.Decision;
import dev.handoff.core.EmailAddress;
import dev.handoff.core.InvalidValueException;
import dev.handoff.core.Lifecycle;
import dev.handoff.core.Reason;
import dev.handoff.core.Signal;
import dev.handoff.core.SignalTally;
import dev.handoff.core.Stage;
import dev.handoff.core.StageMove;
import dev.handoff.core.app.ContactUpdates.Step;
import dev.handoff.core.policy.Policy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the sales API does (PRODUCT §2.3): shows a contact with its scores and their reasons, moves a contact by a
 * person's decision, records sales acceptance and sales activities as the signals the tracking events carry,
 * imports contacts from a CRM, and erases a person.
 *
 * <p>Stage moves made here go through {@link ContactUpdates}, as the {@link Qualifier}'s do: conditional on the
 * contact's version, decided again on what is stored now when the contact changed in between, so a move (and
 * its alert) is recorded once. A move into SQL records its alert with the move; the alert's reason is
 * {@code manual} or {@code import}.
 */
public final class SalesDesk {
    /** The most rows one import may hold. */
    public static final int MAX_IMPORT_ROWS = 500;

    private final ContactStore store;
    private final Policy policy;
    private final Clock clock;
    private final int importParallelism;
    private final ContactUpdates updates;

    public SalesDesk(ContactStore store, Policy policy, Clock clock) {
        this(store, policy, clock, 1);
    }

    /**
     * @param importParallelism how many rows of an import apply at once (each is a few requests to the store;
     *     1 applies them one after the other)
     */
    public SalesDesk(ContactStore store, Policy policy, Clock clock, int importParallelism) {
        this.store = Objects.requireNonNull(store, "store");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (importParallelism < 1) throw new IllegalArgumentException("importParallelism must be 1 or more");
        this.importParallelism = importParallelism;
        this.updates = new ContactUpdates(store, clock);
    }

    public Policy policy() {
        return policy;
    }

    // ------------------------------------------------------------------------------------------------ view

    /** A contact as sales sees it: what is stored, what the policy makes of it now, and its deals. */
    public record ContactView(Contact contact, Decision decision, List<Deal> deals) {
        public ContactView {
            deals = List.copyOf(deals);
        }
    }

    /** Empty when nothing is known of that email. */
    public Optional<ContactView> view(EmailAddress email) {
        Optional<StoredContact> stored = store.load(email.value());
        if (stored.isEmpty()) return Optional.empty();
        Contact contact = stored.get().contact();
        Decision decision = policy.evaluate(contact, stored.get().tallyUnder(policy), clock.instant());
        return Optional.of(new ContactView(contact, decision, store.deals(email.value())));
    }

    // ------------------------------------------------------------------------------------------ manual moves

    /** What became of a person's stage move. */
    public sealed interface StageChange {
        record NotFound() implements StageChange {}

        /** A backward move without {@code force}: 409, nothing written. */
        record Refused(String message) implements StageChange {}

        /** The contact is in that stage already: nothing written. */
        record Unchanged(Contact contact) implements StageChange {}

        /** Recorded; {@code alert} is the SQL alert recorded with it, or null. */
        record Moved(Contact contact, StageMove move, SqlAlert alert) implements StageChange {}
    }

    /**
     * A person's move (reason {@code manual}): any stage forward, backward only with {@code force}. The person's
     * reason is kept as the move's note, and is the alert's reason detail when the move enters SQL.
     */
    public StageChange moveStage(EmailAddress email, Stage stage, boolean force, String reason, String actor) {
        Objects.requireNonNull(stage, "stage");
        requireText(reason, "reason");
        requireText(actor, "actor");
        return updates.update(email.value(), (stored, now) -> {
            if (stored.isEmpty()) return new Step.Done<>(new StageChange.NotFound());
            Contact contact = stored.get().contact();
            return switch (Lifecycle.personMove(contact, stage, force, Reason.MANUAL, actor, reason, now, policy.version())) {
                case Lifecycle.PersonMove.Refused r -> new Step.Done<>(new StageChange.Refused(r.message()));
                case Lifecycle.PersonMove.Unchanged u -> new Step.Done<>(new StageChange.Unchanged(contact));
                case Lifecycle.PersonMove.Moved m -> new Step.Move<>(stored.get(), List.of(m.move()),
                        policy.evaluate(contact, stored.get().tallyUnder(policy), now),
                        alert -> new StageChange.Moved(contact.withMove(m.move()), m.move(), alert));
            };
        });
    }

    // ----------------------------------------------------------------------------------- sales signals

    /** A recorded sales signal: its id, and whether it was new (false: that id had been recorded before). */
    public record Recorded(String eventId, boolean fresh) {}

    /**
     * Sales accepts the lead: a {@code SalesAccepted} signal, exactly as the tracking event records it, so that
     * qualification (which sees every new signal) applies the {@code sales-accepted} preset to it.
     *
     * @param occurredAt null for now
     * @param eventId the idempotency key; null for a new one
     */
    public Recorded accept(EmailAddress email, String actor, Instant occurredAt, String eventId) {
        requireText(actor, "actor");
        String id = eventId == null ? UUID.randomUUID().toString() : eventId;
        Signal signal = new Signal.SalesAccepted(id, occurredAt == null ? clock.instant() : occurredAt, actor);
        return new Recorded(id, store.recordSignal(new ContactRef.ByEmail(email), signal));
    }

    /** A sales activity ({@code call}, {@code meeting} or {@code email}), as the {@code SalesActivityLogged} event records it. */
    public Recorded logActivity(EmailAddress email, ActivityType type, String actor, Instant occurredAt, String eventId) {
        Objects.requireNonNull(type, "type");
        requireText(actor, "actor");
        String id = eventId == null ? UUID.randomUUID().toString() : eventId;
        Signal signal = new Signal.SalesActivityLogged(id, occurredAt == null ? clock.instant() : occurredAt, type.id(), actor);
        return new Recorded(id, store.recordSignal(new ContactRef.ByEmail(email), signal));
    }

    // ------------------------------------------------------------------------------------------------ import

    /**
     * One contact of an import as the caller read it.
     *
     * @param properties HubSpot property names to values (text, numbers or booleans; anything else is refused)
     * @param stage the stage's internal name, or null to leave the stage as it is
     * @param problems what the caller already found wrong with the row's shape (e.g. {@code email} not text)
     */
    public record ImportRow(String email, Map<String, ?> properties, String stage, List<FormIntake.FieldError> problems) {
        public ImportRow {
            properties = properties == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties));
            problems = problems == null ? List.of() : List.copyOf(problems);
        }

        public ImportRow(String email, Map<String, ?> properties, String stage) {
            this(email, properties, stage, List.of());
        }
    }

    public enum RowStatus {
        CREATED, UPDATED, UNCHANGED, REJECTED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What an import did with one row.
     *
     * @param email the row's email, normalized when valid, as given otherwise (null when it had none)
     * @param stage the contact's stage after the import; null for a rejected row
     * @param errors why a row was rejected (fields {@code email}, {@code stage}, {@code properties.<name>})
     * @param ignored property names given that the import does not store
     */
    public record RowResult(int row, String email, RowStatus status, Stage stage, List<FormIntake.FieldError> errors,
            List<String> ignored) {
        public RowResult {
            errors = List.copyOf(errors);
            ignored = List.copyOf(ignored);
        }
    }

    public record ImportResult(List<RowResult> rows) {
        public ImportResult {
            rows = List.copyOf(rows);
        }

        public long count(RowStatus status) {
            return rows.stream().filter(r -> r.status() == status).count();
        }
    }

    /**
     * A CRM import or sync: each good row applies, each bad row is rejected with its reasons. A row writes only
     * what changes: the properties whose values differ, then the row's stage (reason {@code import}, actor
     * {@code import}, forced: the CRM is the source of truth), or {@code lead} for a contact that has no stage
     * yet, together with the policy's automatic moves from the new properties (as the {@link Qualifier} makes
     * them, in the same conditional write). A row that moves a contact back (a recycle) is not moved up again by
     * the policy in the same import: like a person's recycle, it stands until new signals come.
     *
     * <p>Idempotent: a row's stage is applied when it differs from the contact's stage and from the stage the
     * last import set, so syncing the same data again changes nothing, even when the policy or a person has since
     * moved the contact on (a sync re-stating "lead" does not pull back an MQL that the policy made of it).
     *
     * <p>Rows are checked first, all of them; the good ones then apply {@code parallelism} at a time (each row
     * is about one contact, and an email may appear in one row only).
     *
     * @throws IllegalArgumentException for more than {@value #MAX_IMPORT_ROWS} rows (nothing is written)
     */
    public ImportResult importContacts(List<ImportRow> rows) {
        if (rows.size() > MAX_IMPORT_ROWS) {
            throw new IllegalArgumentException("an import holds at most " + MAX_IMPORT_ROWS + " contacts; this one has " + rows.size());
        }
        RowResult[] results = new RowResult[rows.size()];
        List<Callable<Void>> work = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            int index = i;
            Checked checked = check(i, rows.get(i), seen);
            if (!checked.errors().isEmpty()) {
                results[i] = new RowResult(i, checked.email(), RowStatus.REJECTED, null, checked.errors(), checked.ignored());
            } else {
                work.add(() -> {
                    results[index] = apply(index, checked);
                    return null;
                });
            }
        }
        runAll(work);
        return new ImportResult(List.of(results));
    }

    /** A row as checked: its email (normalized when valid), what to store, and what is wrong with it. */
    private record Checked(String email, Map<String, String> properties, Stage stage, List<FormIntake.FieldError> errors,
            List<String> ignored) {}

    private Checked check(int index, ImportRow row, Map<String, Integer> seen) {
        List<FormIntake.FieldError> errors = new ArrayList<>(row.problems());
        String email = row.email();
        EmailAddress address = null;
        if (errors.stream().noneMatch(e -> e.field().equals("email"))) {
            try {
                address = EmailAddress.parse(email);
            } catch (InvalidValueException e) {
                errors.add(new FormIntake.FieldError("email", e.getMessage()));
            }
        }
        if (address != null) {
            email = address.value();
            Integer earlier = seen.putIfAbsent(email, index);
            if (earlier != null) {
                errors.add(new FormIntake.FieldError("email", "appears again: row " + earlier + " imports this contact already"));
            }
        }

        Map<String, String> given = new LinkedHashMap<>();
        for (Map.Entry<String, ?> p : row.properties().entrySet()) {
            Object v = p.getValue();
            if (v == null) continue;
            if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                given.put(p.getKey(), v.toString());
            } else {
                errors.add(new FormIntake.FieldError("properties." + p.getKey(), "must be text or a number"));
            }
        }
        FormIntake.Properties checked = FormIntake.checkProperties(given);
        for (FormIntake.FieldError e : checked.errors()) {
            errors.add(new FormIntake.FieldError("properties." + e.field(), e.message()));
        }

        Stage stage = null;
        if (row.stage() != null) {
            stage = Stage.fromId(row.stage().trim().toLowerCase(Locale.ROOT)).orElse(null);
            if (stage == null) errors.add(new FormIntake.FieldError("stage", "must be one of " + Stage.allIds()));
        }
        return new Checked(email, checked.properties(), stage, errors, checked.ignored());
    }

    /** What the attempts at one import row have found and done so far. */
    private static final class RowProgress {
        Boolean existed;
        boolean wrote;
    }

    private RowResult apply(int index, Checked row) {
        String email = row.email();
        RowProgress progress = new RowProgress();
        return updates.update(email, (stored, now) -> {
            if (progress.existed == null) progress.existed = stored.isPresent();
            boolean existed = progress.existed;
            Contact contact = stored.map(StoredContact::contact).orElseGet(() -> Contact.of(email));
            long version = stored.map(StoredContact::version).orElse(0L);
            SignalTally tally = stored.map(st -> st.tallyUnder(policy)).orElse(SignalTally.EMPTY);

            // Properties first, unconditionally (they are facts, not decisions); the moves are then decided on them
            // and recorded conditionally on the version this write made.
            Map<String, String> changed = new LinkedHashMap<>();
            for (Map.Entry<String, String> p : row.properties().entrySet()) {
                if (!p.getValue().equals(contact.properties().get(p.getKey()))) changed.put(p.getKey(), p.getValue());
            }
            if (!changed.isEmpty()) {
                version = store.recordProperties(email, changed);
                contact = contact.withProperties(changed);
                progress.wrote = true;
            }

            List<StageMove> moves = new ArrayList<>(3);
            Contact moved = contact;
            Stage target = row.stage() != null ? row.stage() : contact.stage() == null ? Stage.LEAD : null;
            if (target != null && target != contact.stage() && target != lastImported(contact)) {
                // Forced: a CRM sync is the source of truth, backward too.
                Lifecycle.PersonMove decided = Lifecycle.personMove(
                        contact, target, true, Reason.IMPORT, StageMove.IMPORT_ACTOR, null, now, policy.version());
                if (decided instanceof Lifecycle.PersonMove.Moved m) {
                    moves.add(m.move());
                    moved = moved.withMove(m.move());
                }
            }
            Decision decision = policy.evaluate(moved, tally, now);
            boolean recycled = !moves.isEmpty() && moves.get(0).isBackward();
            if (!recycled) {
                List<StageMove> automatic = Lifecycle.automaticMoves(moved, decision, now);
                for (StageMove m : automatic) moved = moved.withMove(m);
                moves.addAll(automatic);
            }
            if (moves.isEmpty()) {
                RowStatus status = !existed ? RowStatus.CREATED : progress.wrote ? RowStatus.UPDATED : RowStatus.UNCHANGED;
                return new Step.Done<>(new RowResult(index, email, status, contact.stage(), List.of(), row.ignored()));
            }
            String alertDetail = moves.get(moves.size() - 1).reason() == Reason.IMPORT ? "lifecycle stage set by a CRM import" : null;
            Stage after = moved.stage();
            return new Step.Move<>(contact, version, moves, decision, alertDetail, alert -> new RowResult(index, email,
                    existed ? RowStatus.UPDATED : RowStatus.CREATED, after, List.of(), row.ignored()));
        });
    }

    /** Runs the rows' work {@link #importParallelism} at a time; the first failure is thrown once all have ended. */
    private void runAll(List<Callable<Void>> work) {
        if (importParallelism <= 1 || work.size() <= 1) {
            for (Callable<Void> w : work) call(w);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(importParallelism, work.size()), r -> {
            Thread t = new Thread(r, "handoff-import");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Void>> done = pool.invokeAll(work);
            RuntimeException first = null;
            for (Future<Void> f : done) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Error error) throw error;
                    RuntimeException failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    if (first == null) first = failure;
                    else first.addSuppressed(failure);
                }
            }
            if (first != null) throw first;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during an import", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void call(Callable<Void> w) {
        try {
            w.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stage the latest import move set, or null when no import has moved the contact. */
    private static Stage lastImported(Contact contact) {
        List<StageMove> history = contact.history();
        for (int i = history.size() - 1; i >= 0; i--) {
            StageMove m = history.get(i);
            if (m.reason() == Reason.IMPORT) return m.to();
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------------ erase

    /** Erases everything held about the person; returns how many items were removed (0: nothing was known). */
    public int erase(EmailAddress email) {
        return store.erase(email.value());
    }

    // --------------------------------------------------------------------------------------------- internals

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(name + " must not be blank");
    }
}
