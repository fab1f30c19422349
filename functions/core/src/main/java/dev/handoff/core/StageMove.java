package dev.handoff.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One recorded lifecycle move. {@code from} is null for the first stage a contact gets.
 * {@code actor} is {@code policy}, a user name or {@code import}; {@code note} is a person's own words, if any.
 */
public record StageMove(Stage from, Stage to, Instant at, Reason reason, String actor, String policyVersion, String note) {
    public static final String POLICY_ACTOR = "policy";
    public static final String IMPORT_ACTOR = "import";

    public StageMove {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(actor, "actor");
    }

    public boolean isBackward() {
        return from != null && to.isBefore(from);
    }
}
