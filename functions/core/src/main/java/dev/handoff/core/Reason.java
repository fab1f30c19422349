package dev.handoff.core;

import java.util.Optional;

/** Why a contact moved stage. The SQL codes are the ones alerts carry (PRODUCT §3). */
public enum Reason {
    FORM_SUBMISSION("form-submission"),
    TRACKING_EVENT("tracking-event"),
    SALES_ACTION("sales-action"),
    FIT_THRESHOLD("fit-threshold"),
    FAST_TRACK("fast-track"),
    SCORE_THRESHOLD("score-threshold"),
    SALES_ACCEPTED("sales-accepted"),
    MEETING_BOOKED("meeting-booked"),
    MANUAL("manual"),
    IMPORT("import");

    private final String code;

    Reason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Optional<Reason> fromCode(String code) {
        for (Reason r : values()) {
            if (r.code.equals(code)) return Optional.of(r);
        }
        return Optional.empty();
    }
}
