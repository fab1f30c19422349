package dev.handoff.local;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * How Lambda reads a handler's answer to a batch when ReportBatchItemFailures is on (shared by the SQS and
 * DynamoDB Streams deliveries, so both read it the same way).
 *
 * <ul>
 *   <li>The handler threw: the whole batch failed.</li>
 *   <li>No response, or no {@code batchItemFailures}: the whole batch succeeded.</li>
 *   <li>Failures listed: those items failed; but if any {@code itemIdentifier} is null, blank or not an item of
 *       this batch, Lambda cannot trust the answer and treats the whole batch as failed.</li>
 * </ul>
 *
 * @param failedIds identifiers of the failed items, in batch order; empty when the batch succeeded
 * @param error what the handler threw, or null
 */
record BatchOutcome(Set<String> failedIds, Throwable error) {

    static final BatchOutcome SUCCESS = new BatchOutcome(Set.of(), null);

    /**
     * Hands one batch to the handler and reads its answer.
     *
     * @param reportedIds the item identifiers a response lists in {@code batchItemFailures} (null for a null
     *     entry), or null when the response lists none: {@link #reportedIds(SQSBatchResponse)} or
     *     {@link #reportedIds(StreamsEventResponse)}
     * @param log where a throw is logged, at DEBUG, with {@code threwMessage}
     */
    static <E, R> BatchOutcome invoke(Function<E, R> handler, E event, List<String> batchIds,
            Function<R, List<String>> reportedIds, System.Logger log, String threwMessage) {
        R response;
        try {
            response = handler.apply(event);
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.DEBUG, threwMessage, e);
            return threw(batchIds, e);
        }
        return reported(batchIds, response == null ? null : reportedIds.apply(response));
    }

    /** What an SQS handler reported (the two response classes share no type, only their shape). */
    static List<String> reportedIds(SQSBatchResponse response) {
        var failures = response.getBatchItemFailures();
        return failures == null ? null : failures.stream().map(f -> f == null ? null : f.getItemIdentifier()).toList();
    }

    /** What a DynamoDB Streams handler reported. */
    static List<String> reportedIds(StreamsEventResponse response) {
        var failures = response.getBatchItemFailures();
        return failures == null ? null : failures.stream().map(f -> f == null ? null : f.getItemIdentifier()).toList();
    }

    static BatchOutcome threw(List<String> batchIds, Throwable error) {
        return new BatchOutcome(new LinkedHashSet<>(batchIds), error);
    }

    static BatchOutcome reported(List<String> batchIds, List<String> reportedIds) {
        if (reportedIds == null || reportedIds.isEmpty()) {
            return SUCCESS;
        }
        Set<String> inBatch = new LinkedHashSet<>(batchIds);
        for (String id : reportedIds) {
            if (id == null || id.isBlank() || !inBatch.contains(id)) {
                return new BatchOutcome(inBatch, null);
            }
        }
        Set<String> failed = new LinkedHashSet<>();
        for (String id : batchIds) { // batch order, not the handler's order
            if (reportedIds.contains(id)) {
                failed.add(id);
            }
        }
        return new BatchOutcome(failed, null);
    }

    boolean succeeded() {
        return failedIds.isEmpty();
    }

    /** Index of the first failed item in the batch, or -1. */
    int firstFailedIndex(List<String> batchIds) {
        for (int i = 0; i < batchIds.size(); i++) {
            if (failedIds.contains(batchIds.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** A short human reason, for dead letters and logs. */
    String reason() {
        if (error != null) {
            return "handler threw " + error;
        }
        return "reported in batchItemFailures";
    }
}
