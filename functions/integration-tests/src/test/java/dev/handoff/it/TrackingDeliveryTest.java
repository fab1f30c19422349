package dev.handoff.it;

import static dev.handoff.it.Tracking.email;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.handoff.core.Signal;
import dev.handoff.core.SignalType;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/** PRODUCT §2.2 on the real queue: redeliveries count once, and a message that cannot be understood fails alone. */
@ExtendWith(StackExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TrackingDeliveryTest {

    @Test
    void the_same_event_delivered_three_times_and_resent_by_its_producer_with_a_new_EventBridge_id_is_counted_once(Stack stack) {
        String email = Stack.email("dedupe");
        Tracking.Event click = Tracking.emailClicked(email(email), "cmp-42", "https://northwind.example/pricing");

        // The same SQS body three times (SQS's at-least-once delivery, EventBridge's retries)...
        String body = click.envelope(UUID.randomUUID().toString());
        for (int i = 0; i < 3; i++) stack.sqs.sendMessage(r -> r.queueUrl(stack.trackingQueueUrl).messageBody(body));
        // ...and the producer's own retry: two PutEvents of the same detail, each given a new envelope id.
        stack.putEvents(click);
        stack.putEvents(click);
        int callsBefore = stack.tracking.calls().size();
        stack.settle();

        List<SQSEvent.SQSMessage> deliveries = new ArrayList<>();
        for (var call : stack.tracking.calls().subList(callsBefore, stack.tracking.calls().size())) {
            assertThat(call.response().getBatchItemFailures()).isEmpty();
            call.event().getRecords().stream().filter(m -> m.getBody().contains(click.eventId())).forEach(deliveries::add);
        }
        assertThat(deliveries).hasSize(5);
        assertThat(deliveries.stream().map(m -> QueueLog.json(m.getBody()).path("id").asText()).distinct())
                .as("envelope ids: one repeated three times, two new ones from EventBridge").hasSize(3);

        dev.handoff.core.SignalTally tally = stack.load(email).tally();
        assertThat(tally.total()).isEqualTo(1);
        assertThat(tally.total(SignalType.EMAIL_CLICKED)).isEqualTo(1);
        assertThat(stack.evaluate(email).engagement()).isEqualTo(3); // one click, 3 points; five would have made 15
    }

    @Test
    void a_batch_of_ten_messages_with_one_undecodable_body_applies_nine_reports_one_in_batchItemFailures_and_redrive_moves_it_to_the_DLQ(Stack stack) {
        String email = Stack.email("batch");
        var who = email(email);
        List<Tracking.Event> good = List.of(
                Tracking.pageViewed(who, "https://northwind.example/docs/a"),
                Tracking.pageViewed(who, "https://northwind.example/docs/b"),
                Tracking.pageViewed(who, "https://northwind.example/blog/c"),
                Tracking.sessionStarted(who),
                Tracking.sessionStarted(who),
                Tracking.emailOpened(who, "cmp-1"),
                Tracking.emailClicked(who, "cmp-1", "https://northwind.example/docs"),
                Tracking.contentDownloaded(who, "wp-9", "whitepaper", true),
                Tracking.webinarAttended(who, "wb-9"));
        String undecodable = "{\"source\": \"handoff.tracking\", \"detail-type\": \"PageViewed\", \"detail\": {\"eventId\": \"cut-"
                + UUID.randomUUID() + "\""; // cut short: not JSON

        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < good.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id("m" + i).messageBody(good.get(i).envelope(UUID.randomUUID().toString())).build());
        }
        entries.add(4, SendMessageBatchRequestEntry.builder().id("bad").messageBody(undecodable).build());
        assertThat(entries).hasSize(10);
        var sent = stack.sqs.sendMessageBatch(r -> r.queueUrl(stack.trackingQueueUrl).entries(entries));
        assertThat(sent.failed()).isEmpty();
        String badMessageId = sent.successful().stream().filter(s -> s.id().equals("bad")).findFirst().orElseThrow().messageId();

        int callsBefore = stack.tracking.calls().size();
        stack.settle();
        var calls = stack.tracking.calls().subList(callsBefore, stack.tracking.calls().size());

        // The first invocation had the ten, and reported exactly the undecodable one.
        var first = calls.get(0);
        assertThat(first.event().getRecords()).hasSize(10);
        assertThat(first.response().getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(badMessageId);
        // It came back alone, failed again, and after maxReceiveCount receives the queue's redrive took it.
        assertThat(calls).allSatisfy(c -> assertThat(c.response().getBatchItemFailures())
                .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier).containsOnly(badMessageId));
        assertThat(calls.stream().mapToLong(c -> c.event().getRecords().stream()
                .filter(m -> m.getMessageId().equals(badMessageId)).count()).sum()).isEqualTo(Stack.TRACKING_MAX_RECEIVE_COUNT);

        assertThat(stack.load(email).tally().total()).isEqualTo(good.size());

        assertThat(stack.deadLetters.all()).filteredOn(m -> m.body().equals(undecodable)).singleElement()
                .satisfies(m -> assertThat(m.messageId()).isEqualTo(badMessageId));
        var attributes = stack.sqs.getQueueAttributes(r -> r.queueUrl(stack.trackingQueueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        assertThat(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).isEqualTo("0");
        assertThat(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).isEqualTo("0");
    }
}
