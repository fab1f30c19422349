package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.core.Stage;
import dev.handoff.core.StageMove;
import dev.handoff.core.app.StoredContact;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** PRODUCT §3 end to end: a high-intent form from an ICP-fit contact, through every function, to SNS and the bus. */
@ExtendWith(StackExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FastTrackAlertTest {

    @Test
    void a_demo_request_form_from_an_ICP_fit_contact_produces_exactly_one_SNS_alert_one_deal_and_one_ContactBecameSalesQualified_event(Stack stack) {
        String email = Stack.email("demo");
        Map<String, String> form = new LinkedHashMap<>();
        form.put("email", email);
        form.put("firstname", "Ana");
        form.put("lastname", "Silva");
        form.put("company", "Northwind");
        form.put("jobtitle", "VP Engineering");
        form.put("numberofemployees", "500");
        form.put("budget", "60000");
        form.put("industry", "software");
        form.put("phone", "+1 555 0100");
        form.put("lifecyclestage", "customer"); // a field a form must not set: dropped

        var response = stack.submit(Forms.urlEncoded("demo-request", form));
        assertThat(response.getStatusCode()).isEqualTo(202);
        assertThat(QueueLog.json(response.getBody()).fieldNames()).toIterable().containsExactly("submissionId");

        stack.settle();

        // Exactly one message on the alerts topic, and it is the PRODUCT §3 JSON.
        List<Stack.Published> published = stack.alertsFor(email);
        assertThat(published).hasSize(1);
        Stack.Published alert = published.get(0);
        assertThat(alert.notification().path("Type").asText()).isEqualTo("Notification");
        assertThat(alert.notification().path("TopicArn").asText()).isEqualTo(stack.alertsTopicArn);
        assertThat(alert.notification().path("Subject").asText()).isNotBlank();

        JsonNode m = alert.message();
        String alertId = m.path("alertId").asText();
        assertThat(alertId).isNotBlank();
        assertThat(m.path("type").asText()).isEqualTo("SalesQualifiedLead");
        assertThat(Instant.parse(m.path("occurredAt").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(m.path("policyVersion").asText()).isEqualTo(stack.policy.version());
        assertThat(m.path("contact")).isEqualTo(QueueLog.json("""
                {"email": "%s", "firstname": "Ana", "lastname": "Silva", "company": "Northwind", "jobtitle": "VP Engineering"}
                """.formatted(email)));
        assertThat(m.path("stage")).isEqualTo(QueueLog.json("{\"from\": \"lead\", \"to\": \"salesqualifiedlead\"}"));
        assertThat(m.path("reason").path("code").asText()).isEqualTo("fast-track");
        assertThat(m.path("reason").path("detail").asText()).isNotBlank();
        // fit: senior title 25 + 200-999 employees 25 + budget 50k+ 25 + software 10; engagement: one form 5
        assertThat(m.path("scores")).isEqualTo(QueueLog.json("{\"fit\": 85, \"engagement\": 5}"));
        // What qualified the contact is its fit: fit rules lead the top signals, each with its kind.
        assertThat(m.path("topSignals")).isEqualTo(QueueLog.json("""
                [{"rule": "employees-200-999", "kind": "fit", "points": 25},
                 {"rule": "senior-title", "kind": "fit", "points": 25},
                 {"rule": "budget-50k-plus", "kind": "fit", "points": 25},
                 {"rule": "target-industry", "kind": "fit", "points": 10},
                 {"rule": "form-submissions", "kind": "engagement", "points": 5}]"""));

        // Attributes that let subscriptions filter: reason always, owner only when known (not for a fast track).
        assertThat(alert.attribute("reason")).isEqualTo("fast-track");
        assertThat(alert.attribute("owner")).isNull();

        // One deal, made for that alert, with the budget as its amount.
        List<Map<String, AttributeValue>> deals = stack.items(email, "DEAL#");
        assertThat(deals).hasSize(1);
        Map<String, AttributeValue> deal = deals.get(0);
        String dealId = deal.get("dealId").s();
        assertThat(deal.get("pipeline").s()).isEqualTo("default");
        assertThat(deal.get("dealstage").s()).isEqualTo("qualification");
        assertThat(deal.get("amount").n()).isEqualTo("60000");

        // One ContactBecameSalesQualified event on the bus, naming the alert and the deal.
        List<JsonNode> events = stack.qualificationEventsFor(email);
        assertThat(events).hasSize(1);
        JsonNode event = events.get(0);
        assertThat(event.path("source").asText()).isEqualTo("handoff.qualification");
        assertThat(event.path("detail-type").asText()).isEqualTo("ContactBecameSalesQualified");
        assertThat(event.path("detail").path("alertId").asText()).isEqualTo(alertId);
        assertThat(event.path("detail").path("dealId").asText()).isEqualTo(dealId);
        assertThat(event.path("detail").path("reason").path("code").asText()).isEqualTo("fast-track");

        // The outbox records what was sent: the SNS message id that reached the queue.
        List<Map<String, AttributeValue>> outbox = stack.items(email, "ALERT#");
        assertThat(outbox).hasSize(1);
        assertThat(outbox.get(0).get("sk").s()).isEqualTo("ALERT#" + alertId);
        assertThat(outbox.get(0).get("snsMessageId").s()).isEqualTo(alert.notification().path("MessageId").asText());
        assertThat(outbox.get(0)).containsKey("eventPutAt");

        // The contact: entered as a lead through the form, fast-tracked to SQL, the forbidden field not stored.
        StoredContact stored = stack.load(email);
        assertThat(stored.contact().stage()).isEqualTo(Stage.SALES_QUALIFIED_LEAD);
        assertThat(stored.contact().history()).extracting(StageMove::from, StageMove::to, mv -> mv.reason().code())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(null, Stage.LEAD, "form-submission"),
                        org.assertj.core.groups.Tuple.tuple(Stage.LEAD, Stage.SALES_QUALIFIED_LEAD, "fast-track"));
        assertThat(stored.contact().properties()).doesNotContainKey("lifecyclestage").containsEntry("phone", "+1 555 0100");

        // Delivering again changes nothing: still one of each.
        stack.settle();
        assertThat(stack.alertsFor(email)).hasSize(1);
        assertThat(stack.qualificationEventsFor(email)).hasSize(1);
        assertThat(stack.items(email, "DEAL#")).hasSize(1);
    }
}
