package dev.handoff.core;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * The one rule for when a signal happened, wherever it enters (a tracking event's {@code occurredAt}, a sales
 * acceptance or activity, an import): an ISO-8601 time with a zone, at most {@link #CLOCK_SKEW} ahead of our clock
 * (a producer's clock may run a little fast; a future signal would count before it happened, and enough of them
 * fast-track a contact), and at most {@link #MAX_AGE} ago (older is a mistake, and far-off years overflow the
 * arithmetic of decay and windows).
 */
public final class SignalTime {
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    public static final Duration MAX_AGE = Duration.ofDays(5 * 366);
    static final String FORMAT = "must be an ISO-8601 time with a zone, like 2026-11-30T12:00:00Z";

    private SignalTime() {}

    /**
     * Parses and checks a signal's time against {@code now}.
     *
     * @throws InvalidValueException naming what is wrong
     */
    public static Instant parse(String text, Instant now) {
        return check(parseIso(text), now);
    }

    /** Checks a time already read (a timestamp a trusted producer stamped, say). */
    public static Instant check(Instant at, Instant now) {
        if (at.isAfter(now.plus(CLOCK_SKEW))) {
            throw new InvalidValueException("must not be in the future (at most " + CLOCK_SKEW.toMinutes() + " minutes ahead of "
                    + "the server's clock)");
        }
        if (at.isBefore(now.minus(MAX_AGE))) {
            throw new InvalidValueException("must not be more than " + MAX_AGE.toDays() / 366 + " years ago");
        }
        return at;
    }

    /**
     * An ISO-8601 time with a zone ({@code 2026-11-30T12:00:00Z}, {@code 2026-11-30T13:00:00+01:00}), any year the
     * format allows; for a time that is not a signal's (a meeting's start). Use {@link #parse} for a signal's.
     *
     * @throws InvalidValueException when it is not one
     */
    public static Instant parseIso(String text) {
        if (text == null || text.isBlank()) throw new InvalidValueException("is required: " + FORMAT.substring("must be ".length()));
        String t = PlainText.strip(text);
        try {
            return Instant.parse(t);
        } catch (DateTimeException e) {
            try {
                return OffsetDateTime.parse(t).toInstant();
            } catch (DateTimeException e2) {
                throw new InvalidValueException(FORMAT);
            }
        }
    }
}
