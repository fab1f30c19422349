package dev.handoff.functions.slack;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.handoff.core.app.SqlAlert;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An SQL alert as a Slack message (Block Kit), for an incoming webhook:
 *
 * <pre>
 * header   New SQL: Ana Lima, Acme
 * section  Job title | Company | Reason | Scores | Stage      (fields, two columns)
 * section  Top signals: one line per rule with its points
 * context  Alert id · policy version
 * text     New SQL: Ana Lima, Acme (fast-track)             (the notification and fallback text)
 * </pre>
 *
 * Every value from the alert goes through {@link SlackText#escape} — the contact's fields first of all, but also the
 * reason, rules and ids, which are ours today and need not stay so — and every mrkdwn text is {@code verbatim}.
 * The contact's email address is not shown unless it is all there is to name them, as in the email's subject:
 * Slack channels are read more widely than the alert email, and sales reaches the person through the CRM.
 */
public final class SlackMessage {

    /** Slack's limit for a header's text. */
    static final int HEADER_MAX = 150;
    /** Each contact or alert value in a field; far inside Slack's 2,000 per field and 3,000 per text. */
    static final int VALUE_MAX = 300;
    /** How many top signals are listed (the alert carries a few). */
    static final int SIGNALS_MAX = 10;

    private static final JSON JR = JSON.std;

    private SlackMessage() {}

    /** The webhook's request body. */
    public static String json(SqlAlert alert) {
        try {
            return JR.asString(payload(alert));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the Slack message of alert " + alert.alertId(), e);
        }
    }

    /** The payload as a tree of maps and lists, in Slack's field order. */
    public static Map<String, Object> payload(SqlAlert alert) {
        String headline = "New SQL: " + who(alert);

        List<Object> fields = new ArrayList<>();
        fields.add(field("Job title", orDash(alert.contact().jobtitle())));
        fields.add(field("Company", orDash(alert.contact().company())));
        fields.add(field("Reason", reason(alert)));
        fields.add(field("Scores", "fit " + alert.fit() + " · engagement " + alert.engagement()));
        fields.add(field("Stage", stage(alert)));

        List<Object> blocks = new ArrayList<>();
        blocks.add(ordered("type", "header", "text", plainText(SlackText.escape(headline, HEADER_MAX))));
        blocks.add(ordered("type", "section", "fields", fields));
        blocks.add(ordered("type", "section", "text", mrkdwn("*Top signals*\n" + signals(alert))));
        blocks.add(ordered("type", "context", "elements", List.of(mrkdwn(context(alert)))));

        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("text", SlackText.escape(headline, HEADER_MAX) + " (" + SlackText.escape(alert.reasonCode(), VALUE_MAX) + ")");
        payload.put("blocks", blocks);
        return payload;
    }

    /** "Firstname Lastname, Company"; the email stands in for a missing name, "unnamed contact" for both. */
    private static String who(SqlAlert alert) {
        SqlAlert.ContactCard c = alert.contact();
        String first = SlackText.present(c.firstname()) ? SlackText.oneLine(c.firstname()) : null;
        String last = SlackText.present(c.lastname()) ? SlackText.oneLine(c.lastname()) : null;
        String name = first == null ? last : last == null ? first : first + " " + last;
        if (name == null) name = SlackText.present(c.email()) ? SlackText.oneLine(c.email()) : "unnamed contact";
        return SlackText.present(c.company()) ? name + ", " + SlackText.oneLine(c.company()) : name;
    }

    private static String reason(SqlAlert alert) {
        String code = SlackText.escape(alert.reasonCode(), VALUE_MAX);
        if (!SlackText.present(alert.reasonDetail())) return code;
        return code + ": " + SlackText.escape(alert.reasonDetail(), VALUE_MAX);
    }

    private static String stage(SqlAlert alert) {
        String from = alert.from() == null ? "(new contact)" : alert.from().id();
        return SlackText.escape(from, VALUE_MAX) + " → " + SlackText.escape(alert.to().id(), VALUE_MAX);
    }

    private static String signals(SqlAlert alert) {
        if (alert.topSignals().isEmpty()) return "none";
        StringBuilder b = new StringBuilder();
        List<SqlAlert.TopSignal> shown = alert.topSignals().subList(0, Math.min(SIGNALS_MAX, alert.topSignals().size()));
        for (SqlAlert.TopSignal s : shown) {
            if (!b.isEmpty()) b.append('\n');
            b.append("• ").append(SlackText.escape(s.rule(), VALUE_MAX)).append(' ')
                    .append(s.points() >= 0 ? "+" : "").append(s.points()).append(" (").append(s.kind().id()).append(')');
        }
        int more = alert.topSignals().size() - shown.size();
        if (more > 0) b.append("\n… and ").append(more).append(" more");
        return b.toString();
    }

    private static String context(SqlAlert alert) {
        String text = "Alert " + SlackText.escape(alert.alertId(), VALUE_MAX);
        if (SlackText.present(alert.policyVersion())) {
            text += " · policy " + SlackText.escape(alert.policyVersion(), VALUE_MAX);
        }
        return text;
    }

    /** A field: its label in bold on one line, the (already escaped) value on the next. */
    private static Map<String, Object> field(String label, String escapedValue) {
        return mrkdwn("*" + label + "*\n" + escapedValue);
    }

    private static String orDash(String contactText) {
        return SlackText.present(contactText) ? SlackText.escape(contactText, VALUE_MAX) : "—";
    }

    /** mrkdwn that Slack takes as written: no automatic links, channel names or mentions. */
    private static Map<String, Object> mrkdwn(String escapedText) {
        return ordered("type", "mrkdwn", "text", escapedText, "verbatim", true);
    }

    private static Map<String, Object> plainText(String escapedText) {
        return ordered("type", "plain_text", "text", escapedText, "emoji", false);
    }

    private static Map<String, Object> ordered(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
        return m;
    }
}
