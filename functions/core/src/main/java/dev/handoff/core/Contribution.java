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
 */
public record Contribution(
        String rule, Kind kind, int points, int matched, int each, Integer cap, Integer minCount, Integer windowDays) {

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

    public boolean capped() {
        return cap != null && minCount == null && Math.abs((long) matched * each) > cap;
    }
}
