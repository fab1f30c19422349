package dev.handoff.core.policy;

/**
 * An engagement rule: which signals in the window it counts ({@link SignalMatch}) and how it turns them into
 * points. One record per kind; adding a kind means one record here, its case in the evaluator's switch (the
 * compiler asks for it), its binding in {@link PolicyLoader}, and its tests.
 *
 * <p>Decay (PRODUCT §5.1): {@code halfLifeDays} on a rule wins over the policy's; 0 turns decay off for the rule,
 * null leaves it to the policy. A signal's points count {@code 0.5^(age / halfLifeDays)}, age in whole UTC days.
 */
public sealed interface EngagementRule {
    String id();

    SignalMatch match();

    int points();

    /** The rule's own half-life in days (0: no decay), or null to use the policy's. */
    Integer halfLifeDays();

    /** {@code points} for each matching signal, their sum capped at {@code cap} (null: no cap). */
    record PerSignal(String id, SignalMatch match, int points, Integer cap, Integer halfLifeDays) implements EngagementRule {}

    /** {@code points} once, when at least {@code minCount} signals match. */
    record OnceAtLeast(String id, SignalMatch match, int points, int minCount, Integer halfLifeDays) implements EngagementRule {}

    /** The cap, for the explanation; null when the rule has none. */
    default Integer capOrNull() {
        return switch (this) {
            case PerSignal p -> p.cap();
            case OnceAtLeast o -> null;
        };
    }

    /** The minimum count, for the explanation; null when the rule has none. */
    default Integer minCountOrNull() {
        return switch (this) {
            case PerSignal p -> null;
            case OnceAtLeast o -> o.minCount();
        };
    }
}
