package dev.handoff.core.policy;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The three ways teams define an SQL (PRODUCT §4). */
public enum SqlMode {
    /** An MQL whose engagement score reaches the threshold. */
    SCORE_THRESHOLD("score-threshold"),
    /** Sales has logged an activity with the contact and accepted it. */
    SALES_ACCEPTED("sales-accepted"),
    /** A meeting has been booked with the contact. */
    SDR_MEETING_BOOKED("sdr-meeting-booked");

    private final String id;

    SqlMode(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    static SqlMode fromId(String id) {
        for (SqlMode m : values()) if (m.id.equals(id)) return m;
        return null;
    }

    static String allIds() {
        return Arrays.stream(values()).map(SqlMode::id).collect(Collectors.joining(", "));
    }
}
