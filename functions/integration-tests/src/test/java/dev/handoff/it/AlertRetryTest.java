package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.handoff.aws.Env;
import dev.handoff.core.Stage;
import dev.handoff.functions.qualification.DynamoDbStreamQualificationHandler;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;

/** PRODUCT §3: one SNS message per move into SQL, also when the alerts function fails halfway and is retried. */
@ExtendWith(StackExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AlertRetryTest {

    @Test
    void an_SNS_publish_that_fails_once_and_succeeds_on_the_retry_sends_one_alert_and_puts_the_event_on_the_bus_once(Stack stack) {
        String email = Stack.email("retry");
        String alertKey = "C#" + email;

        // A real failure, placed precisely: the topic is deleted in the engine just before the alerts function's
        // first invocation for this contact, so its Publish gets SNS's NotFound; once that invocation has answered,
        // the topic is made again under the same name (so the same ARN) and the observing queue subscribed again.
        AtomicReference<StreamsEventResponse> firstAttempt = new AtomicReference<>();
        AtomicReference<Map<String, AttributeValue>> outboxAfterFailure = new AtomicReference<>();
        stack.alerts.aroundNext(event -> holdsAlertOf(event, alertKey), (event, proceed) -> {
            stack.sns.deleteTopic(r -> r.topicArn(stack.alertsTopicArn));
            assertThat(stack.sns.listTopics().topics()).noneMatch(t -> t.topicArn().equals(stack.alertsTopicArn));
            StreamsEventResponse response = proceed.get();
            firstAttempt.set(response);
            outboxAfterFailure.set(stack.items(email, "ALERT#").get(0));
            assertThat(stack.createAlertsTopic()).isEqualTo(stack.alertsTopicArn);
            return response;
        });

        assertThat(stack.submit(Forms.json("demo-request", Map.of(
                "email", email, "firstname", "Cy", "company", "Northwind", "jobtitle", "CTO", "numberofemployees", 1200)))
                .getStatusCode()).isEqualTo(202);
        stack.settle();

        // The first attempt failed on Publish and said so for its record; the stream delivery retried it.
        assertThat(firstAttempt.get()).as("the alerts function was invoked for the alert").isNotNull();
        assertThat(firstAttempt.get().getBatchItemFailures()).hasSize(1);
        assertThat(outboxAfterFailure.get()).as("the deal was made and the event put before Publish failed")
                .containsKeys("dealId", "eventPutAt").doesNotContainKey("snsMessageId");
        List<StreamsEventResponse> attempts = new ArrayList<>();
        stack.alerts.calls().stream().filter(c -> holdsAlertOf(c.event(), alertKey)).forEach(c -> attempts.add(c.response()));
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(1).getBatchItemFailures()).isEmpty();

        // One alert, one event, one deal.
        var alerts = stack.alertsFor(email);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).message().path("reason").path("code").asText()).isEqualTo("fast-track");
        assertThat(stack.qualificationEventsFor(email)).hasSize(1);
        assertThat(stack.items(email, "DEAL#")).hasSize(1);
        assertThat(stack.items(email, "ALERT#")).singleElement()
                .satisfies(item -> assertThat(item.get("snsMessageId").s()).isEqualTo(alerts.get(0).notification().path("MessageId").asText()));
        assertThat(stack.load(email).contact().stage()).isEqualTo(Stage.SALES_QUALIFIED_LEAD);
    }

    @Test
    void publishing_to_a_deleted_topic_is_a_real_NotFound_from_the_engine(Stack stack) {
        String arn = stack.sns.createTopic(r -> r.name("it-deleted-" + System.nanoTime())).topicArn();
        stack.sns.deleteTopic(r -> r.topicArn(arn));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> stack.sns.publish(r -> r.topicArn(arn).message("x")))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void a_meeting_booked_under_the_sdr_meeting_booked_preset_names_its_owner_in_the_alert_and_its_owner_attribute(Stack stack) {
        String email = Stack.email("owner");
        assertThat(stack.submit(Forms.json("ebook-download", Map.of(
                "email", email, "jobtitle", "VP Sales", "numberofemployees", 400))).getStatusCode()).isEqualTo(202);
        stack.settle();
        assertThat(stack.load(email).contact().stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);

        // A qualification function deployed with the sdr-meeting-booked preset takes the meeting's stream record.
        var sdr = new DynamoDbStreamQualificationHandler(new Env(Map.of(Env.TABLE_NAME, Stack.TABLE, Env.POLICY, "sdr-meeting-booked")));
        Stack.StreamTap tap = stack.tap(r -> Stack.qualificationFilter(r) && ("C#" + email).equals(Stack.partitionKey(r)));
        stack.putEvents(Tracking.meetingBooked(Tracking.email(email), "sam.sdr", Instant.now().plus(2, ChronoUnit.DAYS)));
        stack.trackingDelivery.drain();
        DynamodbEvent batch = new DynamodbEvent();
        batch.setRecords(tap.take());
        assertThat(batch.getRecords()).hasSize(1);
        assertThat(sdr.handleRequest(batch, LambdaContext.of("handoff-qualification")).getBatchItemFailures()).isEmpty();
        stack.settle();

        var alerts = stack.alertsFor(email);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).attribute("reason")).isEqualTo("meeting-booked");
        assertThat(alerts.get(0).attribute("owner")).isEqualTo("sam.sdr");
        assertThat(alerts.get(0).message().path("owner").asText()).isEqualTo("sam.sdr");
    }

    static boolean holdsAlertOf(DynamodbEvent event, String partitionKey) {
        return event.getRecords().stream().anyMatch(r -> partitionKey.equals(Stack.partitionKey(r))
                && Stack.sortKey(r) != null && Stack.sortKey(r).startsWith("ALERT#"));
    }
}
