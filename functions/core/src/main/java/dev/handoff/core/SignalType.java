package dev.handoff.core;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The kinds of signal a contact collects; engagement rules name them. */
public enum SignalType {
    PAGE_VIEWED("page-viewed"),
    SESSION_STARTED("session-started"),
    EMAIL_OPENED("email-opened"),
    EMAIL_CLICKED("email-clicked"),
    CONTENT_DOWNLOADED("content-downloaded"),
    WEBINAR_ATTENDED("webinar-attended"),
    MEETING_BOOKED("meeting-booked"),
    SALES_ACTIVITY_LOGGED("sales-activity-logged"),
    SALES_ACCEPTED("sales-accepted"),
    FORM_SUBMITTED("form-submitted");

    private final String id;

    SignalType(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<SignalType> fromId(String id) {
        for (SignalType t : values()) {
            if (t.id.equals(id)) return Optional.of(t);
        }
        return Optional.empty();
    }

    public static String allIds() {
        return Arrays.stream(values()).map(SignalType::id).collect(Collectors.joining(", "));
    }
}
