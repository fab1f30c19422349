package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PRODUCT §3: {@code alertId} is unique per move. A receiver that de-duplicates by it must never drop a real
 * alert (a contact erased and created again moves again), and must be able to drop a repeat (every delivery of
 * one move carries that move's id).
 */
@ExtendWith(StackExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AlertIdTest {

    @Test
    void a_contact_erased_and_created_again_by_the_same_form_gets_a_new_alert_id_and_a_new_deal_id(Stack stack) {
        SalesApi api = SalesApi.of(stack);
        String email = Stack.email("reborn");
        SalesApiTest.throughForm(stack, "demo-request", email, SalesApiTest.icp());
        List<Stack.Published> before = stack.alertsFor(email);
        assertThat(before).hasSize(1);
        String firstAlert = before.get(0).message().path("alertId").asText();
        String firstDeal = stack.items(email, "DEAL#").get(0).get("dealId").s();

        assertThat(api.delete(email).status()).isEqualTo(204);
        SalesApiTest.throughForm(stack, "demo-request", email, SalesApiTest.icp());

        List<Stack.Published> after = stack.alertsFor(email);
        assertThat(after).hasSize(2);
        String secondAlert = after.get(1).message().path("alertId").asText();
        assertThat(secondAlert).isNotBlank().isNotEqualTo(firstAlert);
        assertThat(stack.items(email, "DEAL#")).singleElement()
                .satisfies(deal -> assertThat(deal.get("dealId").s()).isNotEqualTo(firstDeal));
    }

    @Test
    void the_stream_records_of_a_move_delivered_again_keep_one_alert_with_one_id_published_once(Stack stack) {
        String email = Stack.email("redelivered");
        String pk = "C#" + email;
        SalesApiTest.throughForm(stack, "demo-request", email, SalesApiTest.icp());
        List<Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> outbox = stack.items(email, "ALERT#");
        assertThat(outbox).hasSize(1);
        String alertKey = outbox.get(0).get("sk").s();

        // Lambda may deliver a stream batch again (a retry after a timeout): replay every batch these functions saw.
        List<DynamodbEvent> qualified = stack.qualification.calls().stream().map(c -> c.event())
                .filter(e -> e.getRecords().stream().anyMatch(r -> pk.equals(Stack.partitionKey(r)))).toList();
        List<DynamodbEvent> alerted = stack.alerts.calls().stream().map(c -> c.event())
                .filter(e -> AlertRetryTest.holdsAlertOf(e, pk)).toList();
        assertThat(qualified).isNotEmpty();
        assertThat(alerted).isNotEmpty();
        qualified.forEach(stack.qualification::apply);
        alerted.forEach(stack.alerts::apply);
        stack.settle();

        assertThat(stack.items(email, "ALERT#")).singleElement()
                .satisfies(item -> assertThat(item.get("sk").s()).isEqualTo(alertKey));
        List<Stack.Published> published = stack.alertsFor(email);
        assertThat(published).hasSize(1);
        assertThat("ALERT#" + published.get(0).message().path("alertId").asText()).isEqualTo(alertKey);
        assertThat(stack.items(email, "DEAL#")).hasSize(1);
    }
}
