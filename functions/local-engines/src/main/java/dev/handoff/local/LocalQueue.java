package dev.handoff.local;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An SQS queue with a dead-letter queue and a Lambda consumer, all in this JVM, for the local stack (which runs
 * without moto). Delivery follows {@link SqsDelivery}: batches of up to {@code batchSize} shaped as Lambda shapes
 * them, ReportBatchItemFailures honoured (a throw, or an unknown item identifier, fails the whole batch),
 * succeeded messages deleted, failed ones visible again at once.
 *
 * <p>Like a redrive policy, a message that has failed {@code maxReceiveCount} receives leaves the queue for the
 * in-memory dead-letter list, with the reason of its last failure. (SQS moves it on the next receive; the end
 * state is the same.) {@link #send} is safe from any thread, including from inside a handler.
 */
public final class LocalQueue implements Delivery {

    private static final System.Logger LOG = System.getLogger(LocalQueue.class.getName());

    /** The account id in local ARNs (the one DynamoDB Local uses too). */
    public static final String LOCAL_ACCOUNT_ID = "000000000000";

    /**
     * A message that used up its receives.
     *
     * @param message the message as last delivered (its ApproximateReceiveCount says how often)
     * @param reason why the last delivery failed: "reported in batchItemFailures" or "handler threw ..."
     * @param error what the handler threw on the last delivery, or null
     */
    public record DeadLetter(SQSMessage message, String reason, Throwable error) {
    }

    private final String name;
    private final String arn;
    private final String awsRegion;
    private final Function<SQSEvent, SQSBatchResponse> handler;
    private final int batchSize;
    private final int maxReceiveCount;
    private final int maxRounds;
    private final Consumer<DeadLetter> onDeadLetter;
    private final Poller poller;

    private final Object lock = new Object();
    private final ArrayDeque<Stored> visible = new ArrayDeque<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private int inFlight;

    /** Defaults: batch size 10, maxReceiveCount 3. */
    public LocalQueue(String name, Function<SQSEvent, SQSBatchResponse> handler) {
        this(builder(name, handler));
    }

    private LocalQueue(Builder b) {
        this.name = b.name;
        this.awsRegion = b.awsRegion;
        this.arn = "arn:aws:sqs:" + awsRegion + ":" + LOCAL_ACCOUNT_ID + ":" + name;
        this.handler = b.handler;
        this.batchSize = b.batchSize;
        this.maxReceiveCount = b.maxReceiveCount;
        this.maxRounds = b.maxRounds;
        this.onDeadLetter = b.onDeadLetter;
        this.poller = new Poller("local-queue-" + name, b.pollInterval, this::pollOnce);
    }

    public static Builder builder(String name, Function<SQSEvent, SQSBatchResponse> handler) {
        return new Builder(name, handler);
    }

    public String name() {
        return name;
    }

    /** {@code arn:aws:sqs:REGION:000000000000:NAME}, the events' {@code eventSourceARN}. */
    public String arn() {
        return arn;
    }

    /** Enqueues a message; returns its message id. */
    public String send(String body) {
        return send(body, Map.of());
    }

    /** Enqueues a message with string message attributes; returns its message id. */
    public String send(String body, Map<String, String> stringAttributes) {
        Objects.requireNonNull(body, "body");
        Stored stored = new Stored(UUID.randomUUID().toString(), body, Map.copyOf(stringAttributes),
                System.currentTimeMillis());
        synchronized (lock) {
            visible.addLast(stored);
        }
        return stored.messageId;
    }

    /** Messages waiting or being processed (SQS's ApproximateNumberOfMessages plus NotVisible). */
    public int size() {
        synchronized (lock) {
            return visible.size() + inFlight;
        }
    }

    /** The dead-letter list so far, oldest first. */
    public List<DeadLetter> deadLetters() {
        synchronized (lock) {
            return List.copyOf(deadLetters);
        }
    }

    /**
     * Delivers until the queue is empty, synchronously; messages sent by the handler meanwhile are delivered too.
     *
     * @return how many distinct messages were handed to the handler (a redelivered message counts once)
     */
    @Override
    public synchronized int drain() {
        return poller.drain(maxRounds, delivered -> "The local queue " + name + " was not empty after " + maxRounds
                + " rounds (" + delivered + " messages delivered): does a handler send on every message?");
    }

    @Override
    public void start() {
        poller.start();
    }

    /** Stops the background poller, letting a batch in flight finish. Messages left stay queued. Idempotent. */
    @Override
    public void close() {
        poller.close();
    }

    /** One receive-invoke-acknowledge round; returns the number of messages handed to the handler. */
    synchronized int pollOnce(Set<String> delivered) {
        List<Stored> batch = new ArrayList<>();
        long now = System.currentTimeMillis();
        synchronized (lock) {
            while (batch.size() < batchSize && !visible.isEmpty()) {
                Stored message = visible.pollFirst();
                message.receiveCount++;
                if (message.firstReceiveTimestamp == 0) {
                    message.firstReceiveTimestamp = now;
                }
                message.receiptHandle = UUID.randomUUID().toString();
                batch.add(message);
            }
            inFlight = batch.size();
        }
        if (batch.isEmpty()) {
            return 0;
        }
        List<String> ids = batch.stream().map(m -> m.messageId).toList();
        if (delivered != null) {
            delivered.addAll(ids);
        }
        List<SQSMessage> records = batch.stream().map(this::toLambdaMessage).toList();
        BatchOutcome outcome = invoke(records, ids);
        List<DeadLetter> died = new ArrayList<>();
        synchronized (lock) {
            List<Stored> back = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                Stored message = batch.get(i);
                if (!outcome.failedIds().contains(message.messageId)) {
                    continue; // deleted
                }
                if (message.receiveCount >= maxReceiveCount) {
                    died.add(new DeadLetter(records.get(i), outcome.reason(), outcome.error()));
                } else {
                    back.add(message);
                }
            }
            // Failed messages are visible again at once, ahead of newer ones, in their original order.
            for (int i = back.size() - 1; i >= 0; i--) {
                visible.addFirst(back.get(i));
            }
            deadLetters.addAll(died);
            inFlight = 0;
        }
        died.forEach(onDeadLetter);
        return batch.size();
    }

    private BatchOutcome invoke(List<SQSMessage> records, List<String> ids) {
        SQSEvent event = new SQSEvent();
        event.setRecords(new ArrayList<>(records));
        return BatchOutcome.invoke(handler, event, ids, BatchOutcome::reportedIds, LOG,
                "handler of local queue " + name + " threw; the batch comes back");
    }

    private SQSMessage toLambdaMessage(Stored message) {
        SQSMessage out = new SQSMessage();
        out.setMessageId(message.messageId);
        out.setReceiptHandle(message.receiptHandle);
        out.setBody(message.body);
        out.setMd5OfBody(md5Hex(message.body));
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("ApproximateReceiveCount", Integer.toString(message.receiveCount));
        attributes.put("SentTimestamp", Long.toString(message.sentTimestamp));
        attributes.put("SenderId", LOCAL_ACCOUNT_ID);
        attributes.put("ApproximateFirstReceiveTimestamp", Long.toString(message.firstReceiveTimestamp));
        out.setAttributes(attributes);
        Map<String, SQSEvent.MessageAttribute> messageAttributes = new LinkedHashMap<>();
        message.stringAttributes.forEach((key, value) -> {
            SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
            attribute.setDataType("String");
            attribute.setStringValue(value);
            attribute.setStringListValues(new ArrayList<>());
            attribute.setBinaryListValues(new ArrayList<>());
            messageAttributes.put(key, attribute);
        });
        out.setMessageAttributes(messageAttributes);
        out.setEventSource(SqsDelivery.EVENT_SOURCE);
        out.setEventSourceArn(arn);
        out.setAwsRegion(awsRegion);
        return out;
    }

    private static String md5Hex(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is always available in the JDK", e);
        }
    }

    private static final class Stored {
        final String messageId;
        final String body;
        final Map<String, String> stringAttributes;
        final long sentTimestamp;
        int receiveCount;
        long firstReceiveTimestamp;
        String receiptHandle;

        Stored(String messageId, String body, Map<String, String> stringAttributes, long sentTimestamp) {
            this.messageId = messageId;
            this.body = body;
            this.stringAttributes = stringAttributes;
            this.sentTimestamp = sentTimestamp;
        }
    }

    /** Options; defaults as in the short constructor. */
    public static final class Builder {
        private final String name;
        private final Function<SQSEvent, SQSBatchResponse> handler;
        private int batchSize = 10;
        private int maxReceiveCount = 3;
        private int maxRounds = 1_000;
        private Duration pollInterval = Duration.ofMillis(100);
        private String awsRegion = LocalAws.REGION.id();
        private Consumer<DeadLetter> onDeadLetter = LocalQueue::logDeadLetter;

        private Builder(String name, Function<SQSEvent, SQSBatchResponse> handler) {
            this.name = Objects.requireNonNull(name, "name");
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /** Messages per invocation, 1..10000 (Lambda's default: 10). */
        public Builder batchSize(int batchSize) {
            this.batchSize = Settings.batchSize(batchSize);
            return this;
        }

        /** Failed receives before a message goes to the dead-letter list (the redrive policy's maxReceiveCount). */
        public Builder maxReceiveCount(int maxReceiveCount) {
            this.maxReceiveCount = Settings.atLeast(1, "maxReceiveCount", maxReceiveCount);
            return this;
        }

        /** Bound on {@link #drain()}'s rounds (default 1000). */
        public Builder maxRounds(int maxRounds) {
            this.maxRounds = Settings.atLeast(1, "maxRounds", maxRounds);
            return this;
        }

        /** How long the background poller waits when the queue is empty (default 100 ms). */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
            return this;
        }

        public Builder awsRegion(String awsRegion) {
            this.awsRegion = Objects.requireNonNull(awsRegion, "awsRegion");
            return this;
        }

        /** Called for each message moved to the dead-letter list (default: logged as a warning). */
        public Builder onDeadLetter(Consumer<DeadLetter> onDeadLetter) {
            this.onDeadLetter = Objects.requireNonNull(onDeadLetter, "onDeadLetter");
            return this;
        }

        public LocalQueue build() {
            return new LocalQueue(this);
        }
    }

    private static void logDeadLetter(DeadLetter dead) {
        LOG.log(System.Logger.Level.WARNING, "Message " + dead.message().getMessageId() + " moved to the dead-letter "
                + "list after " + dead.message().getAttributes().get("ApproximateReceiveCount") + " receives: "
                + dead.reason());
    }
}
