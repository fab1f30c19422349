package dev.handoff.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Lambda's DynamoDB Streams event source mapping, reproduced against DynamoDB Local, so that stream handlers run
 * locally on the same batches, in the same order, with the same retry behaviour as on AWS.
 *
 * <p>What it reproduces:
 * <ul>
 *   <li>every shard is read from {@code TRIM_HORIZON} (or {@code LATEST} when asked), in order, a parent shard
 *       before its children; shards that appear later are read from their start;</li>
 *   <li>records are shaped by {@link StreamRecords} as Lambda shapes them, and delivered in batches of at most
 *       {@code batchSize};</li>
 *   <li>a record the {@linkplain Builder#filter filter} rejects is never delivered (as with FilterCriteria);</li>
 *   <li>ReportBatchItemFailures: when the handler lists failures, the records before the first failed sequence
 *       number are checkpointed and the batch is retried from that record; when it throws, or names an item that
 *       is not in the batch, the whole batch is retried;</li>
 *   <li>after {@code maxRetryAttempts} retries of the same record, the records from it to the end of the batch
 *       go to the {@linkplain Builder#onFailure on-failure callback} (Lambda's on-failure destination) and the
 *       shard moves on.</li>
 * </ul>
 *
 * <p>Two ways to run it: {@link #drain()} delivers synchronously until the stream is quiet (tests), and
 * {@link #start()}/{@link #close()} poll in the background (the local stack). Not both at once.
 */
public final class DynamoDbStreamDelivery implements Delivery {

    private static final System.Logger LOG = System.getLogger(DynamoDbStreamDelivery.class.getName());

    /** Where reading starts in the shards that exist when delivery starts. */
    public enum StartingPosition { TRIM_HORIZON, LATEST }

    /**
     * What the on-failure callback receives once a record has used up its retries, like the batch description
     * Lambda sends to an on-failure destination (here with the records themselves).
     *
     * @param records the records from the first failed one to the end of the last attempted batch, Lambda-shaped
     * @param failedSequenceNumbers the sequence numbers the handler reported (all of the batch when it threw)
     * @param attempts how many times the first record was delivered
     * @param error what the handler threw on the last attempt, or null when it reported failures
     */
    public record FailedBatch(String streamArn, String shardId, List<DynamodbStreamRecord> records,
            List<String> failedSequenceNumbers, int attempts, Throwable error) {
    }

    private final DynamoDbStreamsClient streams;
    private final String streamArn;
    private final Function<DynamodbEvent, StreamsEventResponse> handler;
    private final int batchSize;
    private final StartingPosition startingPosition;
    private final int maxRetryAttempts;
    private final Consumer<FailedBatch> onFailure;
    private final Predicate<DynamodbStreamRecord> filter;
    private final String awsRegion;
    private final int maxRounds;
    private final Poller poller;

    /** Shards by id, in the order DescribeStream lists them (parents first). */
    private final Map<String, ShardState> shards = new LinkedHashMap<>();
    private boolean initialized;

    /** With Lambda's defaults for the rest (see {@link Builder}). */
    public DynamoDbStreamDelivery(DynamoDbStreamsClient streams, String streamArn, int batchSize,
            Function<DynamodbEvent, StreamsEventResponse> handler) {
        this(builder(streams, streamArn, handler).batchSize(batchSize));
    }

    private DynamoDbStreamDelivery(Builder b) {
        this.streams = b.streams;
        this.streamArn = b.streamArn;
        this.handler = b.handler;
        this.batchSize = b.batchSize;
        this.startingPosition = b.startingPosition;
        this.maxRetryAttempts = b.maxRetryAttempts;
        this.onFailure = b.onFailure;
        this.filter = b.filter;
        this.awsRegion = b.awsRegion;
        this.maxRounds = b.maxRounds;
        this.poller = new Poller("dynamodb-stream-delivery", b.pollInterval, this::pollOnce);
    }

    public static Builder builder(DynamoDbStreamsClient streams, String streamArn,
            Function<DynamodbEvent, StreamsEventResponse> handler) {
        return new Builder(streams, streamArn, handler);
    }

    /** The table's current stream ARN (DescribeTable's LatestStreamArn); fails if the table has no stream. */
    public static String latestStreamArn(DynamoDbClient dynamoDb, String tableName) {
        String arn = dynamoDb.describeTable(r -> r.tableName(tableName)).table().latestStreamArn();
        if (arn == null) {
            throw new IllegalStateException("Table " + tableName + " has no stream: create it with a StreamSpecification");
        }
        return arn;
    }

    /**
     * Delivers everything in the stream, synchronously, until it is quiet: records that the handler's own writes
     * add to the stream are delivered too. Bounded by {@code maxRounds} polling rounds, past which it throws
     * (handlers that write on every record they receive never let a stream become quiet).
     *
     * @return how many distinct records were handed to the handler (a retried record counts once)
     */
    @Override
    public synchronized int drain() {
        return poller.drain(maxRounds, delivered -> "The stream " + streamArn + " was not quiet after " + maxRounds
                + " polling rounds (" + delivered + " records delivered): does a handler write on every record?");
    }

    /**
     * Starts the background poller. Shard positions are fixed before this returns, so with {@code LATEST} every
     * write made after {@code start()} returns is delivered.
     */
    @Override
    public synchronized void start() {
        refreshShards();
        poller.start();
    }

    /** Stops the background poller, letting a batch in flight finish. Idempotent. */
    @Override
    public void close() {
        poller.close();
    }

    /**
     * One polling round over every shard that may be read.
     *
     * @param delivered collects the sequence numbers handed to the handler, or null
     * @return how much happened (records handed over, shards found or finished): 0 means the stream is quiet
     */
    synchronized int pollOnce(Set<String> delivered) {
        int activity = refreshShards();
        for (ShardState shard : shards.values()) {
            activity += step(shard, delivered);
        }
        return activity;
    }

    /** Finds new shards (DescribeStream, paginated). Returns how many were new. */
    private int refreshShards() {
        int found = 0;
        String exclusiveStart = null;
        do {
            String start = exclusiveStart;
            StreamDescription description = streams.describeStream(r -> r.streamArn(streamArn)
                    .exclusiveStartShardId(start)).streamDescription();
            for (Shard shard : description.shards()) {
                if (!shards.containsKey(shard.shardId())) {
                    shards.put(shard.shardId(), newShard(shard));
                    found++;
                }
            }
            exclusiveStart = description.lastEvaluatedShardId();
        } while (exclusiveStart != null);
        initialized = true;
        return found;
    }

    private ShardState newShard(Shard shard) {
        ShardState state = new ShardState(shard.shardId(), shard.parentShardId());
        boolean atStart = !initialized;
        if (atStart && startingPosition == StartingPosition.LATEST) {
            boolean closed = shard.sequenceNumberRange() != null
                    && shard.sequenceNumberRange().endingSequenceNumber() != null;
            if (closed) {
                state.exhausted = true; // nothing will ever come after LATEST in a closed shard
                return state;
            }
            state.initialType = ShardIteratorType.LATEST;
        } else {
            // Lambda reads shards that appear while it runs (children of split shards) from their start.
            state.initialType = ShardIteratorType.TRIM_HORIZON;
        }
        // Opened now, not lazily: LATEST must mean "after the moment delivery started".
        state.iterator = openIterator(state.id, state.initialType, null);
        return state;
    }

    private String openIterator(String shardId, ShardIteratorType type, String sequenceNumber) {
        return streams.getShardIterator(r -> r.streamArn(streamArn).shardId(shardId)
                .shardIteratorType(type).sequenceNumber(sequenceNumber)).shardIterator();
    }

    private int step(ShardState shard, Set<String> delivered) {
        if (shard.exhausted) {
            return 0;
        }
        ShardState parent = shard.parentId == null ? null : shards.get(shard.parentId);
        if (parent != null && !parent.exhausted) {
            return 0; // a child waits until its parent is read to the end, so per-item order holds
        }
        fill(shard);
        if (shard.pending.isEmpty()) {
            if (shard.iterator == null) {
                shard.exhausted = true; // closed and read to the end
                return 1;
            }
            return 0;
        }
        List<Record> batch = new ArrayList<>(shard.pending).subList(0, Math.min(batchSize, shard.pending.size()));
        List<String> ids = batch.stream().map(r -> r.dynamodb().sequenceNumber()).toList();
        if (delivered != null) {
            delivered.addAll(ids);
        }
        BatchOutcome outcome = invoke(batch, ids);
        if (outcome.succeeded()) {
            removeHead(shard, batch.size());
            shard.failingHead = null;
            shard.attempts = 0;
            return batch.size();
        }
        int firstFailed = outcome.firstFailedIndex(ids);
        removeHead(shard, firstFailed); // checkpoint: what came before the first failure is done
        String head = ids.get(firstFailed);
        shard.attempts = head.equals(shard.failingHead) ? shard.attempts + 1 : 1;
        shard.failingHead = head;
        if (shard.attempts > maxRetryAttempts) {
            List<Record> givenUp = batch.subList(firstFailed, batch.size());
            removeHead(shard, givenUp.size());
            FailedBatch failed = new FailedBatch(streamArn, shard.id,
                    StreamRecords.toEvent(givenUp, streamArn, awsRegion).getRecords(),
                    List.copyOf(outcome.failedIds()), shard.attempts, outcome.error());
            shard.failingHead = null;
            shard.attempts = 0;
            onFailure.accept(failed);
        }
        return batch.size();
    }

    private BatchOutcome invoke(List<Record> batch, List<String> ids) {
        // Converted afresh for every attempt: a retried batch is a new event, as a new invocation would get.
        return BatchOutcome.invoke(handler, StreamRecords.toEvent(batch, streamArn, awsRegion), ids,
                BatchOutcome::reportedIds, LOG, "stream handler threw; the batch is retried");
    }

    /** Reads from the shard until a batch is buffered or the shard has nothing more for now. */
    private void fill(ShardState shard) {
        boolean reopened = false;
        while (shard.pending.size() < batchSize && shard.iterator != null) {
            GetRecordsResponse response;
            try {
                String iterator = shard.iterator;
                response = streams.getRecords(r -> r.shardIterator(iterator).limit(1000));
            } catch (ExpiredIteratorException e) {
                if (reopened) {
                    throw e;
                }
                // Iterators expire after 15 minutes; a long pause between drains must not lose the position.
                reopened = true;
                shard.iterator = shard.lastReadSequence == null
                        ? openIterator(shard.id, shard.initialType, null)
                        : openIterator(shard.id, ShardIteratorType.AFTER_SEQUENCE_NUMBER, shard.lastReadSequence);
                continue;
            }
            shard.iterator = response.nextShardIterator(); // null once a closed shard is read to its end
            if (response.records().isEmpty()) {
                return;
            }
            for (Record record : response.records()) {
                shard.lastReadSequence = record.dynamodb().sequenceNumber();
                if (filter.test(StreamRecords.toLambdaRecord(record, streamArn, awsRegion))) {
                    shard.pending.add(record);
                }
            }
        }
    }

    private static void removeHead(ShardState shard, int count) {
        for (int i = 0; i < count; i++) {
            shard.pending.poll();
        }
    }

    private static final class ShardState {
        final String id;
        final String parentId;
        ShardIteratorType initialType = ShardIteratorType.TRIM_HORIZON;
        String iterator;
        boolean exhausted;
        String lastReadSequence;
        final ArrayDeque<Record> pending = new ArrayDeque<>();
        String failingHead;
        int attempts;

        ShardState(String id, String parentId) {
            this.id = id;
            this.parentId = parentId;
        }
    }

    /** Options, with Lambda's defaults where Lambda has one that makes sense locally. */
    public static final class Builder {
        private final DynamoDbStreamsClient streams;
        private final String streamArn;
        private final Function<DynamodbEvent, StreamsEventResponse> handler;
        private int batchSize = 100;
        private StartingPosition startingPosition = StartingPosition.TRIM_HORIZON;
        private int maxRetryAttempts = 2;
        private Consumer<FailedBatch> onFailure = DynamoDbStreamDelivery::logFailure;
        private Predicate<DynamodbStreamRecord> filter = record -> true;
        private String awsRegion = LocalAws.REGION.id();
        private int maxRounds = 1_000;
        private Duration pollInterval = Duration.ofMillis(100);

        private Builder(DynamoDbStreamsClient streams, String streamArn,
                Function<DynamodbEvent, StreamsEventResponse> handler) {
            this.streams = Objects.requireNonNull(streams, "streams");
            this.streamArn = Objects.requireNonNull(streamArn, "streamArn");
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /** Records per invocation, 1..10000 (Lambda's default: 100). */
        public Builder batchSize(int batchSize) {
            this.batchSize = Settings.batchSize(batchSize);
            return this;
        }

        public Builder startingPosition(StartingPosition startingPosition) {
            this.startingPosition = Objects.requireNonNull(startingPosition, "startingPosition");
            return this;
        }

        /**
         * Retries of a failing record before it goes to the on-failure callback (Lambda's MaximumRetryAttempts;
         * its default, infinite, would never let {@link #drain()} finish, so the default here is 2).
         */
        public Builder maxRetryAttempts(int maxRetryAttempts) {
            this.maxRetryAttempts = Settings.atLeast(0, "maxRetryAttempts", maxRetryAttempts);
            return this;
        }

        /** Receives the records given up after their retries (default: logged as a warning). */
        public Builder onFailure(Consumer<FailedBatch> onFailure) {
            this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
            return this;
        }

        /** Only records it accepts are delivered (stands in for the mapping's FilterCriteria). */
        public Builder filter(Predicate<DynamodbStreamRecord> filter) {
            this.filter = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /** The {@code awsRegion} of delivered records (default us-east-1; DynamoDB Local's own is "ddblocal"). */
        public Builder awsRegion(String awsRegion) {
            this.awsRegion = Objects.requireNonNull(awsRegion, "awsRegion");
            return this;
        }

        /** Bound on {@link #drain()}'s polling rounds (default 1000). */
        public Builder maxRounds(int maxRounds) {
            this.maxRounds = Settings.atLeast(1, "maxRounds", maxRounds);
            return this;
        }

        /** How long the background poller waits after a round that found nothing (default 100 ms). */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
            return this;
        }

        public DynamoDbStreamDelivery build() {
            return new DynamoDbStreamDelivery(this);
        }
    }

    private static void logFailure(FailedBatch failed) {
        LOG.log(System.Logger.Level.WARNING, "Gave up on " + failed.records().size() + " stream record(s) of shard "
                + failed.shardId() + " after " + failed.attempts() + " attempt(s): "
                + (failed.error() != null ? "handler threw " + failed.error() : "reported " + failed.failedSequenceNumbers()));
    }
}
