package dev.handoff.core;

/**
 * A value from outside that is not what it should be. The message says what is wrong ("must be an email address
 * like ana@example.com") without repeating the value, so it can be shown beside the field's name and logged without
 * personal data; the caller names the field, since the same value arrives under different names at each entry.
 */
public final class InvalidValueException extends IllegalArgumentException {
    public InvalidValueException(String problem) {
        super(problem);
    }
}
