package dev.handoff.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

class SqsDeliveryTest {

    private static MotoServer moto;
    private static SqsClient sqs;
    private static final AtomicInteger QUEUES = new AtomicInteger();

    private String queueUrl;
    private String queueArn;
    private String dlqUrl;

    @BeforeAll
    static void startMoto() {
        moto = new MotoServer();
        sqs = moto.sqsClient();
    }

    @AfterAll
    static void stopMoto() {
        sqs.close();
        moto.close();
    }

    /** A queue whose redrive policy moves a message to its DLQ after 2 receives, as the project's queues do. */
    @BeforeEach
    void createQueueWithDeadLetterQueue() {
        int n = QUEUES.incrementAndGet();
        dlqUrl = sqs.createQueue(r -> r.queueName("tracking-dlq-" + n)).queueUrl();
        String dlqArn = arnOf(dlqUrl);
        queueUrl = sqs.createQueue(r -> r.queueName("tracking-" + n).attributes(Map.of(
                QueueAttributeName.REDRIVE_POLICY,
                "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"2\"}"))).queueUrl();
        queueArn = arnOf(queueUrl);
    }

    private static String arnOf(String url) {
        return sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private void send(String body) {
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
    }

    private List<Message> everythingIn(String url) {
        return sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(0)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    }

    @Test
    void a_message_the_handler_keeps_failing_ends_in_the_dead_letter_queue_and_the_others_are_deleted() {
        send("good-1");
        send("bad");
        send("good-2");
        RecordingSqsHandler handler = new RecordingSqsHandler(batch -> RecordingSqsHandler.failing(batch, "bad"));

        int delivered = new SqsDelivery(sqs, queueUrl, 10, handler).drain();

        assertThat(delivered).isEqualTo(3);
        assertThat(handler.bodies()).containsExactly(List.of("good-1", "bad", "good-2"), List.of("bad"));
        assertThat(everythingIn(queueUrl)).isEmpty();
        List<Message> dead = everythingIn(dlqUrl);
        assertThat(dead).extracting(Message::body).containsExactly("bad");
    }

    @Test
    void messages_arrive_shaped_as_lambda_delivers_them() {
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody("{\"eventId\":\"e-1\"}")
                .messageAttributes(Map.of("source", MessageAttributeValue.builder()
                        .dataType("String").stringValue("handoff.tracking").build())));
        RecordingSqsHandler handler = new RecordingSqsHandler(batch -> null);

        new SqsDelivery(sqs, queueUrl, 10, handler).drain();

        SQSMessage message = handler.batches.get(0).get(0);
        assertThat(message.getMessageId()).isNotBlank();
        assertThat(message.getReceiptHandle()).isNotBlank();
        assertThat(message.getBody()).isEqualTo("{\"eventId\":\"e-1\"}");
        assertThat(message.getMd5OfBody()).isEqualTo(md5("{\"eventId\":\"e-1\"}"));
        assertThat(message.getEventSource()).isEqualTo("aws:sqs");
        assertThat(message.getEventSourceArn()).isEqualTo(queueArn);
        assertThat(message.getAwsRegion()).isEqualTo("us-east-1");
        assertThat(message.getAttributes()).containsEntry("ApproximateReceiveCount", "1")
                .containsKeys("SentTimestamp", "SenderId", "ApproximateFirstReceiveTimestamp");
        SQSEvent.MessageAttribute attribute = message.getMessageAttributes().get("source");
        assertThat(attribute.getDataType()).isEqualTo("String");
        assertThat(attribute.getStringValue()).isEqualTo("handoff.tracking");
        assertThat(attribute.getStringListValues()).isEmpty();
        assertThat(attribute.getBinaryListValues()).isEmpty();
    }

    private static String md5(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void a_handler_that_throws_gets_the_whole_batch_again_with_a_higher_receive_count() {
        send("one");
        send("two");
        AtomicInteger calls = new AtomicInteger();
        RecordingSqsHandler handler = new RecordingSqsHandler(batch -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("downstream unavailable");
            }
            return null;
        });

        int delivered = new SqsDelivery(sqs, queueUrl, 10, handler).drain();

        assertThat(delivered).isEqualTo(2);
        assertThat(handler.bodies()).containsExactly(List.of("one", "two"), List.of("one", "two"));
        assertThat(handler.batches.get(1)).extracting(m -> m.getAttributes().get("ApproximateReceiveCount"))
                .containsOnly("2");
        assertThat(everythingIn(queueUrl)).isEmpty();
        assertThat(everythingIn(dlqUrl)).isEmpty();
    }

    @Test
    void batches_are_no_larger_than_the_batch_size() {
        for (int i = 1; i <= 5; i++) {
            send("m" + i);
        }
        RecordingSqsHandler handler = new RecordingSqsHandler(batch -> null);

        int delivered = new SqsDelivery(sqs, queueUrl, 2, handler).drain();

        assertThat(delivered).isEqualTo(5);
        assertThat(handler.batches).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(2));
        assertThat(handler.bodies().stream().flatMap(List::stream)).containsExactlyInAnyOrder("m1", "m2", "m3", "m4", "m5");
    }

    @Test
    void the_background_poller_delivers_messages_sent_after_start() throws InterruptedException {
        RecordingSqsHandler handler = new RecordingSqsHandler(batch -> null);
        try (SqsDelivery delivery = SqsDelivery.builder(sqs, queueUrl, handler).pollInterval(Duration.ofMillis(20)).build()) {
            delivery.start();
            send("later");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (handler.batches.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        assertThat(handler.bodies()).containsExactly(List.of("later"));
        assertThat(everythingIn(queueUrl)).isEmpty();
    }
}
