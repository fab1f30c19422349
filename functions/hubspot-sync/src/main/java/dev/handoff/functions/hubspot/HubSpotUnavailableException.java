package dev.handoff.functions.hubspot;

/** HubSpot kept answering 429 or 5xx (or nothing) until the function's time ran short: deliver the message again. */
public final class HubSpotUnavailableException extends RuntimeException {
    public HubSpotUnavailableException(String message) {
        super(message);
    }
}
