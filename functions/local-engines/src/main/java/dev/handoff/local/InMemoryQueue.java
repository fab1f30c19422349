package dev.handoff.local;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * An SQS queue with a redrive policy, in this JVM, for the local stack (which runs without moto). Lambda's side,
 * the event source mapping, is {@link SqsDelivery}, the same one that reads a real SQS endpoint: build it with
 * {@link SqsDelivery#builder(InMemoryQueue, java.util.function.Function)}.
 *
 * <p>Messages are received in order and hidden until the delivery deletes them or gives them back (visible again
 * at once, ahead of newer ones). Like a redrive policy, a message given back after {@code maxReceiveCount}
 * receives leaves the queue for the in-memory dead-letter list, with the reason of its last failure (SQS moves
 * it on the next receive; the end state is the same). {@link #send} is safe from any thread, including from
 * inside a handler.
 */
public final class InMemoryQueue {

    private static final System.Logger LOG = System.getLogger(InMemoryQueue.class.getName());

    /** The account id in local ARNs (the one DynamoDB Local uses too). */
    public static final String LOCAL_ACCOUNT_ID = "000000000000";

    /**
     * A message that used up its receives.
     *
     * @param message the message as last received (its {@code ApproximateReceiveCount} says how often)
     * @param reason why the last delivery failed: "reported in batchItemFailures" or "handler threw ..."
     * @param error what the handler threw on the last delivery, or null
     */
    public record DeadLetter(Message message, String reason, Throwable error) {
    }

    private final String name;
    private final String awsRegion;
    private final String arn;
    private final int maxReceiveCount;
    private final Consumer<DeadLetter> onDeadLetter;

    private final Object lock = new Object();
    private final ArrayDeque<Stored> visible = new ArrayDeque<>();
    private final Map<String, Stored> inFlight = new LinkedHashMap<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();

    /** Defaults: maxReceiveCount 3, region us-east-1, dead letters logged as warnings. */
    public InMemoryQueue(String name) {
        this(builder(name));
    }

    private InMemoryQueue(Builder b) {
        this.name = b.name;
        this.awsRegion = b.awsRegion;
        this.arn = "arn:aws:sqs:" + awsRegion + ":" + LOCAL_ACCOUNT_ID + ":" + name;
        this.maxReceiveCount = b.maxReceiveCount;
        this.onDeadLetter = b.onDeadLetter;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** {@code arn:aws:sqs:REGION:000000000000:NAME}, the events' {@code eventSourceARN}. */
    public String arn() {
        return arn;
    }

    String awsRegion() {
        return awsRegion;
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
            return visible.size() + inFlight.size();
        }
    }

    /** The dead-letter list so far, oldest first. */
    public List<DeadLetter> deadLetters() {
        synchronized (lock) {
            return List.copyOf(deadLetters);
        }
    }

    // What SqsDelivery calls: ReceiveMessage, DeleteMessage, ChangeMessageVisibility to 0.

    /** Up to {@code max} visible messages, now hidden, each with a fresh receipt handle and its receive counted. */
    List<Message> receive(int max) {
        long now = System.currentTimeMillis();
        List<Message> received = new ArrayList<>();
        synchronized (lock) {
            while (received.size() < max && !visible.isEmpty()) {
                Stored message = visible.pollFirst();
                message.receiveCount++;
                if (message.firstReceiveTimestamp == 0) message.firstReceiveTimestamp = now;
                message.receiptHandle = UUID.randomUUID().toString();
                inFlight.put(message.messageId, message);
                received.add(message.asSqsMessage());
            }
        }
        return received;
    }

    void delete(List<Message> messages) {
        synchronized (lock) {
            for (Message m : messages) inFlight.remove(m.messageId());
        }
    }

    /**
     * Makes failed messages visible again at once, in their order ahead of newer ones; a message that has used up
     * its receives goes to the dead-letter list instead.
     */
    void release(List<Message> messages, String reason, Throwable error) {
        List<DeadLetter> died = new ArrayList<>();
        synchronized (lock) {
            List<Stored> back = new ArrayList<>();
            for (Message m : messages) {
                Stored message = inFlight.remove(m.messageId());
                if (message == null) continue;
                if (message.receiveCount >= maxReceiveCount) died.add(new DeadLetter(m, reason, error));
                else back.add(message);
            }
            for (int i = back.size() - 1; i >= 0; i--) visible.addFirst(back.get(i));
            deadLetters.addAll(died);
        }
        died.forEach(onDeadLetter);
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

        /** As ReceiveMessage answers with every system and message attribute asked for. */
        Message asSqsMessage() {
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("ApproximateReceiveCount", Integer.toString(receiveCount));
            attributes.put("SentTimestamp", Long.toString(sentTimestamp));
            attributes.put("SenderId", LOCAL_ACCOUNT_ID);
            attributes.put("ApproximateFirstReceiveTimestamp", Long.toString(firstReceiveTimestamp));
            Map<String, MessageAttributeValue> messageAttributes = new LinkedHashMap<>();
            stringAttributes.forEach((key, value) -> messageAttributes.put(key,
                    MessageAttributeValue.builder().dataType("String").stringValue(value).build()));
            return Message.builder()
                    .messageId(messageId)
                    .receiptHandle(receiptHandle)
                    .body(body)
                    .md5OfBody(md5Hex(body))
                    .attributesWithStrings(attributes)
                    .messageAttributes(messageAttributes)
                    .build();
        }
    }

    /** Options; defaults as in the short constructor. */
    public static final class Builder {
        private final String name;
        private int maxReceiveCount = 3;
        private String awsRegion = LocalAws.REGION.id();
        private Consumer<DeadLetter> onDeadLetter = InMemoryQueue::logDeadLetter;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** Failed receives before a message goes to the dead-letter list (the redrive policy's maxReceiveCount). */
        public Builder maxReceiveCount(int maxReceiveCount) {
            this.maxReceiveCount = Settings.atLeast(1, "maxReceiveCount", maxReceiveCount);
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

        public InMemoryQueue build() {
            return new InMemoryQueue(this);
        }
    }

    private static void logDeadLetter(DeadLetter dead) {
        LOG.log(System.Logger.Level.WARNING, "Message " + dead.message().messageId() + " moved to the dead-letter "
                + "list after " + dead.message().attributesAsStrings().get("ApproximateReceiveCount") + " receives: "
                + dead.reason());
    }
}
