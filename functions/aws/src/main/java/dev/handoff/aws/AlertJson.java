package dev.handoff.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.handoff.core.Contribution;
import dev.handoff.core.Stage;
import dev.handoff.core.app.FormIntake;
import dev.handoff.core.app.SqlAlert;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.text.Normalizer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The words of an SQL alert as PRODUCT §3 pins them: the {@code default} JSON that SNS subscribers, the Slack
 * function, the local alerts file and the {@code ContactBecameSalesQualified} event carry, its reverse, and the
 * plain text of the {@code email} protocol.
 *
 * <pre>{@code
 * {"alertId": "...", "type": "SalesQualifiedLead", "occurredAt": "2025-01-31T09:30:00Z", "policyVersion": "...",
 *  "contact": {"email": "...", "firstname": "...", "lastname": "...", "company": "...", "jobtitle": "..."},
 *  "stage": {"from": "marketingqualifiedlead", "to": "salesqualifiedlead"},
 *  "reason": {"code": "fast-track", "detail": "..."},
 *  "scores": {"fit": 85, "engagement": 35},
 *  "topSignals": [{"rule": "jobtitle-senior", "kind": "fit", "points": 25},
 *                 {"rule": "pricing-page-views", "kind": "engagement", "points": 30}],
 *  "owner": "...", "deal": {"amount": 50000}}
 * }</pre>
 *
 * Contact fields that are null are left out; {@code stage.from} is {@code null} for a contact that entered the
 * ladder as an SQL; {@code owner} is {@code null} when no owner is known (PRODUCT §3), {@code deal} appears only
 * when the amount is known.
 *
 * <p>Also the form of the alert outbox item's {@code alert} attribute ({@link DynamoDbContacts#alertFromItem}), so
 * the alert is written one way everywhere. Trees are plain maps and lists (jackson-jr), in insertion order.
 */
public final class AlertJson {

    /** The {@code type} of every alert. */
    public static final String TYPE = "SalesQualifiedLead";

    /** SNS refuses a longer subject (moto too: getmoto/moto#1503 found that 100 is accepted). */
    public static final int MAX_SUBJECT_LENGTH = 100;

    /** Latin letters that NFKD leaves whole, and their usual ASCII spelling. */
    private static final String LETTERS_WITHOUT_DECOMPOSITION = "ØøÆæŒœßŁłĐđÞþÐð";
    private static final String[] LETTERS_AS_ASCII =
            {"O", "o", "AE", "ae", "OE", "oe", "ss", "L", "l", "D", "d", "Th", "th", "D", "d"};

    private AlertJson() {}

    // ---------------------------------------------------------------------------------------------- to JSON

    /** The {@code default} message: the alert as one line of JSON. */
    public static String toJson(SqlAlert alert) {
        return write(toMap(alert));
    }

    /**
     * The {@code default} message as a fresh, mutable tree in field order, for callers that add fields (the event
     * adds {@code dealId}); {@link #write} turns it into text.
     */
    public static Map<String, Object> toMap(SqlAlert alert) {
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(alert.contact(), "alert.contact");
        Objects.requireNonNull(alert.to(), "alert.to");
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("alertId", alert.alertId());
        root.put("type", TYPE);
        root.put("occurredAt", alert.occurredAt() == null ? null : alert.occurredAt().toString());
        root.put("policyVersion", alert.policyVersion());

        SqlAlert.ContactCard c = alert.contact();
        Map<String, Object> contact = new LinkedHashMap<>();
        putIfKnown(contact, "email", c.email());
        putIfKnown(contact, "firstname", c.firstname());
        putIfKnown(contact, "lastname", c.lastname());
        putIfKnown(contact, "company", c.company());
        putIfKnown(contact, "jobtitle", c.jobtitle());
        root.put("contact", contact);
        if (!c.attribution().isEmpty()) root.put("attribution", new LinkedHashMap<String, Object>(c.attribution()));

        Map<String, Object> stage = new LinkedHashMap<>();
        stage.put("from", alert.from() == null ? null : alert.from().id());
        stage.put("to", alert.to().id());
        root.put("stage", stage);

        Map<String, Object> reason = new LinkedHashMap<>();
        reason.put("code", alert.reasonCode());
        reason.put("detail", alert.reasonDetail());
        root.put("reason", reason);

        Map<String, Object> scores = new LinkedHashMap<>();
        scores.put("fit", alert.fit());
        scores.put("engagement", alert.engagement());
        root.put("scores", scores);

        List<Object> signals = new ArrayList<>(alert.topSignals().size());
        for (SqlAlert.TopSignal s : alert.topSignals()) {
            Map<String, Object> signal = new LinkedHashMap<>();
            signal.put("rule", s.rule());
            signal.put("kind", s.kind().id());
            signal.put("points", s.points());
            signals.add(signal);
        }
        root.put("topSignals", signals);

        root.put("owner", alert.owner());
        if (alert.dealAmount() != null) {
            Map<String, Object> deal = new LinkedHashMap<>();
            deal.put("amount", alert.dealAmount().longValue());
            root.put("deal", deal);
        }
        return root;
    }

    /** A tree of {@link #toMap} (with fields added or not) as one line of JSON; null values are written. */
    public static String write(Map<String, ?> tree) {
        try {
            return Json.JR.asString(tree);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write alert " + tree.get("alertId") + " as JSON", e);
        }
    }

    private static void putIfKnown(Map<String, Object> node, String field, String value) {
        if (value != null) node.put(field, value);
    }

    // -------------------------------------------------------------------------------------------- from JSON

    /**
     * The reverse of {@link #toJson}: for tests, the local stack and subscribers. Unknown fields (such as the
     * event's {@code dealId}) are ignored.
     *
     * @throws IllegalArgumentException when the text is not an alert: not JSON, another {@code type}, a required
     *     field missing, an unknown stage or a malformed time
     */
    public static SqlAlert parse(String json) {
        if (json == null) throw new IllegalArgumentException("not an alert: null");
        Object root;
        try {
            root = read(json);
        } catch (IOException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new IllegalArgumentException("not an alert: not JSON (" + why + ")", e);
        }
        return parse(root instanceof Map<?, ?> m ? m : null);
    }

    /**
     * The tree of a JSON text: maps, lists, strings, numbers, booleans and nulls. Text that is only whitespace is
     * no tree ({@code null}) rather than an error, as it was with databind's {@code readTree}.
     */
    private static Object read(String json) throws IOException {
        if (Json.isBlankJson(json)) return null;
        return Json.JR.anyFrom(json);
    }

    /** As {@link #parse(String)}, from a parsed tree (the {@code detail} of an event, for instance). */
    public static SqlAlert parse(Map<?, ?> root) {
        if (root == null) throw new IllegalArgumentException("not an alert: not a JSON object");
        String type = text(root, "type");
        if (type != null && !TYPE.equals(type)) {
            throw new IllegalArgumentException("not an alert: type is " + type + ", expected " + TYPE);
        }
        Map<?, ?> contact = object(root, "contact");
        Map<?, ?> stage = object(root, "stage");
        Map<?, ?> reason = object(root, "reason");
        Map<?, ?> scores = object(root, "scores");

        List<SqlAlert.TopSignal> signals = new ArrayList<>();
        Object top = root.get("topSignals");
        if (top != null) {
            if (!(top instanceof List<?> list)) throw new IllegalArgumentException("not an alert: topSignals must be an array");
            for (Object s : list) {
                signals.add(new SqlAlert.TopSignal(required(text(s, "rule"), "topSignals[].rule"),
                        kind(text(s, "kind")), integer(s, "points", "topSignals[].points")));
            }
        }
        Long dealAmount = root.get("deal") instanceof Map<?, ?> deal && deal.get("amount") instanceof Number amount
                ? amount.longValue() : null;

        return new SqlAlert(
                required(text(root, "alertId"), "alertId"),
                instant(text(root, "occurredAt")),
                text(root, "policyVersion"),
                new SqlAlert.ContactCard(text(contact, "email"), text(contact, "firstname"),
                        text(contact, "lastname"), text(contact, "company"), text(contact, "jobtitle"), attribution(root)),
                stage(text(stage, "from"), "stage.from", false),
                stage(text(stage, "to"), "stage.to", true),
                required(text(reason, "code"), "reason.code"),
                text(reason, "detail"),
                integer(scores, "fit", "scores.fit"),
                integer(scores, "engagement", "scores.engagement"),
                signals,
                text(root, "owner"),
                dealAmount);
    }

    /** The optional {@code attribution} object: its text values in their order; empty when absent. */
    private static Map<String, String> attribution(Map<?, ?> root) {
        Map<String, String> out = new LinkedHashMap<>();
        if (root.get("attribution") instanceof Map<?, ?> a) {
            for (Map.Entry<?, ?> e : a.entrySet()) {
                if (e.getValue() != null && !(e.getValue() instanceof Map<?, ?>) && !(e.getValue() instanceof List<?>)) {
                    out.put(String.valueOf(e.getKey()), e.getValue().toString());
                }
            }
        }
        return out;
    }

    private static Map<?, ?> object(Map<?, ?> root, String field) {
        if (!(root.get(field) instanceof Map<?, ?> n)) throw new IllegalArgumentException("not an alert: " + field + " missing");
        return n;
    }

    /** The field's value as text, as databind's {@code asText} gave it ("" for an object or array); null when absent. */
    private static String text(Object node, String field) {
        if (!(node instanceof Map<?, ?> map)) return null;
        Object n = map.get(field);
        if (n == null) return null;
        return n instanceof Map<?, ?> || n instanceof List<?> ? "" : n.toString();
    }

    private static String required(String value, String field) {
        if (value == null) throw new IllegalArgumentException("not an alert: " + field + " missing");
        return value;
    }

    /** A number that fits an int (a fraction is cut, as databind's {@code canConvertToInt}/{@code asInt} did). */
    private static int integer(Object node, String field, String path) {
        Object n = node instanceof Map<?, ?> map ? map.get(field) : null;
        if (n instanceof Number number && fitsInt(number)) return number.intValue();
        throw new IllegalArgumentException("not an alert: " + path + " must be an integer");
    }

    private static boolean fitsInt(Number n) {
        return switch (n) {
            case Integer i -> true;
            case Long l -> l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE;
            case BigInteger b -> b.bitLength() < 32;
            case BigDecimal d -> d.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) >= 0
                    && d.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0;
            default -> n.doubleValue() >= Integer.MIN_VALUE && n.doubleValue() <= Integer.MAX_VALUE;
        };
    }

    /** An alert recorded before top signals had a kind listed engagement rules only. */
    private static Contribution.Kind kind(String id) {
        if (id == null) return Contribution.Kind.ENGAGEMENT;
        for (Contribution.Kind k : Contribution.Kind.values()) if (k.id().equals(id)) return k;
        throw new IllegalArgumentException("not an alert: topSignals[].kind '" + id + "' is not fit or engagement");
    }

    private static Stage stage(String id, String path, boolean required) {
        if (id == null) {
            if (required) throw new IllegalArgumentException("not an alert: " + path + " missing");
            return null;
        }
        return Stage.fromId(id).orElseThrow(() -> new IllegalArgumentException(
                "not an alert: " + path + " '" + id + "' is not one of " + Stage.allIds()));
    }

    private static Instant instant(String text) {
        if (text == null) return null;
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an alert: occurredAt '" + text + "' is not an ISO-8601 instant", e);
        }
    }

    // ------------------------------------------------------------------------------------------------ email

    /**
     * The {@code email} protocol's body: what sales needs to act, and no more about the person than their name,
     * company, job title and email.
     *
     * <pre>
     * New SQL: Ana Silva, Acme
     *
     * Why: fast-track - demo-request form from an ICP fit contact
     * Scores: fit 85, engagement 35
     * Top signals:
     *   - pricing-page-views: +30
     * Stage: marketingqualifiedlead -> salesqualifiedlead
     *
     * Contact: Ana Silva
     * Job title: VP Engineering
     * Company: Acme
     * Email: ana@acme.com
     * Owner: sam           (when known)
     * Deal amount: 50000   (when known)
     *
     * Policy version: 2025-01
     * Alert id: ...
     * </pre>
     *
     * Text that came from a form is put on one line (control characters and line breaks become spaces), so a
     * field cannot forge lines of its own.
     */
    public static String emailText(SqlAlert alert) {
        SqlAlert.ContactCard c = alert.contact();
        StringBuilder b = new StringBuilder(512);
        b.append("New SQL: ").append(who(alert, false)).append('\n');
        b.append('\n');
        b.append("Why: ").append(line(alert.reasonCode()));
        if (alert.reasonDetail() != null && !alert.reasonDetail().isBlank()) {
            b.append(" - ").append(line(alert.reasonDetail()));
        }
        b.append('\n');
        b.append("Scores: fit ").append(alert.fit()).append(", engagement ").append(alert.engagement()).append('\n');
        if (alert.topSignals().isEmpty()) {
            b.append("Top signals: none\n");
        } else {
            b.append("Top signals:\n");
            for (SqlAlert.TopSignal s : alert.topSignals()) {
                b.append("  - ").append(line(s.rule())).append(" (").append(s.kind().id()).append("): ")
                        .append(s.points() >= 0 ? "+" : "")
                        .append(s.points()).append('\n');
            }
        }
        b.append("Stage: ").append(alert.from() == null ? "(new contact)" : alert.from().id())
                .append(" -> ").append(alert.to() == null ? "?" : alert.to().id()).append('\n');
        b.append('\n');
        String name = fullName(c);
        if (name != null) b.append("Contact: ").append(name).append('\n');
        field(b, "Job title", c.jobtitle());
        field(b, "Company", c.company());
        field(b, "Email", c.email());
        field(b, "Owner", alert.owner());
        if (alert.dealAmount() != null) b.append("Deal amount: ").append(alert.dealAmount()).append('\n');
        if (!c.attribution().isEmpty()) {
            b.append('\n').append("Came from:\n");
            // Latest and first touch side by side: "utm_source: linkedin (first: google)".
            for (Map.Entry<String, String> a : c.attribution().entrySet()) {
                if (a.getKey().startsWith(FormIntake.FIRST_PREFIX)) continue;
                b.append("  ").append(a.getKey()).append(": ").append(line(a.getValue()));
                String first = c.attribution().get(FormIntake.FIRST_PREFIX + a.getKey());
                if (first != null && !first.equals(a.getValue())) b.append(" (first: ").append(line(first)).append(')');
                b.append('\n');
            }
        }
        b.append('\n');
        b.append("Policy version: ").append(alert.policyVersion() == null ? "(unknown)" : line(alert.policyVersion()))
                .append('\n');
        b.append("Alert id: ").append(line(alert.alertId())).append('\n');
        return b.toString();
    }

    /**
     * The email subject, {@code New SQL: Firstname Lastname, Company}, made safe for SNS: printable ASCII only
     * (accents are dropped, other letters removed), no line breaks, at most {@value #MAX_SUBJECT_LENGTH}
     * characters. Falls back to the email address when no name survives.
     */
    public static String subject(SqlAlert alert) {
        String s = "New SQL: " + who(alert, true);
        if (s.length() > MAX_SUBJECT_LENGTH) s = s.substring(0, MAX_SUBJECT_LENGTH - 3).stripTrailing() + "...";
        return s;
    }

    /** "Firstname Lastname, Company", or the email in place of a missing name. */
    private static String who(SqlAlert alert, boolean ascii) {
        SqlAlert.ContactCard c = alert.contact();
        String name = clean(fullName(c), ascii);
        if (name == null) name = clean(c.email(), ascii);
        if (name == null) name = "unnamed contact";
        String company = clean(c.company(), ascii);
        return company == null ? name : name + ", " + company;
    }

    private static String fullName(SqlAlert.ContactCard c) {
        String first = blankToNull(c.firstname());
        String last = blankToNull(c.lastname());
        if (first == null && last == null) return null;
        if (first == null) return line(last);
        if (last == null) return line(first);
        return line(first + " " + last);
    }

    private static void field(StringBuilder b, String label, String value) {
        if (value != null && !value.isBlank()) b.append(label).append(": ").append(line(value)).append('\n');
    }

    private static String clean(String s, boolean ascii) {
        if (s == null) return null;
        String out = ascii ? ascii(s) : line(s);
        return out.isEmpty() ? null : out;
    }

    /** One line: control characters (line breaks included) become spaces, runs of spaces one, trimmed. */
    private static String line(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> b.appendCodePoint(
                Character.isISOControl(cp) || Character.getType(cp) == Character.LINE_SEPARATOR
                        || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR ? ' ' : cp));
        return b.toString().replaceAll("\\s+", " ").strip();
    }

    /** Printable ASCII: accents folded (José → Jose, Ørsted → Orsted), anything else dropped, then {@link #line}. */
    private static String ascii(String s) {
        String folded = Normalizer.normalize(line(s), Normalizer.Form.NFKD);
        StringBuilder b = new StringBuilder(folded.length());
        for (int i = 0; i < folded.length(); i++) {
            char ch = folded.charAt(i);
            if (ch >= 0x20 && ch < 0x7f) {
                b.append(ch);
            } else {
                int at = LETTERS_WITHOUT_DECOMPOSITION.indexOf(ch);
                if (at >= 0) b.append(LETTERS_AS_ASCII[at]);
            }
        }
        return b.toString().replaceAll(" +", " ").strip();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
