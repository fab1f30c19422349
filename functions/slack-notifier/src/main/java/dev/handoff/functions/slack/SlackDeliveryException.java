package dev.handoff.functions.slack;

/**
 * Slack did not take a message. The message names the HTTP status (or the kind of I/O failure) and how many
 * attempts were made; never the webhook URL, which is a secret, and never what the message said.
 */
public final class SlackDeliveryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final int attempts;

    SlackDeliveryException(String message, int status, int attempts) {
        super(message);
        this.status = status;
        this.attempts = attempts;
    }

    /** The last HTTP status Slack answered, or 0 when the last attempt got no answer (an I/O failure). */
    public int status() {
        return status;
    }

    public int attempts() {
        return attempts;
    }
}
