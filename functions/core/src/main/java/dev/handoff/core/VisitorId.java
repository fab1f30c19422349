package dev.handoff.core;

import java.util.Objects;

/**
 * An anonymous visitor's tracking cookie value (PRODUCT §2.4): 8 to 128 characters of {@code A-Z a-z 0-9 _ -}, the
 * same rule wherever a visitor id enters (a form's hidden field, a tracking event, a browser beacon).
 */
public record VisitorId(String value) {
    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 128;
    static final String RULE = "must be " + MIN_LENGTH + " to " + MAX_LENGTH + " letters, digits, '_' or '-'";

    public VisitorId {
        Objects.requireNonNull(value, "value");
        if (!valid(value)) throw new InvalidValueException(RULE);
    }

    /**
     * Parses a visitor id from outside; surrounding spaces are dropped.
     *
     * @throws InvalidValueException naming what is wrong, without the value
     */
    public static VisitorId parse(String raw) {
        if (raw == null || raw.isBlank()) throw new InvalidValueException("is required");
        return new VisitorId(PlainText.strip(raw));
    }

    /** Whether the text is an id by the same rule (8 to 128 of {@code A-Z a-z 0-9 _ -}); an event id follows it too. */
    public static boolean valid(String s) {
        if (s.length() < MIN_LENGTH || s.length() > MAX_LENGTH) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            if (!ok) return false;
        }
        return true;
    }
}
