package dev.handoff.core;

/**
 * One line of a score's explanation. The points of all lines of a kind add up exactly to that score, clamping
 * included (as a line of its own, rule {@value #CLAMP_RULE}).
 *
 * @param matched how many signals (engagement) or 1 (fit) matched
 * @param each points per match, as the policy gives them
 * @param cap the rule's cap, null when it has none
 * @param minCount for "N times or more" rules, the N; null otherwise
 * @param windowDays how far back signals count, for engagement; null for fit
 * @param halfLifeDays the half-life the rule's points decayed with (PRODUCT §5.1); null when they did not decay.
 *     {@code points} is then the decayed, capped and rounded figure.
 */
public record Contribution(
        String rule, Kind kind, int points, int matched, int each, Integer cap, Integer minCount, Integer windowDays,
        Integer halfLifeDays) {

    /** A line whose points did not decay. */
    public Contribution(String rule, Kind kind, int points, int matched, int each, Integer cap, Integer minCount, Integer windowDays) {
        this(rule, kind, points, matched, each, cap, minCount, windowDays, null);
    }

    public static final String CLAMP_RULE = "clamp-0-100";

    public enum Kind {
        FIT("fit"),
        ENGAGEMENT("engagement");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    public boolean isClamp() {
        return CLAMP_RULE.equals(rule);
    }

    /** Whether the cap cut the rule's points (for a decaying rule: its undecayed points would have been cut). */
    public boolean capped() {
        return cap != null && minCount == null && Math.abs((long) matched * each) > cap;
    }
}
