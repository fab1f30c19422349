package dev.handoff.aws;

/**
 * A message that can never be applied, however often it is retried. The reason names what is wrong with the
 * message's shape and never repeats its values, so it can be logged without personal data.
 */
public final class UndecodableEventException extends Exception {
    public UndecodableEventException(String reason) {
        super(reason);
    }

    public UndecodableEventException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
