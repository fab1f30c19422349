package dev.handoff.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link SqsDelivery} over an {@link InMemoryQueue}: what the local stack runs. */
class InMemoryQueueTest {

    @Test
    void messages_arrive_in_batches_shaped_as_lambda_delivers_them() {
        RecordingSqsHandler handler = new RecordingSqsHandler();
        InMemoryQueue queue = new InMemoryQueue("tracking-events");
        SqsDelivery delivery = SqsDelivery.builder(queue, handler).batchSize(2).build();
        String id = queue.send("{\"eventId\":\"e-1\"}", Map.of("source", "handoff.tracking"));
        queue.send("b");
        queue.send("c");

        int delivered = delivery.drain();

        assertThat(delivered).isEqualTo(3);
        assertThat(handler.bodies()).containsExactly(List.of("{\"eventId\":\"e-1\"}", "b"), List.of("c"));
        SQSMessage message = handler.batches.get(0).get(0);
        assertThat(message.getMessageId()).isEqualTo(id);
        assertThat(message.getReceiptHandle()).isNotBlank();
        assertThat(message.getMd5OfBody()).hasSize(32);
        assertThat(message.getEventSource()).isEqualTo("aws:sqs");
        assertThat(message.getEventSourceArn()).isEqualTo("arn:aws:sqs:us-east-1:000000000000:tracking-events");
        assertThat(message.getAwsRegion()).isEqualTo("us-east-1");
        assertThat(message.getAttributes()).containsEntry("ApproximateReceiveCount", "1")
                .containsKeys("SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp");
        assertThat(message.getMessageAttributes().get("source").getStringValue()).isEqualTo("handoff.tracking");
        assertThat(queue.size()).isZero();
    }

    @Test
    void a_message_that_keeps_failing_moves_to_the_dead_letter_list_with_the_reason_and_the_others_are_deleted() {
        RecordingSqsHandler handler = new RecordingSqsHandler();
        handler.answer = batch -> RecordingSqsHandler.failing(batch, "bad");
        List<InMemoryQueue.DeadLetter> seen = new ArrayList<>();
        InMemoryQueue queue = InMemoryQueue.builder("tracking-events").maxReceiveCount(2).onDeadLetter(seen::add).build();
        queue.send("good-1");
        queue.send("bad");
        queue.send("good-2");

        int delivered = SqsDelivery.builder(queue, handler).build().drain();

        assertThat(delivered).isEqualTo(3);
        assertThat(handler.bodies()).containsExactly(List.of("good-1", "bad", "good-2"), List.of("bad"));
        assertThat(queue.size()).isZero();
        assertThat(queue.deadLetters()).singleElement().satisfies(dead -> {
            assertThat(dead.message().body()).isEqualTo("bad");
            assertThat(dead.message().attributesAsStrings()).containsEntry("ApproximateReceiveCount", "2");
            assertThat(dead.reason()).isEqualTo("reported in batchItemFailures");
            assertThat(dead.error()).isNull();
        });
        assertThat(seen).isEqualTo(queue.deadLetters());
    }

    @Test
    void a_handler_that_throws_gets_the_whole_batch_again_and_its_error_is_kept_with_the_dead_letters() {
        RecordingSqsHandler handler = new RecordingSqsHandler();
        handler.answer = batch -> {
            throw new IllegalArgumentException("cannot parse");
        };
        InMemoryQueue queue = InMemoryQueue.builder("tracking-events").maxReceiveCount(3).onDeadLetter(d -> { }).build();
        queue.send("x");
        queue.send("y");

        SqsDelivery.builder(queue, handler).build().drain();

        assertThat(handler.bodies()).containsExactly(List.of("x", "y"), List.of("x", "y"), List.of("x", "y"));
        assertThat(queue.deadLetters()).hasSize(2).allSatisfy(dead -> {
            assertThat(dead.reason()).contains("cannot parse");
            assertThat(dead.error()).isInstanceOf(IllegalArgumentException.class);
        });
    }

    @Test
    void an_unknown_item_identifier_fails_the_whole_batch() {
        RecordingSqsHandler handler = new RecordingSqsHandler();
        AtomicInteger calls = new AtomicInteger();
        handler.answer = batch -> calls.incrementAndGet() == 1
                ? new SQSBatchResponse(List.of(new SQSBatchResponse.BatchItemFailure("")))
                : null;
        InMemoryQueue queue = new InMemoryQueue("q");
        queue.send("a");
        queue.send("b");

        SqsDelivery.builder(queue, handler).build().drain();

        assertThat(handler.bodies()).containsExactly(List.of("a", "b"), List.of("a", "b"));
        assertThat(queue.deadLetters()).isEmpty();
    }

    @Test
    void messages_the_handler_sends_during_a_drain_are_delivered_by_it_too() {
        InMemoryQueue queue = new InMemoryQueue("q");
        RecordingSqsHandler handler = new RecordingSqsHandler();
        handler.answer = batch -> {
            batch.stream().filter(m -> m.getBody().equals("first")).forEach(m -> queue.send("follow-up"));
            return null;
        };
        queue.send("first");

        assertThat(SqsDelivery.builder(queue, handler).build().drain()).isEqualTo(2);
        assertThat(handler.bodies()).containsExactly(List.of("first"), List.of("follow-up"));
    }

    @Test
    void drain_fails_loudly_when_the_queue_never_empties() {
        InMemoryQueue queue = new InMemoryQueue("q");
        RecordingSqsHandler handler = new RecordingSqsHandler();
        handler.answer = batch -> {
            queue.send("again");
            return null;
        };
        SqsDelivery delivery = SqsDelivery.builder(queue, handler).maxRounds(4).build();
        queue.send("start");

        assertThatThrownBy(delivery::drain).isInstanceOf(IllegalStateException.class).hasMessageContaining("not empty after 4");
    }

    @Test
    void the_background_poller_delivers_what_is_sent_after_start() throws InterruptedException {
        RecordingSqsHandler handler = new RecordingSqsHandler();
        InMemoryQueue queue = new InMemoryQueue("q");
        try (SqsDelivery delivery = SqsDelivery.builder(queue, handler).pollInterval(Duration.ofMillis(10)).build()) {
            delivery.start();
            queue.send("later");
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (handler.batches.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThatThrownBy(delivery::drain).isInstanceOf(IllegalStateException.class);
        }
        assertThat(handler.bodies()).containsExactly(List.of("later"));
    }

    @Test
    void drain_all_runs_chained_sources_until_the_whole_system_is_at_rest() {
        RecordingSqsHandler downstream = new RecordingSqsHandler();
        InMemoryQueue alerts = new InMemoryQueue("alerts");
        RecordingSqsHandler upstream = new RecordingSqsHandler();
        upstream.answer = batch -> {
            batch.forEach(m -> alerts.send("alert for " + m.getBody()));
            return null;
        };
        InMemoryQueue tracking = new InMemoryQueue("tracking");
        tracking.send("e-1");
        tracking.send("e-2");

        int delivered = Delivery.drainAll(SqsDelivery.builder(alerts, downstream).build(),
                SqsDelivery.builder(tracking, upstream).build()); // the order does not matter

        assertThat(delivered).isEqualTo(4);
        assertThat(downstream.bodies().stream().flatMap(List::stream)).containsExactly("alert for e-1", "alert for e-2");
    }
}
