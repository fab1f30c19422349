package dev.handoff.functions.sales;

import dev.handoff.aws.DynamoDbHubSpotLedger;
import dev.handoff.aws.HttpApiResponses;
import dev.handoff.core.Contact;
import dev.handoff.core.Contribution;
import dev.handoff.core.Decision;
import dev.handoff.core.Qualification;
import dev.handoff.core.Stage;
import dev.handoff.core.StageMove;
import dev.handoff.core.app.Deal;
import dev.handoff.core.app.FormIntake;
import dev.handoff.core.app.Qualifier;
import dev.handoff.core.app.SalesDesk;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sales API's answers as JSON trees (plain maps and lists, in field order, for jackson-jr).
 *
 * <pre>{@code
 * {"email": "ana@acme.com", "lifecycleStage": "marketingqualifiedlead",
 *  "properties": {"jobtitle": "VP Engineering", "numberofemployees": 500},
 *  "scores": {"fit": 85, "engagement": 35},
 *  "signals": [{"rule": "pricing-page-views", "kind": "engagement", "points": 30, "matched": 3, "each": 10,
 *               "cap": 30, "minCount": null, "windowDays": 90}],
 *  "knockouts": [],
 *  "qualification": {"stage": "marketingqualifiedlead", "reason": "fit-threshold", "rule": "mql.fit",
 *                    "detail": "...", "owner": null},
 *  "history": [{"from": null, "to": "lead", "at": "...", "reason": "form-submission", "actor": "policy",
 *               "policyVersion": "...", "note": null}],
 *  "becameAt": {"lead": "...", "marketingqualifiedlead": "..."},
 *  "deals": [{"dealId": "...", "pipeline": "default", "dealstage": "qualification", "amount": 60000,
 *             "owner": "ana", "createdAt": "..."}],
 *  "owner": "ana", "hubspot": {"contactId": "...", "dealId": "..."}}
 * }</pre>
 */
final class ContactJson {
    private ContactJson() {}

    /** {@code GET /contacts/{email}} without HubSpot's ids. */
    static Map<String, Object> view(SalesDesk.ContactView view) {
        return view(view, null);
    }

    /**
     * {@code GET /contacts/{email}}; {@code owner} once one is known (a signal's, else the latest deal's),
     * {@code hubspot} once the sync has recorded HubSpot's ids.
     */
    static Map<String, Object> view(SalesDesk.ContactView view, DynamoDbHubSpotLedger.Links hubspot) {
        Contact c = view.contact();
        Decision d = view.decision();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("email", c.email());
        root.put("lifecycleStage", stageId(c.stage()));
        root.put("properties", properties(c.properties()));
        Map<String, Object> scores = new LinkedHashMap<>();
        scores.put("fit", d.fit());
        scores.put("engagement", d.engagement());
        root.put("scores", scores);
        List<Object> signals = new ArrayList<>();
        for (Contribution line : d.signals()) signals.add(signal(line));
        root.put("signals", signals);
        root.put("knockouts", new ArrayList<Object>(d.knockouts()));
        root.put("qualification", qualification(d.qualification()));
        root.put("history", history(c));
        root.put("becameAt", becameAt(c));
        List<Object> deals = new ArrayList<>();
        for (Deal deal : view.deals()) deals.add(deal(deal));
        root.put("deals", deals);
        String owner = owner(view);
        if (owner != null) root.put("owner", owner);
        if (hubspot != null) {
            Map<String, Object> hs = new LinkedHashMap<>();
            hs.put("contactId", hubspot.contactId());
            hs.put("dealId", hubspot.dealId());
            root.put("hubspot", hs);
        }
        return root;
    }

    /** An owner a signal named wins over routing (PRODUCT §3); else the owner of the latest deal that has one. */
    static String owner(SalesDesk.ContactView view) {
        String named = Qualifier.signalOwner(view.contact());
        if (named != null) return named;
        String owner = null;
        for (Deal d : view.deals()) if (d.owner() != null) owner = d.owner();
        return owner;
    }

    /** {@code PUT /contacts/{email}/stage}: where the contact stands now and how it got there. */
    static Map<String, Object> stage(Contact c, boolean moved) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("email", c.email());
        root.put("lifecycleStage", stageId(c.stage()));
        root.put("moved", moved);
        root.put("history", history(c));
        root.put("becameAt", becameAt(c));
        return root;
    }

    /** {@code POST /imports}: one result per row, in the order given, and the counts. */
    static Map<String, Object> importResult(SalesDesk.ImportResult result) {
        List<Object> rows = new ArrayList<>();
        for (SalesDesk.RowResult r : result.rows()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("row", r.row());
            row.put("email", r.email());
            row.put("status", r.status().id());
            row.put("lifecycleStage", stageId(r.stage()));
            if (r.status() == SalesDesk.RowStatus.REJECTED) {
                List<Object> errors = new ArrayList<>();
                for (FormIntake.FieldError e : r.errors()) errors.add(HttpApiResponses.fieldError(e.field(), e.message()));
                row.put("errors", errors);
            }
            if (!r.ignored().isEmpty()) row.put("ignoredProperties", new ArrayList<Object>(r.ignored()));
            rows.add(row);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        for (SalesDesk.RowStatus s : SalesDesk.RowStatus.values()) summary.put(s.id(), result.count(s));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("results", rows);
        root.put("summary", summary);
        return root;
    }

    /** Properties by name; the numeric ones ({@code numberofemployees}, {@code annualrevenue}, {@code budget}) as numbers. */
    static Map<String, Object> properties(Map<String, String> properties) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : new TreeMap<>(properties).entrySet()) {
            out.put(p.getKey(), FormIntake.isNumeric(p.getKey()) ? number(p.getValue()) : p.getValue());
        }
        return out;
    }

    private static Object number(String value) {
        try {
            BigDecimal n = new BigDecimal(value.trim());
            try {
                return n.longValueExact();
            } catch (ArithmeticException notWhole) {
                return n;
            }
        } catch (NumberFormatException e) {
            return value; // stored before the rules were this strict: shown as it is
        }
    }

    private static Map<String, Object> signal(Contribution line) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("rule", line.rule());
        s.put("kind", line.kind().id());
        s.put("points", line.points());
        s.put("matched", line.matched());
        s.put("each", line.each());
        s.put("cap", line.cap());
        s.put("minCount", line.minCount());
        s.put("windowDays", line.windowDays());
        return s;
    }

    private static Map<String, Object> qualification(Qualification q) {
        if (q == null) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stage", q.stage().id());
        m.put("reason", q.reason().code());
        m.put("rule", q.rule());
        m.put("detail", q.detail());
        m.put("owner", q.owner());
        return m;
    }

    private static List<Object> history(Contact c) {
        List<Object> out = new ArrayList<>();
        for (StageMove m : c.history()) {
            Map<String, Object> move = new LinkedHashMap<>();
            move.put("from", stageId(m.from()));
            move.put("to", m.to().id());
            move.put("at", time(m.at()));
            move.put("reason", m.reason().code());
            move.put("actor", m.actor());
            move.put("policyVersion", m.policyVersion());
            move.put("note", m.note());
            out.add(move);
        }
        return out;
    }

    private static Map<String, Object> becameAt(Contact c) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<Stage, Instant> e : c.becameAtByStage().entrySet()) out.put(e.getKey().id(), time(e.getValue()));
        return out;
    }

    private static Map<String, Object> deal(Deal deal) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dealId", deal.dealId());
        m.put("pipeline", deal.pipeline());
        m.put("dealstage", deal.dealstage());
        m.put("amount", deal.amount());
        m.put("owner", deal.owner());
        m.put("createdAt", time(deal.createdAt()));
        return m;
    }

    private static String stageId(Stage s) {
        return s == null ? null : s.id();
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
