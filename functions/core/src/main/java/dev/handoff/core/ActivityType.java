package dev.handoff.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What sales did with a contact (PRODUCT §2.2's {@code SalesActivityLogged}, the sales API's activities). */
public enum ActivityType {
    CALL, MEETING, EMAIL;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code call}, {@code meeting} or {@code email}, any case, surrounding spaces dropped.
     *
     * @throws InvalidValueException when it is none of them
     */
    public static ActivityType parse(String raw) {
        if (raw == null || raw.isBlank()) throw new InvalidValueException("is required: " + allIds());
        String s = PlainText.strip(raw).toLowerCase(Locale.ROOT);
        for (ActivityType t : values()) {
            if (t.id().equals(s)) return t;
        }
        throw new InvalidValueException("must be " + allIds());
    }

    /** "call, meeting or email". */
    public static String allIds() {
        String[] ids = Arrays.stream(values()).map(ActivityType::id).toArray(String[]::new);
        return Arrays.stream(ids, 0, ids.length - 1).collect(Collectors.joining(", ")) + " or " + ids[ids.length - 1];
    }
}
