package dev.handoff.functions.hubspot;

/**
 * HubSpot refused a call with a 4xx that retrying cannot mend (not 404, 409 or 429): the message goes to the
 * dead-letter queue with {@link #reason()}. {@link #getMessage()} names the call, the status and HubSpot's
 * category and correlation id, and is safe to log; HubSpot's own message can quote the contact's values, so it
 * is kept apart and goes only into the dead-letter message.
 */
public final class HubSpotRefusedException extends RuntimeException {
    private final int status;
    private final String category;
    private final String hubspotMessage;

    public HubSpotRefusedException(int status, String category, String message, String hubspotMessage) {
        super(message);
        this.status = status;
        this.category = category;
        this.hubspotMessage = hubspotMessage;
    }

    public int status() {
        return status;
    }

    public String category() {
        return category;
    }

    /** What the dead-letter message says: the call, the status, the category and HubSpot's message. */
    public String reason() {
        String reason = "HubSpot refused: " + getMessage() + (hubspotMessage == null ? "" : ": " + hubspotMessage);
        return reason.length() > 1000 ? reason.substring(0, 997) + "..." : reason;
    }
}
