package dev.handoff.local;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Lambda's SQS event source mapping, reproduced locally: the one emulator of it, against an SQS endpoint (moto in
 * the integration tests) or an {@link InMemoryQueue} (the local stack, which runs without moto).
 *
 * <p>Receives up to {@code batchSize} messages with all their attributes, hands them to the handler as an
 * {@link SQSEvent} filled as Lambda fills it, then, honouring ReportBatchItemFailures: deletes the messages that
 * succeeded and makes the failed ones visible again at once (Lambda waits out the visibility timeout; locally
 * there is no point). A handler that throws, or names a message that is not in the batch, fails the whole batch.
 * The queue's own redrive policy moves a message to its dead-letter queue after {@code maxReceiveCount}
 * receives, as on AWS: nothing here counts receives.
 *
 * <p>{@link #drain()} delivers synchronously until the queue is empty (tests); {@link #start()}/{@link #close()}
 * poll in the background. Not both at once.
 */
public final class SqsDelivery implements Delivery {

    private static final System.Logger LOG = System.getLogger(SqsDelivery.class.getName());

    /** Lambda's {@code eventSource} for SQS messages. */
    public static final String EVENT_SOURCE = "aws:sqs";

    /** SQS returns at most this many messages per ReceiveMessage and takes as many per batch call. */
    private static final int SQS_MAX_PER_CALL = 10;

    /** Where the messages are: the three calls a mapping makes, and the queue's ARN and region. */
    private interface Queue {
        String describe();

        String arn();

        String awsRegion();

        List<Message> receive(int max);

        void delete(List<Message> messages);

        /** Visible again at once (ChangeMessageVisibility to 0). */
        void release(List<Message> messages, BatchOutcome outcome);
    }

    private final Queue queue;
    private final Function<SQSEvent, SQSBatchResponse> handler;
    private final int batchSize;
    private final int maxRounds;
    private final Poller poller;

    /** Defaults: batch size 10, visibility timeout 30 s, at most 1000 rounds per drain, 100 ms background wait. */
    public SqsDelivery(SqsClient sqs, String queueUrl, int batchSize, Function<SQSEvent, SQSBatchResponse> handler) {
        this(builder(sqs, queueUrl, handler).batchSize(batchSize));
    }

    private SqsDelivery(Builder b) {
        this.queue = b.memory != null ? new Memory(b.memory) : new Endpoint(b.sqs, b.queueUrl, b.visibilityTimeout, b.awsRegion);
        this.handler = b.handler;
        this.batchSize = b.batchSize;
        this.maxRounds = b.maxRounds;
        this.poller = new Poller("sqs-delivery", b.pollInterval, this::pollOnce);
    }

    /** A mapping that reads the queue at {@code queueUrl} of an SQS endpoint. */
    public static Builder builder(SqsClient sqs, String queueUrl, Function<SQSEvent, SQSBatchResponse> handler) {
        return new Builder(Objects.requireNonNull(sqs, "sqs"), Objects.requireNonNull(queueUrl, "queueUrl"), null, handler);
    }

    /** A mapping that reads a queue of this JVM. */
    public static Builder builder(InMemoryQueue queue, Function<SQSEvent, SQSBatchResponse> handler) {
        return new Builder(null, null, Objects.requireNonNull(queue, "queue"), handler);
    }

    /**
     * Delivers until a receive finds the queue empty, synchronously. Failed messages come back and are retried
     * until the queue's redrive policy moves them out; without one, a message that always fails keeps the queue
     * busy and this throws after {@code maxRounds} rounds.
     *
     * @return how many distinct messages were handed to the handler (a redelivered message counts once)
     */
    @Override
    public synchronized int drain() {
        return poller.drain(maxRounds, delivered -> "The queue " + queue.describe() + " was not empty after " + maxRounds
                + " rounds (" + delivered + " messages delivered): has it a redrive policy, or does a handler send on"
                + " every message?");
    }

    @Override
    public synchronized void start() {
        queue.arn();
        poller.start();
    }

    /** Stops the background poller, letting a batch in flight finish. Idempotent. */
    @Override
    public void close() {
        poller.close();
    }

    /** One receive-invoke-acknowledge round; returns the number of messages handed to the handler. */
    synchronized int pollOnce(Set<String> delivered) {
        List<Message> messages = queue.receive(batchSize);
        if (messages.isEmpty()) {
            return 0;
        }
        List<String> ids = messages.stream().map(Message::messageId).toList();
        if (delivered != null) {
            delivered.addAll(ids);
        }
        BatchOutcome outcome = invoke(messages, ids);
        List<Message> succeeded = new ArrayList<>();
        List<Message> failed = new ArrayList<>();
        for (Message message : messages) {
            (outcome.failedIds().contains(message.messageId()) ? failed : succeeded).add(message);
        }
        if (!succeeded.isEmpty()) queue.delete(succeeded);
        if (!failed.isEmpty()) queue.release(failed, outcome);
        return messages.size();
    }

    private BatchOutcome invoke(List<Message> messages, List<String> ids) {
        SQSEvent event = new SQSEvent();
        List<SQSMessage> records = new ArrayList<>(messages.size());
        for (Message message : messages) {
            records.add(toLambdaMessage(message, queue.arn(), queue.awsRegion()));
        }
        event.setRecords(records);
        return BatchOutcome.invoke(handler, event, ids, BatchOutcome::reportedIds, LOG,
                "SQS handler threw; the batch comes back");
    }

    /** A queue of an SQS endpoint, through the SDK. */
    private static final class Endpoint implements Queue {
        private final SqsClient sqs;
        private final String queueUrl;
        private final Duration visibilityTimeout;
        private String queueArn;
        private String awsRegion;

        Endpoint(SqsClient sqs, String queueUrl, Duration visibilityTimeout, String awsRegion) {
            this.sqs = sqs;
            this.queueUrl = queueUrl;
            this.visibilityTimeout = visibilityTimeout;
            this.awsRegion = awsRegion;
        }

        @Override
        public String describe() {
            return queueUrl;
        }

        /** The queue's ARN (the events' {@code eventSourceARN}), asked once; the region defaults to the ARN's. */
        @Override
        public synchronized String arn() {
            if (queueArn == null) {
                queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                        .attributes().get(QueueAttributeName.QUEUE_ARN);
                if (awsRegion == null) {
                    String[] parts = queueArn == null ? new String[0] : queueArn.split(":");
                    awsRegion = parts.length > 3 && !parts[3].isEmpty() ? parts[3] : LocalAws.REGION.id();
                }
            }
            return queueArn;
        }

        @Override
        public synchronized String awsRegion() {
            arn();
            return awsRegion;
        }

        @Override
        public List<Message> receive(int max) {
            List<Message> messages = new ArrayList<>();
            while (messages.size() < max) {
                int wanted = Math.min(SQS_MAX_PER_CALL, max - messages.size());
                List<Message> received = sqs.receiveMessage(r -> r.queueUrl(queueUrl)
                        .maxNumberOfMessages(wanted)
                        .waitTimeSeconds(0)
                        .visibilityTimeout((int) visibilityTimeout.toSeconds())
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                        .messageAttributeNames("All")).messages();
                messages.addAll(received);
                if (received.size() < wanted) {
                    break;
                }
            }
            return messages;
        }

        @Override
        public void delete(List<Message> messages) {
            inBatchCalls(messages,
                    (id, message) -> DeleteMessageBatchRequestEntry.builder()
                            .id(id).receiptHandle(message.receiptHandle()).build(),
                    entries -> {
                        var response = sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
                        if (response.hasFailed() && !response.failed().isEmpty()) {
                            LOG.log(System.Logger.Level.WARNING, "SQS did not delete " + response.failed()
                                    + "; those messages will be delivered again");
                        }
                    });
        }

        @Override
        public void release(List<Message> messages, BatchOutcome outcome) {
            inBatchCalls(messages,
                    (id, message) -> ChangeMessageVisibilityBatchRequestEntry.builder()
                            .id(id).receiptHandle(message.receiptHandle()).visibilityTimeout(0).build(),
                    entries -> sqs.changeMessageVisibilityBatch(r -> r.queueUrl(queueUrl).entries(entries)));
        }

        /** Makes one batch call per {@link #SQS_MAX_PER_CALL} messages, each entry's id its index in the call. */
        private static <E> void inBatchCalls(List<Message> messages, BiFunction<String, Message, E> entry,
                Consumer<List<E>> call) {
            for (int from = 0; from < messages.size(); from += SQS_MAX_PER_CALL) {
                List<Message> chunk = messages.subList(from, Math.min(messages.size(), from + SQS_MAX_PER_CALL));
                List<E> entries = new ArrayList<>();
                for (int i = 0; i < chunk.size(); i++) {
                    entries.add(entry.apply(Integer.toString(i), chunk.get(i)));
                }
                call.accept(entries);
            }
        }
    }

    /** A queue of this JVM; its redrive policy keeps the reason of a dead letter's last failure. */
    private record Memory(InMemoryQueue queue) implements Queue {
        @Override
        public String describe() {
            return queue.name();
        }

        @Override
        public String arn() {
            return queue.arn();
        }

        @Override
        public String awsRegion() {
            return queue.awsRegion();
        }

        @Override
        public List<Message> receive(int max) {
            return queue.receive(max);
        }

        @Override
        public void delete(List<Message> messages) {
            queue.delete(messages);
        }

        @Override
        public void release(List<Message> messages, BatchOutcome outcome) {
            queue.release(messages, outcome.reason(), outcome.error());
        }
    }

    /**
     * One SQS message as Lambda hands it over: messageId, receiptHandle, body, md5OfBody, md5OfMessageAttributes,
     * attributes (ApproximateReceiveCount, SentTimestamp, SenderId, ApproximateFirstReceiveTimestamp, ...),
     * messageAttributes, eventSource {@code aws:sqs}, eventSourceARN and awsRegion.
     */
    public static SQSMessage toLambdaMessage(Message message, String queueArn, String awsRegion) {
        SQSMessage out = new SQSMessage();
        out.setMessageId(message.messageId());
        out.setReceiptHandle(message.receiptHandle());
        out.setBody(message.body());
        out.setMd5OfBody(message.md5OfBody());
        out.setMd5OfMessageAttributes(message.md5OfMessageAttributes());
        out.setAttributes(new LinkedHashMap<>(message.attributesAsStrings()));
        Map<String, SQSEvent.MessageAttribute> attributes = new LinkedHashMap<>();
        message.messageAttributes().forEach((name, value) -> attributes.put(name, toLambdaAttribute(value)));
        out.setMessageAttributes(attributes);
        out.setEventSource(EVENT_SOURCE);
        out.setEventSourceArn(queueArn);
        out.setAwsRegion(awsRegion);
        return out;
    }

    private static SQSEvent.MessageAttribute toLambdaAttribute(MessageAttributeValue value) {
        SQSEvent.MessageAttribute out = new SQSEvent.MessageAttribute();
        out.setDataType(value.dataType());
        out.setStringValue(value.stringValue());
        out.setBinaryValue(value.binaryValue() == null ? null : toByteBuffer(value.binaryValue()));
        // Lambda's JSON always has both lists, empty when unused.
        out.setStringListValues(new ArrayList<>(value.stringListValues()));
        out.setBinaryListValues(new ArrayList<>(value.binaryListValues().stream().map(SqsDelivery::toByteBuffer).toList()));
        return out;
    }

    private static ByteBuffer toByteBuffer(SdkBytes bytes) {
        return ByteBuffer.wrap(bytes.asByteArray());
    }

    /** Options; defaults as in the short constructor. */
    public static final class Builder {
        private final SqsClient sqs;
        private final String queueUrl;
        private final InMemoryQueue memory;
        private final Function<SQSEvent, SQSBatchResponse> handler;
        private int batchSize = 10;
        private int maxRounds = 1_000;
        private Duration visibilityTimeout = Duration.ofSeconds(30);
        private Duration pollInterval = Duration.ofMillis(100);
        private String awsRegion;

        private Builder(SqsClient sqs, String queueUrl, InMemoryQueue memory, Function<SQSEvent, SQSBatchResponse> handler) {
            this.sqs = sqs;
            this.queueUrl = queueUrl;
            this.memory = memory;
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /** Messages per invocation, 1..10000 (Lambda's default: 10); received 10 at a time. */
        public Builder batchSize(int batchSize) {
            this.batchSize = Settings.batchSize(batchSize);
            return this;
        }

        /** Bound on {@link #drain()}'s rounds (default 1000). */
        public Builder maxRounds(int maxRounds) {
            this.maxRounds = Settings.atLeast(1, "maxRounds", maxRounds);
            return this;
        }

        /** How long received messages of an endpoint stay hidden while the handler runs (default 30 s). */
        public Builder visibilityTimeout(Duration visibilityTimeout) {
            this.visibilityTimeout = Objects.requireNonNull(visibilityTimeout, "visibilityTimeout");
            return this;
        }

        /** How long the background poller waits after an empty receive (default 100 ms). */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
            return this;
        }

        /** The events' {@code awsRegion} for an endpoint's queue (default: the region in the queue's ARN). */
        public Builder awsRegion(String awsRegion) {
            this.awsRegion = Objects.requireNonNull(awsRegion, "awsRegion");
            return this;
        }

        public SqsDelivery build() {
            return new SqsDelivery(this);
        }
    }
}
