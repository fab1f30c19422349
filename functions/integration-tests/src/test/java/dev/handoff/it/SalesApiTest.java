package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.core.Reason;
import dev.handoff.core.Signal;
import dev.handoff.core.Stage;
import dev.handoff.core.StageMove;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** PRODUCT §2.3 end to end: each route of the sales function, on DynamoDB Local, with the other functions behind it. */
@ExtendWith(StackExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SalesApiTest {

    /** A contact made through a form, and everything the functions do after it. */
    static void throughForm(Stack stack, String formId, String email, Map<String, String> fields) {
        Map<String, String> form = new LinkedHashMap<>(fields);
        form.put("email", email);
        assertThat(stack.submit(Forms.urlEncoded(formId, form)).getStatusCode()).isEqualTo(202);
        stack.settle();
    }

    static Map<String, String> icp() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("firstname", "Ana");
        f.put("lastname", "Silva");
        f.put("company", "Northwind");
        f.put("jobtitle", "VP Engineering");
        f.put("numberofemployees", "500");
        return f;
    }

    // ------------------------------------------------------------------------------------------------ GET

    @Test
    void GET_shows_the_profile_the_stage_both_scores_every_rule_that_counted_the_history_became_at_and_the_deal(Stack stack) {
        SalesApi api = SalesApi.of(stack);
        String email = Stack.email("view");
        Map<String, String> fields = icp();
        fields.put("budget", "60000");
        fields.put("industry", "software");
        throughForm(stack, "demo-request", email, fields);

        SalesApi.Answer answer = api.get(email);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.response().getHeaders()).containsEntry("Content-Type", "application/json");
        JsonNode c = answer.json();
        assertThat(c.path("email").asText()).isEqualTo(email);
        assertThat(c.path("lifecycleStage").asText()).isEqualTo("salesqualifiedlead");
        assertThat(c.path("properties")).isEqualTo(QueueLog.json("""
                {"budget": 60000, "company": "Northwind", "firstname": "Ana", "industry": "software",
                 "jobtitle": "VP Engineering", "lastname": "Silva", "numberofemployees": 500}"""));
        assertThat(c.path("scores")).isEqualTo(QueueLog.json("{\"fit\": 85, \"engagement\": 5}"));
        List<JsonNode> signals = new ArrayList<>();
        c.path("signals").forEach(signals::add);
        assertThat(signals).extracting(s -> s.path("rule").asText(), s -> s.path("kind").asText(), s -> s.path("points").asInt())
                .containsExactlyInAnyOrder(
                        tuple("employees-200-999", "fit", 25), tuple("senior-title", "fit", 25),
                        tuple("budget-50k-plus", "fit", 25), tuple("target-industry", "fit", 10),
                        tuple("form-submissions", "engagement", 5));
        assertThat(signals).filteredOn(s -> s.path("rule").asText().equals("form-submissions")).singleElement()
                .isEqualTo(QueueLog.json("""
                        {"rule": "form-submissions", "kind": "engagement", "points": 5, "matched": 1, "each": 5,
                         "cap": 15, "minCount": null, "windowDays": %d}""".formatted(stack.policy.engagementWindowDays())));
        assertThat(c.path("knockouts").isArray()).isTrue();
        assertThat(c.path("knockouts")).isEmpty();
        assertThat(c.path("qualification").path("stage").asText()).isEqualTo("salesqualifiedlead");
        assertThat(c.path("qualification").path("reason").asText()).isEqualTo("fast-track");

        JsonNode history = c.path("history");
        assertThat(history).hasSize(2);
        assertThat(history.get(0)).isEqualTo(QueueLog.json("""
                {"from": null, "to": "lead", "at": "%s", "reason": "form-submission", "actor": "policy",
                 "policyVersion": "%s", "note": null}""".formatted(history.get(0).path("at").asText(), stack.policy.version())));
        assertThat(history.get(1).path("from").asText()).isEqualTo("lead");
        assertThat(history.get(1).path("to").asText()).isEqualTo("salesqualifiedlead");
        assertThat(history.get(1).path("reason").asText()).isEqualTo("fast-track");
        // "Became X at" for every stage reached, the skipped MQL included.
        assertThat(c.path("becameAt").properties()).extracting(Map.Entry::getKey)
                .containsExactly("lead", "marketingqualifiedlead", "salesqualifiedlead");
        assertThat(c.path("becameAt").path("salesqualifiedlead").asText()).isEqualTo(history.get(1).path("at").asText());

        // The one deal the move into SQL made.
        List<Map<String, AttributeValue>> deals = stack.items(email, "DEAL#");
        assertThat(deals).hasSize(1);
        assertThat(c.path("deals")).hasSize(1);
        JsonNode deal = c.path("deals").get(0);
        assertThat(deal.path("dealId").asText()).isEqualTo(deals.get(0).get("dealId").s());
        assertThat(deal.path("pipeline").asText()).isEqualTo("default");
        assertThat(deal.path("dealstage").asText()).isEqualTo("qualification");
        assertThat(deal.path("amount").asLong()).isEqualTo(60000);
        assertThat(Instant.parse(deal.path("createdAt").asText())).isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    void GET_of_an_email_nobody_has_is_404(Stack stack) {
        SalesApi.Answer answer = SalesApi.of(stack).get(Stack.email("nobody"));

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.errorFields()).containsExactly("email");
    }

    @Test
    void the_email_in_the_path_is_URL_decoded_a_plus_stays_a_plus_and_case_does_not_matter(Stack stack) {
        SalesApi api = SalesApi.of(stack);
        String email = Stack.email("plus").replace("@", "+news@");
        throughForm(stack, "ebook-download", email, Map.of("jobtitle", "Engineer"));
        String encoded = email.toUpperCase().replace("+", "%2B").replace("@", "%40");

        // As the path parameter came encoded, and with no route key at all (routing by method and path).
        SalesApi.Answer byParameter = api.send("GET /contacts/{email}", "GET", "/contacts/" + encoded,
                Map.of("email", encoded), null, null, Map.of());
        SalesApi.Answer byPath = api.send("$default", "GET", "/contacts/" + encoded, null, null, null, Map.of());

        assertThat(byParameter.status()).isEqualTo(200);
        assertThat(byParameter.json().path("email").asText()).isEqualTo(email);
        assertThat(byPath.status()).isEqualTo(200);
        assertThat(byPath.json().path("email").asText()).isEqualTo(email);
    }

    // ------------------------------------------------------------------------------------------------ PUT stage

    @Test
    void PUT_stage_moves_forward_as_asked_backward_only_with_force_and_records_each_move_with_actor_and_reason(Stack stack) {
        SalesApi api = SalesApi.of(stack);
        String email = Stack.email("stage");
        throughForm(stack, "ebook-download", email, Map.of("jobtitle", "Engineer"));

        SalesApi.Answer forward = api.stage(email, """
                {"stage": "opportunity", "reason": "qualified on a discovery call", "actor": "sam"}""");

        assertThat(forward.status()).isEqualTo(200);
        assertThat(forward.json().path("email").asText()).isEqualTo(email);
        assertThat(forward.json().path("lifecycleStage").asText()).isEqualTo("opportunity");
        assertThat(forward.json().path("moved").asBoolean()).isTrue();
        JsonNode last = forward.json().path("history").get(1);
        assertThat(last.path("from").asText()).isEqualTo("lead");
        assertThat(last.path("to").asText()).isEqualTo("opportunity");
        assertThat(last.path("reason").asText()).isEqualTo("manual");
        assertThat(last.path("actor").asText()).isEqualTo("sam");
        assertThat(last.path("note").asText()).isEqualTo("qualified on a discovery call");
        assertThat(last.path("policyVersion").asText()).isEqualTo(stack.policy.version());
        assertThat(forward.json().path("becameAt").properties()).extracting(Map.Entry::getKey)
                .containsExactly("lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity");

        List<Map<String, AttributeValue>> before = SalesApi.partition(stack, email);
        SalesApi.Answer backward = api.stage(email, """
                {"stage": "lead", "reason": "budget frozen", "actor": "kim"}""");
        assertThat(backward.status()).isEqualTo(409);
        assertThat(backward.errorFields()).containsExactly("force");
        assertThat(backward.errors().get(0).path("message").asText()).contains("force: true");
        assertThat(SalesApi.partition(stack, email)).isEqualTo(before);

        SalesApi.Answer forced = api.stage(email, """
                {"stage": "lead", "reason": "budget frozen until Q3", "actor": "kim", "force": true}""");
        assertThat(forced.status()).isEqualTo(200);
        assertThat(forced.json().path("lifecycleStage").asText()).isEqualTo("lead");

        SalesApi.Answer same = api.stage(email, """
                {"stage": "lead", "reason": "again", "actor": "kim"}""");
        assertThat(same.status()).isEqualTo(200);
        assertThat(same.json().path("moved").asBoolean()).isFalse();

        stack.settle();
        assertThat(stack.load(email).contact().history())
                .extracting(StageMove::from, StageMove::to, StageMove::reason, StageMove::actor)
                .containsExactly(
                        tuple(null, Stage.LEAD, Reason.FORM_SUBMISSION, "policy"),
                        tuple(Stage.LEAD, Stage.OPPORTUNITY, Reason.MANUAL, "sam"),
                        tuple(Stage.OPPORTUNITY, Stage.LEAD, Reason.MANUAL, "kim"));
        // Passing over SQL is not a move into it: no alert.
        assertThat(stack.alertsFor(email)).isEmpty();
    }

    @Test
    void a_manual_move_into_SQL_alerts_once_with_reason_manual_and_makes_one_deal_shown_in_the_contact(Stack stack) {
        SalesApi api = SalesApi.of(stack);
        String email = Stack.email("manual-sql");
        throughForm(stack, "ebook-download", email, icp());
        assertThat(stack.load(email).contact().stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);

        SalesApi.Answer moved = api.stage(email, """
                {"stage": "salesqualifiedlead", "reason": "asked for pricing on the phone", "actor": "sam"}""");
        stack.settle();
        stack.settle();

        assertThat(moved.status()).isEqualTo(200);
        List<Stack.Published> alerts = stack.alertsFor(email);
        assertThat(alerts).hasSize(1);
        JsonNode m = alerts.get(0).message();
        assertThat(m.path("reason")).isEqualTo(QueueLog.json("{\"code\": \"manual\", \"detail\": \"asked for pricing on the phone\"}"));
        assertThat(m.path("stage")).isEqualTo(QueueLog.json("{\"from\": \"marketingqualifiedlead\", \"to\": \"salesqualifiedlead\"}"));
        assertThat(m.path("contact").path("firstname").asText()).isEqualTo("Ana");
        assertThat(alerts.get(0).attribute("reason")).isEqualTo("manual");
        assertThat(api.get(email).json().path("deals")).hasSize(1);
    }

    // --------------------------------------------------------------------------------- sales signals

    @Test
    void POST_sales_acceptance_records_a_SalesAccepted_signal_once_per_Idempotency_Key_and_answers_202_with_its_id(Stack stack) {
        SalesApi api = SalesApi.of(stack);
        String email = Stack.email("accept");
        throughForm(stack, "ebook-download", email, Map.of("jobtitle", "Engineer"));
        Instant at = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        String key = "crm-accept-" + Long.toHexString(System.nanoTime());

        SalesApi.Answer first = api.accept(email, "{\"actor\": \"sam\", \"occurredAt\": \"%s\"}".formatted(at), key);
        SalesApi.Answer retried = api.accept(email, "{\"actor\": \"sam\", \"occurredAt\": \"%s\"}".formatted(at), key);
        SalesApi.Answer unkeyed = api.accept(email, "{\"actor\": \"sam\"}", null);
        stack.settle();

        assertThat(first.status()).isEqualTo(202);
        assertThat(first.json()).isEqualTo(QueueLog.json("{\"eventId\": \"" + key + "\"}"));
        assertThat(retried.status()).isEqualTo(202);
        assertThat(retried.json().path("eventId").asText()).isEqualTo(key);
        assertThat(unkeyed.status()).isEqualTo(202);
        assertThat(unkeyed.json().path("eventId").asText()).hasSize(36).isNotEqualTo(key);
        List<Signal> accepted = stack.load(email).contact().signals().stream()
                .filter(s -> s instanceof Signal.SalesAccepted).toList();
        assertThat(accepted).extracting(Signal::id, s -> ((Signal.SalesAccepted) s).owner())
                .containsExactlyInAnyOrder(tuple(key, "sam"), tuple(unkeyed.json().path("eventId").asText(), "sam"));
        assertThat(accepted).contains(new Signal.SalesAccepted(key, at, "sam"));
        // The score-threshold preset does not make an SQL of an acceptance.
        assertThat(stack.load(email).contact().stage()).isEqualTo(Stage.LEAD);
    }

    @Test
    void POST_activities_records_a_SalesActivityLogged_signal_and_a_sales_action_on_a_new_email_makes_a_lead(Stack stack) {
        SalesApi api = SalesApi.of(stack);
        String email = Stack.email("activity");

        SalesApi.Answer call = api.activity(email, "{\"type\": \"call\", \"actor\": \"sam\"}");
        SalesApi.Answer meeting = api.activity(email, "{\"type\": \"Meeting\", \"actor\": \"kim\", \"occurredAt\": \"2026-11-02T10:00:00+01:00\"}");
        stack.settle();

        assertThat(call.status()).isEqualTo(202);
        assertThat(meeting.status()).isEqualTo(202);
        assertThat(stack.load(email).contact().signals()).filteredOn(s -> s instanceof Signal.SalesActivityLogged)
                .extracting(s -> ((Signal.SalesActivityLogged) s).activityType(), s -> ((Signal.SalesActivityLogged) s).owner(),
                        Signal::id)
                .containsExactlyInAnyOrder(
                        tuple("call", "sam", call.json().path("eventId").asText()),
                        tuple("meeting", "kim", meeting.json().path("eventId").asText()));
        assertThat(stack.load(email).contact().signals()).filteredOn(s -> s.id().equals(meeting.json().path("eventId").asText()))
                .extracting(Signal::occurredAt).containsExactly(Instant.parse("2026-11-02T09:00:00Z"));
        assertThat(stack.load(email).contact().history()).extracting(StageMove::to, StageMove::reason)
                .containsExactly(tuple(Stage.LEAD, Reason.SALES_ACTION));
    }

    // ------------------------------------------------------------------------------------------------ imports

    @Test
    void POST_imports_applies_good_rows_rejects_bad_ones_with_reasons_alerts_for_an_imported_SQL_and_is_idempotent(Stack stack) {
        SalesApi api = SalesApi.of(stack);
        String fresh = Stack.email("import-new");
        String known = Stack.email("import-known");
        String unknownStage = Stack.email("import-badstage");
        throughForm(stack, "ebook-download", known, Map.of("jobtitle", "Engineer"));
        String body = """
                {"contacts": [
                  {"email": "%s", "properties": {"firstname": "Ana", "jobtitle": "VP Engineering", "numberofemployees": 500,
                                                 "hs_object_id": "1234"}},
                  {"email": "%s", "properties": {"company": "Northwind", "budget": 25000}, "stage": "salesqualifiedlead"},
                  {"email": "not-an-email", "properties": {}},
                  {"email": "%s", "properties": {"budget": "lots"}, "stage": "hot"},
                  "not an object"
                ]}""".formatted(fresh, known, unknownStage);

        SalesApi.Answer first = api.importContacts(body);
        stack.settle();

        assertThat(first.status()).isEqualTo(200);
        JsonNode results = first.json().path("results");
        assertThat(results).hasSize(5);
        assertThat(results.get(0)).isEqualTo(QueueLog.json("""
                {"row": 0, "email": "%s", "status": "created", "lifecycleStage": "marketingqualifiedlead",
                 "ignoredProperties": ["hs_object_id"]}""".formatted(fresh)));
        assertThat(results.get(1)).isEqualTo(QueueLog.json("""
                {"row": 1, "email": "%s", "status": "updated", "lifecycleStage": "salesqualifiedlead"}""".formatted(known)));
        assertThat(results.get(2).path("status").asText()).isEqualTo("rejected");
        assertThat(results.get(2).path("errors").get(0).path("field").asText()).isEqualTo("email");
        assertThat(results.get(3).path("status").asText()).isEqualTo("rejected");
        List<String> fields = new ArrayList<>();
        results.get(3).path("errors").forEach(e -> fields.add(e.path("field").asText()));
        assertThat(fields).containsExactly("properties.budget", "stage");
        assertThat(results.get(3).path("errors").get(1).path("message").asText()).contains(Stage.allIds());
        assertThat(results.get(4).path("errors").get(0).path("field").asText()).isEqualTo("row");
        assertThat(first.json().path("summary")).isEqualTo(QueueLog.json(
                "{\"created\": 1, \"updated\": 1, \"unchanged\": 0, \"rejected\": 3}"));

        assertThat(stack.exists(unknownStage)).isFalse();
        assertThat(stack.load(fresh).contact().history()).extracting(StageMove::to, StageMove::reason, StageMove::actor)
                .containsExactly(tuple(Stage.LEAD, Reason.IMPORT, "import"),
                        tuple(Stage.MARKETING_QUALIFIED_LEAD, Reason.FIT_THRESHOLD, "policy"));
        assertThat(stack.load(fresh).contact().properties()).doesNotContainKey("hs_object_id");
        List<Stack.Published> alerts = stack.alertsFor(known);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).message().path("reason").path("code").asText()).isEqualTo("import");
        assertThat(alerts.get(0).attribute("reason")).isEqualTo("import");
        assertThat(alerts.get(0).message().path("contact").path("company").asText()).isEqualTo("Northwind");
        assertThat(stack.items(known, "DEAL#")).singleElement().satisfies(d -> assertThat(d.get("amount").n()).isEqualTo("25000"));
        assertThat(stack.alertsFor(fresh)).isEmpty();

        // The same import again: nothing changes, nothing is alerted twice.
        List<Map<String, AttributeValue>> knownItems = SalesApi.partition(stack, known);
        SalesApi.Answer second = api.importContacts(body);
        stack.settle();

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().path("summary")).isEqualTo(QueueLog.json(
                "{\"created\": 0, \"updated\": 0, \"unchanged\": 2, \"rejected\": 3}"));
        assertThat(SalesApi.partition(stack, known)).isEqualTo(knownItems);
        assertThat(stack.alertsFor(known)).hasSize(1);
    }

    @Test
    void an_import_body_over_64_KiB_is_fine_up_to_2_MiB(Stack stack) {
        String email = Stack.email("import-big");
        String padding = " ".repeat(100 * 1024);
        SalesApi.Answer answer = SalesApi.of(stack).importContacts(
                "{\"contacts\": [{\"email\": \"" + email + "\", \"properties\": {\"jobtitle\": \"CTO\"}}]}" + padding);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("summary").path("created").asInt()).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------------------ logs

    @Test
    void the_sales_function_logs_no_email_and_no_name(Stack stack) {
        SalesApi api = SalesApi.of(stack);
        String email = Stack.email("logs");
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            api.importContacts("{\"contacts\": [{\"email\": \"" + email + "\", \"properties\": {\"firstname\": \"Zebulon\"}}]}");
            api.get(email);
            api.stage(email, "{\"stage\": \"opportunity\", \"reason\": \"Zebulon called\", \"actor\": \"sam\"}");
            api.accept(email, "{\"actor\": \"sam\"}", null);
            api.activity(email, "{\"type\": \"call\", \"actor\": \"sam\"}");
            api.delete(email);
        } finally {
            System.setOut(original);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).contains("import done", "contact viewed", "stage moved", "contact erased");
        assertThat(logs).doesNotContain(email).doesNotContain("Zebulon");
        assertThat(logs).contains(new dev.handoff.aws.Env(java.util.Map.of()).contactHash().of(email));
    }
}
