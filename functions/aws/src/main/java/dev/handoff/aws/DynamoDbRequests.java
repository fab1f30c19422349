package dev.handoff.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The requests Handoff's DynamoDB adapters make on the one table, with what they share: the consumed capacity
 * reported to a listener (tests and scripts/cost.sh measure with it), a transaction tried again when it was only
 * cancelled by a conflicting one, and batch deletes that retry unprocessed items. Errors propagate.
 */
public final class DynamoDbRequests {

    /** What one request consumed. */
    public record Capacity(String operation, boolean write, double units) {}

    static final int TRANSACTION_ATTEMPTS = 5;
    static final int BATCH_WRITE_ATTEMPTS = 8;
    private static final int BATCH_WRITE_SIZE = 25;
    private static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailed";
    private static final String TRANSACTION_CONFLICT = "TransactionConflict";

    private final DynamoDbClient ddb;
    private final String table;
    private final Consumer<Capacity> capacityListener;
    private final ReturnConsumedCapacity returnCapacity;

    /** @param capacityListener when not null, every request asks for its consumed capacity and reports it here */
    public DynamoDbRequests(DynamoDbClient ddb, String table, Consumer<Capacity> capacityListener) {
        this.ddb = Objects.requireNonNull(ddb, "ddb");
        this.table = Objects.requireNonNull(table, "table");
        this.capacityListener = capacityListener;
        this.returnCapacity = capacityListener == null ? ReturnConsumedCapacity.NONE : ReturnConsumedCapacity.TOTAL;
    }

    String table() {
        return table;
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(ContactTable.PK, AttributeValue.fromS(pk), ContactTable.SK, AttributeValue.fromS(sk));
    }

    /** The item, or null when there is none. */
    Map<String, AttributeValue> get(String pk, String sk, boolean consistent) {
        GetItemResponse response = ddb.getItem(b -> b.tableName(table).key(key(pk, sk)).consistentRead(consistent)
                .returnConsumedCapacity(returnCapacity));
        report("GetItem", false, response.consumedCapacity());
        return response.hasItem() && !response.item().isEmpty() ? response.item() : null;
    }

    GetItemResponse get(java.util.function.Consumer<software.amazon.awssdk.services.dynamodb.model.GetItemRequest.Builder> request) {
        GetItemResponse response = ddb.getItem(b -> {
            request.accept(b);
            b.tableName(table).returnConsumedCapacity(returnCapacity);
        });
        report("GetItem", false, response.consumedCapacity());
        return response;
    }

    /** @throws software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException when its condition fails */
    void put(PutItemRequest.Builder request) {
        PutItemResponse response = ddb.putItem(request.tableName(table).returnConsumedCapacity(returnCapacity).build());
        report("PutItem", true, response.consumedCapacity());
    }

    /** @throws software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException when its condition fails */
    UpdateItemResponse update(UpdateItemRequest.Builder request) {
        UpdateItemResponse response = ddb.updateItem(request.tableName(table).returnConsumedCapacity(returnCapacity).build());
        report("UpdateItem", true, response.consumedCapacity());
        return response;
    }

    /** Every item of a partition, or of its sort keys beginning with {@code skPrefix} (null: all), read consistently. */
    List<Map<String, AttributeValue>> query(String pk, String skPrefix) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> startKey = null;
        do {
            QueryRequest.Builder request = QueryRequest.builder()
                    .tableName(table)
                    .consistentRead(true)
                    .returnConsumedCapacity(returnCapacity);
            if (skPrefix == null) {
                request.keyConditionExpression("#pk = :pk")
                        .expressionAttributeNames(Map.of("#pk", ContactTable.PK))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)));
            } else {
                request.keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                        .expressionAttributeNames(Map.of("#pk", ContactTable.PK, "#sk", ContactTable.SK))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk), ":prefix", AttributeValue.fromS(skPrefix)));
            }
            if (startKey != null) request.exclusiveStartKey(startKey);
            QueryResponse page = ddb.query(request.build());
            report("Query", false, page.consumedCapacity());
            items.addAll(page.items());
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (startKey != null);
        return items;
    }

    /**
     * The items of a partition with sort keys from {@code from} to {@code to} (both included), read in ascending
     * order (consistently or not), a first page of {@code firstPage} items and then larger ones, handed to {@code more}
     * one by one until it answers false or the range ends: so that a caller reading a partition's newest log items
     * pays only for the items it needs.
     */
    void queryRange(String pk, String from, String to, int firstPage, boolean consistent,
            java.util.function.Predicate<Map<String, AttributeValue>> more) {
        Map<String, AttributeValue> startKey = null;
        int limit = firstPage;
        do {
            QueryRequest.Builder request = QueryRequest.builder()
                    .tableName(table)
                    .consistentRead(consistent)
                    .returnConsumedCapacity(returnCapacity)
                    .keyConditionExpression("#pk = :pk AND #sk BETWEEN :from AND :to")
                    .expressionAttributeNames(Map.of("#pk", ContactTable.PK, "#sk", ContactTable.SK))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk), ":from", AttributeValue.fromS(from),
                            ":to", AttributeValue.fromS(to)))
                    .limit(limit);
            if (startKey != null) request.exclusiveStartKey(startKey);
            QueryResponse page = ddb.query(request.build());
            report("Query", false, page.consumedCapacity());
            for (Map<String, AttributeValue> item : page.items()) if (!more.test(item)) return;
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            limit = Math.min(limit * 4, 1000);
        } while (startKey != null);
    }

    void delete(String pk, String sk) {
        var response = ddb.deleteItem(b -> b.tableName(table).key(key(pk, sk)).returnConsumedCapacity(returnCapacity));
        report("DeleteItem", true, response.consumedCapacity());
    }

    static TransactWriteItem put(Put put) {
        return TransactWriteItem.builder().put(put).build();
    }

    static TransactWriteItem update(Update update) {
        return TransactWriteItem.builder().update(update).build();
    }

    /**
     * Runs a transaction. Returns null when it was written, and the cancellation when an item's condition failed
     * (the caller tells which with {@link #conditionFailed}); a cancellation only by conflicting transactions (which
     * writes nothing) is tried again a few times; anything else propagates.
     */
    TransactionCanceledException transact(List<TransactWriteItem> writes) {
        for (int attempt = 1; ; attempt++) {
            try {
                TransactWriteItemsResponse response = ddb.transactWriteItems(b -> b
                        .transactItems(writes)
                        .returnConsumedCapacity(returnCapacity));
                if (response.hasConsumedCapacity()) {
                    for (ConsumedCapacity c : response.consumedCapacity()) report("TransactWriteItems", true, c);
                }
                return null;
            } catch (TransactionCanceledException e) {
                List<String> codes = reasonCodes(e);
                if (codes.contains(CONDITIONAL_CHECK_FAILED)) return e;
                if (codes.contains(TRANSACTION_CONFLICT) && attempt < TRANSACTION_ATTEMPTS) {
                    pause(attempt, e);
                    continue;
                }
                throw e;
            }
        }
    }

    /** Whether the {@code index}-th write of a cancelled transaction failed its condition. */
    static boolean conditionFailed(TransactionCanceledException e, int index) {
        List<String> codes = reasonCodes(e);
        return index < codes.size() && CONDITIONAL_CHECK_FAILED.equals(codes.get(index));
    }

    private static List<String> reasonCodes(TransactionCanceledException e) {
        if (!e.hasCancellationReasons()) return List.of();
        return e.cancellationReasons().stream().map(CancellationReason::code).map(c -> c == null ? "None" : c).toList();
    }

    /** Deletes these keys with BatchWriteItem, 25 a request, retrying unprocessed items with backoff. */
    void deleteAll(List<Map<String, AttributeValue>> keys) {
        for (int from = 0; from < keys.size(); from += BATCH_WRITE_SIZE) {
            List<WriteRequest> pending = keys.subList(from, Math.min(keys.size(), from + BATCH_WRITE_SIZE)).stream()
                    .map(k -> WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(k).build()).build())
                    .toList();
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                List<WriteRequest> batch = pending;
                BatchWriteItemResponse response = ddb.batchWriteItem(b -> b
                        .requestItems(Map.of(table, batch))
                        .returnConsumedCapacity(returnCapacity));
                if (response.hasConsumedCapacity()) {
                    for (ConsumedCapacity c : response.consumedCapacity()) report("BatchWriteItem", true, c);
                }
                List<WriteRequest> unprocessed = response.hasUnprocessedItems()
                        ? response.unprocessedItems().getOrDefault(table, List.of()) : List.of();
                if (unprocessed.isEmpty()) break;
                if (attempt >= BATCH_WRITE_ATTEMPTS) {
                    throw new IllegalStateException(unprocessed.size() + " deletes were still unprocessed after "
                            + attempt + " attempts; erasing again finishes the work");
                }
                sleepBeforeRetry(attempt);
                pending = unprocessed;
            }
        }
    }

    private static void sleepBeforeRetry(int attempt) {
        try {
            // Exponential backoff with jitter, as the SDK's own retries: 50 ms, 100 ms, ... at most 1.6 s.
            long cap = 50L << Math.min(attempt - 1, 5);
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while erasing", interrupted);
        }
    }

    /** A short random pause before trying a write again that raced another. */
    static void pause(int attempt, RuntimeException cause) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 25L * attempt));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw cause;
        }
    }

    private void report(String operation, boolean write, ConsumedCapacity consumed) {
        if (capacityListener == null || consumed == null || consumed.capacityUnits() == null) return;
        capacityListener.accept(new Capacity(operation, write, consumed.capacityUnits()));
    }
}
