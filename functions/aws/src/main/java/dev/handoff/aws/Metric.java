package dev.handoff.aws;

/**
 * The business metrics of PRODUCT §8, namespace {@value Metrics#NAMESPACE}: the constant's name is the metric's name.
 * template.yaml's dashboard shows exactly these, and functions/deployment-tests checks that every one the code emits
 * is on it and every one on it is emitted.
 */
public enum Metric {
    /** A form submission accepted (202 or 303), new or a repeat of one already recorded. */
    FormsAccepted,
    /** A form submission refused for its fields (400). */
    FormsRejected,
    /** A form submission whose honeypot field was filled: answered 202, stored nowhere. */
    HoneypotCaught,
    /** A tracking event recorded for the first time. */
    TrackingEvents,
    /** A tracking event (or form submission) already recorded: counted once, as the contract says. */
    DuplicateEvents,
    /** A stage move, by the stage moved to. */
    StageMoves("to", Unit.COUNT),
    /** An SQL alert published, by reason code. */
    SqlAlerts("reason", Unit.COUNT),
    /** From the move into SQL being recorded to its SNS message published. */
    AlertLatencyMs(null, Unit.MILLISECONDS),
    /** An SQL alert synced to HubSpot. */
    HubSpotSynced,
    /** An SQL alert HubSpot refused for good (it goes to the sync's dead-letter queue). */
    HubSpotFailed;

    /** CloudWatch's unit names. */
    public enum Unit {
        COUNT("Count"), MILLISECONDS("Milliseconds");

        final String cloudWatch;

        Unit(String cloudWatch) {
            this.cloudWatch = cloudWatch;
        }
    }

    private final String dimension;
    private final Unit unit;

    Metric() {
        this(null, Unit.COUNT);
    }

    Metric(String dimension, Unit unit) {
        this.dimension = dimension;
        this.unit = unit;
    }

    /** The metric's one dimension, or null for none. */
    public String dimension() {
        return dimension;
    }

    public Unit unit() {
        return unit;
    }
}
