package dev.handoff.it;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Everything that has arrived on one observation queue since the suite started: each read takes what is waiting
 * (and deletes it), so the log is the whole history and tests pick their own contact's messages out of it.
 */
final class QueueLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One message as it arrived; {@code json} is its body parsed, or null when the body is not JSON. */
    record Received(String messageId, String body, JsonNode json, int receiveCount) {}

    private final SqsClient sqs;
    private final String queueUrl;
    private final List<Received> received = new ArrayList<>();

    QueueLog(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    /** Every message received so far, oldest first, after taking what is waiting now. */
    synchronized List<Received> all() {
        while (true) {
            List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0)
                    .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT)).messages();
            if (batch.isEmpty()) return List.copyOf(received);
            for (Message m : batch) {
                String count = m.attributesAsStrings().get("ApproximateReceiveCount");
                received.add(new Received(m.messageId(), m.body(), parse(m.body()), count == null ? 0 : Integer.parseInt(count)));
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }

    /** The messages {@code which} selects, waiting up to {@code atMost} for {@code done} to hold (async engines). */
    List<Received> await(Predicate<Received> which, Predicate<List<Received>> done, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (true) {
            List<Received> selected = all().stream().filter(which).toList();
            if (done.test(selected) || System.nanoTime() > deadline) return selected;
            sleep(200);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
