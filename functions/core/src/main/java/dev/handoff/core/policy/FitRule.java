package dev.handoff.core.policy;

import java.util.List;

/** Points for a contact that matches; {@code unless} names rules that, when they match, cancel this one. */
public record FitRule(String id, Condition condition, int points, List<String> unless) {
    public FitRule {
        unless = List.copyOf(unless);
    }
}
