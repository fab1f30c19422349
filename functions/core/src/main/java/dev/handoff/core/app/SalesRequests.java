package dev.handoff.core.app;

import dev.handoff.core.ActivityType;
import dev.handoff.core.EmailAddress;
import dev.handoff.core.InvalidValueException;
import dev.handoff.core.PlainText;
import dev.handoff.core.SignalTime;
import dev.handoff.core.Stage;
import dev.handoff.core.app.FormIntake.FieldError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The sales API's requests (PRODUCT §2.3) as the {@link SalesDesk} takes them: one parser per route, from the
 * request's parts (the decoded path's email, the JSON body as plain maps and lists, a header) to a command, or to
 * every field error found, so that a handler only routes, parses, calls the desk and renders. Beside
 * {@link FormIntake}, with the same value types: an email by {@link EmailAddress}, a signal's time by
 * {@link SignalTime} (as a tracking event's), an activity by {@link ActivityType}, text by {@link PlainText}.
 */
public final class SalesRequests {
    public static final int MAX_ACTOR = 128;
    public static final int MAX_REASON = 500;

    private SalesRequests() {}

    /** A command, or what is wrong with the request (never both). */
    public sealed interface Parsed<T> {
        record Ok<T>(T command) implements Parsed<T> {
            public Ok {
                Objects.requireNonNull(command, "command");
            }
        }

        record Invalid<T>(List<FieldError> errors) implements Parsed<T> {
            public Invalid {
                errors = List.copyOf(errors);
                if (errors.isEmpty()) throw new IllegalArgumentException("an invalid request names what is wrong");
            }
        }

        private static <T> Parsed<T> of(T command, List<FieldError> errors) {
            return errors.isEmpty() ? new Ok<>(command) : new Invalid<>(errors);
        }
    }

    /** {@code PUT /contacts/{email}/stage}. */
    public record MoveStage(EmailAddress email, Stage stage, boolean force, String reason, String actor) {}

    /** {@code POST .../sales-acceptance} ({@code type} null) or {@code POST .../activities}; {@code occurredAt} null for now. */
    public record SalesSignal(EmailAddress email, ActivityType type, String actor, Instant occurredAt, String eventId) {}

    /** {@code POST /imports}: every row, each checked by {@link SalesDesk#importContacts} on its own. */
    public record Import(List<SalesDesk.ImportRow> rows) {
        public Import {
            rows = List.copyOf(rows);
        }
    }

    /** The {@code email} of a path, percent-decoded already. */
    public static Parsed<EmailAddress> email(String decoded) {
        try {
            return new Parsed.Ok<>(EmailAddress.parse(decoded));
        } catch (InvalidValueException e) {
            return new Parsed.Invalid<>(List.of(new FieldError("email", e.getMessage())));
        }
    }

    /** {@code {stage, reason, actor, force?}}. */
    public static Parsed<MoveStage> moveStage(EmailAddress email, Map<?, ?> body) {
        List<FieldError> errors = new ArrayList<>();
        Stage stage = null;
        Object stageValue = body.get("stage");
        if (stageValue == null) {
            errors.add(new FieldError("stage", "is required: one of " + Stage.allIds()));
        } else if (!(stageValue instanceof String s) || (stage = Stage.fromId(PlainText.strip(s).toLowerCase(Locale.ROOT)).orElse(null)) == null) {
            errors.add(new FieldError("stage", "must be one of " + Stage.allIds()));
        }
        String reason = text(body, "reason", MAX_REASON, errors);
        String actor = text(body, "actor", MAX_ACTOR, errors);
        boolean force = false;
        Object forceValue = body.get("force");
        if (forceValue instanceof Boolean b) {
            force = b;
        } else if (forceValue != null) {
            errors.add(new FieldError("force", "must be true or false"));
        }
        return Parsed.of(new MoveStage(email, stage, force, reason, actor), errors);
    }

    /**
     * {@code {actor, occurredAt?}} for a sales acceptance, {@code {type, actor, occurredAt?}} for an activity.
     *
     * @param activity whether this is an activity (else an acceptance)
     * @param idempotencyKey the {@code Idempotency-Key} header, or null: the signal's id, so a retried call counts once
     * @param now this function's clock, for the one rule of a signal's time
     */
    public static Parsed<SalesSignal> salesSignal(EmailAddress email, boolean activity, Map<?, ?> body, String idempotencyKey,
            Instant now) {
        List<FieldError> errors = new ArrayList<>();
        ActivityType type = null;
        if (activity) {
            Object t = body.get("type");
            try {
                if (t != null && !(t instanceof String)) throw new InvalidValueException("must be " + ActivityType.allIds());
                type = ActivityType.parse((String) t);
            } catch (InvalidValueException e) {
                errors.add(new FieldError("type", e.getMessage()));
            }
        }
        String actor = text(body, "actor", MAX_ACTOR, errors);
        Instant occurredAt = null;
        Object at = body.get("occurredAt");
        if (at != null) {
            try {
                if (!(at instanceof String s)) throw new InvalidValueException("must be an ISO-8601 time like 2026-11-30T12:00:00Z");
                occurredAt = SignalTime.parse(s, now);
            } catch (InvalidValueException e) {
                errors.add(new FieldError("occurredAt", e.getMessage()));
            }
        }
        String key = idempotencyKey == null ? null : PlainText.strip(idempotencyKey);
        if (key != null && !FormIntake.isToken(key)) errors.add(new FieldError("Idempotency-Key", FormIntake.TOKEN_RULE));
        return Parsed.of(new SalesSignal(email, type, actor, occurredAt, key), errors);
    }

    /** {@code {contacts: [{email, properties, stage?}]}}: the shape here, each row's values in {@link SalesDesk#importContacts}. */
    public static Parsed<Import> imports(Map<?, ?> body) {
        if (!(body.get("contacts") instanceof List<?> contacts)) {
            return new Parsed.Invalid<>(List.of(new FieldError("contacts", "is required: an array of {email, properties, stage?}")));
        }
        if (contacts.size() > SalesDesk.MAX_IMPORT_ROWS) {
            return new Parsed.Invalid<>(List.of(new FieldError("contacts", "must hold at most " + SalesDesk.MAX_IMPORT_ROWS
                    + " contacts a call; this import has " + contacts.size())));
        }
        List<SalesDesk.ImportRow> rows = new ArrayList<>(contacts.size());
        for (Object c : contacts) rows.add(importRow(c));
        return new Parsed.Ok<>(new Import(rows));
    }

    private static SalesDesk.ImportRow importRow(Object c) {
        List<FieldError> problems = new ArrayList<>();
        if (!(c instanceof Map<?, ?> row)) {
            problems.add(new FieldError("row", "must be an object {email, properties, stage?}"));
            return new SalesDesk.ImportRow(null, Map.of(), null, problems);
        }
        String email = null;
        Object e = row.get("email");
        if (e instanceof String s) email = s;
        else if (e != null) problems.add(new FieldError("email", "must be text"));
        Map<String, Object> properties = new LinkedHashMap<>();
        Object p = row.get("properties");
        if (p instanceof Map<?, ?> map) {
            map.forEach((k, v) -> properties.put(String.valueOf(k), v));
        } else if (p != null) {
            problems.add(new FieldError("properties", "must be an object of HubSpot property names to values"));
        }
        String stage = null;
        Object s = row.get("stage");
        if (s instanceof String text) stage = text;
        else if (s != null) problems.add(new FieldError("stage", "must be one of " + Stage.allIds()));
        return new SalesDesk.ImportRow(email, properties, stage, problems);
    }

    /** A required, non-blank line of text of at most {@code max} characters, without surrounding spaces. */
    private static String text(Map<?, ?> body, String name, int max, List<FieldError> errors) {
        Object v = body.get(name);
        if (v == null || (v instanceof String s && s.isBlank())) {
            errors.add(new FieldError(name, "is required"));
            return null;
        }
        if (!(v instanceof String s)) {
            errors.add(new FieldError(name, "must be text"));
            return null;
        }
        String t = PlainText.strip(s);
        String problem = PlainText.problem(t);
        if (problem != null) {
            errors.add(new FieldError(name, problem));
            return null;
        }
        if (t.length() > max) {
            errors.add(new FieldError(name, "must be at most " + max + " characters"));
            return null;
        }
        return t;
    }
}
