package dev.handoff.core;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** Lifecycle stages, with HubSpot's internal names, in ladder order; {@link #OTHER} stands outside the ladder. */
public enum Stage {
    SUBSCRIBER("subscriber", 0),
    LEAD("lead", 1),
    MARKETING_QUALIFIED_LEAD("marketingqualifiedlead", 2),
    SALES_QUALIFIED_LEAD("salesqualifiedlead", 3),
    OPPORTUNITY("opportunity", 4),
    CUSTOMER("customer", 5),
    EVANGELIST("evangelist", 6),
    OTHER("other", -1);

    private final String id;
    private final int rank;

    Stage(String id, int rank) {
        this.id = id;
        this.rank = rank;
    }

    /** The HubSpot internal name, as stored and shown. */
    public String id() {
        return id;
    }

    public boolean onLadder() {
        return rank >= 0;
    }

    /** True when both stages are on the ladder and this one stands higher. */
    public boolean isAfter(Stage other) {
        return onLadder() && other.onLadder() && rank > other.rank;
    }

    public boolean isBefore(Stage other) {
        return other.isAfter(this);
    }

    public static Optional<Stage> fromId(String id) {
        if (id == null) return Optional.empty();
        for (Stage s : values()) {
            if (s.id.equals(id)) return Optional.of(s);
        }
        return Optional.empty();
    }

    /** For error messages: every valid name, in ladder order. */
    public static String allIds() {
        return Arrays.stream(values()).map(Stage::id).collect(Collectors.joining(", "));
    }
}
