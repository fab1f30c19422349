package dev.handoff.aws;

import static dev.handoff.aws.ContactTable.PK;
import static dev.handoff.aws.ContactTable.SK;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Finds every contact of the table: a parallel Scan ({@code Segment}/{@code TotalSegments}, one thread a segment,
 * page after page) that keeps only the profile items and projects only their key, so what it hands on is the
 * email of each contact, once. The contacts themselves are read by the caller through the repository
 * ({@link DynamoDbContacts#load}), as qualification reads them. Scan reads are eventually consistent: a contact
 * created during the scan may or may not be seen, as with any scan.
 */
public final class DynamoDbContactKeys {
    private final DynamoDbClient ddb;
    private final String table;
    private final int segments;
    private final DoubleAdder readUnits = new DoubleAdder();
    private final AtomicInteger segmentsDone = new AtomicInteger();

    /** @param segments how many segments (and threads) scan at once, 1..1000000 */
    public DynamoDbContactKeys(DynamoDbClient ddb, String table, int segments) {
        if (segments < 1 || segments > 1_000_000) throw new IllegalArgumentException("segments must be 1..1000000, was " + segments);
        this.ddb = Objects.requireNonNull(ddb, "ddb");
        this.table = Objects.requireNonNull(table, "table");
        this.segments = segments;
    }

    /**
     * Calls {@code onContact} with the email of every contact, from {@code segments} threads at once (so it must be
     * thread-safe), and returns when every segment is done. The first failure of a segment propagates.
     */
    public void forEach(Consumer<String> onContact) {
        ExecutorService pool = Executors.newFixedThreadPool(segments, r -> {
            Thread t = new Thread(r, "scan-segment");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> running = new ArrayList<>(segments);
            for (int segment = 0; segment < segments; segment++) {
                int s = segment;
                running.add(pool.submit(() -> scan(s, onContact)));
            }
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    running.forEach(other -> other.cancel(true));
                    if (e.getCause() instanceof RuntimeException r) throw r;
                    if (e.getCause() instanceof Error err) throw err;
                    throw new IllegalStateException(e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scanning " + table, e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** How many segments have been scanned to their end. */
    public int segmentsDone() {
        return segmentsDone.get();
    }

    public int segments() {
        return segments;
    }

    /** The read units the scan has consumed so far. */
    public double readUnits() {
        return readUnits.sum();
    }

    private void scan(int segment, Consumer<String> onContact) {
        Map<String, AttributeValue> startKey = null;
        do {
            ScanRequest.Builder request = ScanRequest.builder()
                    .tableName(table)
                    .segment(segment)
                    .totalSegments(segments)
                    .projectionExpression("#pk")
                    .filterExpression("#sk = :profile AND begins_with(#pk, :contact)")
                    .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                    .expressionAttributeValues(Map.of(
                            ":profile", AttributeValue.fromS(ContactTable.PROFILE),
                            ":contact", AttributeValue.fromS(ContactTable.CONTACT_PREFIX)))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
            if (startKey != null) request.exclusiveStartKey(startKey);
            ScanResponse page = ddb.scan(request.build());
            if (page.consumedCapacity() != null && page.consumedCapacity().capacityUnits() != null) {
                readUnits.add(page.consumedCapacity().capacityUnits());
            }
            for (Map<String, AttributeValue> item : page.items()) {
                if (Thread.currentThread().isInterrupted()) return;
                onContact.accept(ContactTable.emailOf(item.get(PK).s()));
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        segmentsDone.incrementAndGet();
    }
}
