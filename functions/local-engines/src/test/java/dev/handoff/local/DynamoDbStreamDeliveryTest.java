package dev.handoff.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

class DynamoDbStreamDeliveryTest {

    private static EmbeddedDynamoDb ddb;
    private static final AtomicInteger TABLES = new AtomicInteger();

    private DynamoDbClient client;
    private String table;
    private String streamArn;

    @BeforeAll
    static void startDynamoDbLocal() {
        ddb = new EmbeddedDynamoDb();
    }

    @AfterAll
    static void stopDynamoDbLocal() {
        ddb.close();
    }

    @BeforeEach
    void createTableWithStream() {
        client = ddb.client();
        table = "leads-" + TABLES.incrementAndGet();
        streamArn = client.createTable(r -> r.tableName(table)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)))
                .tableDescription().latestStreamArn();
    }

    private void put(String pk, String sk, Map<String, AttributeValue> extra) {
        Map<String, AttributeValue> item = new HashMap<>(extra);
        item.put("pk", AttributeValue.fromS(pk));
        item.put("sk", AttributeValue.fromS(sk));
        client.putItem(r -> r.tableName(table).item(item));
    }

    private void put(String pk) {
        put(pk, "profile", Map.of());
    }

    /** A handler that records every batch it sees and answers with {@code answer}. */
    private static final class Recording implements Function<DynamodbEvent, StreamsEventResponse> {
        final List<List<DynamodbStreamRecord>> batches = new CopyOnWriteArrayList<>();
        final Function<List<DynamodbStreamRecord>, StreamsEventResponse> answer;

        Recording(Function<List<DynamodbStreamRecord>, StreamsEventResponse> answer) {
            this.answer = answer;
        }

        @Override
        public StreamsEventResponse apply(DynamodbEvent event) {
            batches.add(event.getRecords());
            return answer.apply(event.getRecords());
        }

        List<List<String>> pks() {
            return batches.stream().map(b -> b.stream().map(DynamoDbStreamDeliveryTest::pk).toList()).toList();
        }
    }

    private static String pk(DynamodbStreamRecord record) {
        return record.getDynamodb().getKeys().get("pk").getS();
    }

    private static StreamsEventResponse failing(List<DynamodbStreamRecord> batch, String pk) {
        List<StreamsEventResponse.BatchItemFailure> failures = new ArrayList<>();
        for (DynamodbStreamRecord record : batch) {
            if (pk(record).equals(pk)) {
                failures.add(new StreamsEventResponse.BatchItemFailure(record.getDynamodb().getSequenceNumber()));
            }
        }
        return new StreamsEventResponse(failures);
    }

    @Test
    void every_attribute_type_arrives_as_lambda_shapes_it() {
        Instant before = Instant.now().minusSeconds(60);
        put("ana@acme.com", "profile", Map.of(
                "s", AttributeValue.fromS("text"),
                "n", AttributeValue.fromN("42.5"),
                "b", AttributeValue.fromB(SdkBytes.fromUtf8String("bytes")),
                "ss", AttributeValue.fromSs(List.of("a", "b")),
                "ns", AttributeValue.fromNs(List.of("1", "2")),
                "bs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("x"), SdkBytes.fromUtf8String("y"))),
                "m", AttributeValue.fromM(Map.of("inner", AttributeValue.fromM(Map.of("deep", AttributeValue.fromN("7"))),
                        "flag", AttributeValue.fromBool(false))),
                "l", AttributeValue.fromL(List.of(AttributeValue.fromS("one"), AttributeValue.fromL(List.of(AttributeValue.fromN("2"))),
                        AttributeValue.fromNul(true))),
                "nul", AttributeValue.fromNul(true),
                "bool", AttributeValue.fromBool(true)));
        put("ana@acme.com", "empty", Map.of("emptyL", AttributeValue.fromL(List.of()), "emptyM", AttributeValue.fromM(Map.of())));
        Recording handler = new Recording(batch -> null);

        int delivered = new DynamoDbStreamDelivery(ddb.streamsClient(), streamArn, 100, handler).drain();

        assertThat(delivered).isEqualTo(2);
        assertThat(handler.batches).hasSize(1);
        DynamodbStreamRecord record = handler.batches.get(0).get(0);
        assertThat(record.getEventID()).isNotBlank();
        assertThat(record.getEventName()).isEqualTo("INSERT");
        assertThat(record.getEventVersion()).isNotBlank();
        assertThat(record.getEventSource()).isEqualTo("aws:dynamodb");
        assertThat(record.getAwsRegion()).isEqualTo("us-east-1");
        assertThat(record.getEventSourceARN()).isEqualTo(streamArn);
        var dynamodb = record.getDynamodb();
        assertThat(dynamodb.getKeys()).containsOnlyKeys("pk", "sk");
        assertThat(dynamodb.getKeys().get("pk").getS()).isEqualTo("ana@acme.com");
        assertThat(dynamodb.getOldImage()).isNull();
        assertThat(dynamodb.getSequenceNumber()).isNotBlank();
        assertThat(dynamodb.getSizeBytes()).isPositive();
        assertThat(dynamodb.getStreamViewType()).isEqualTo("NEW_AND_OLD_IMAGES");
        assertThat(dynamodb.getApproximateCreationDateTime()).isAfter(java.util.Date.from(before));

        var image = dynamodb.getNewImage();
        assertThat(image.get("s").getS()).isEqualTo("text");
        assertThat(image.get("n").getN()).isEqualTo("42.5");
        assertThat(utf8(image.get("b").getB())).isEqualTo("bytes");
        assertThat(image.get("ss").getSS()).containsExactlyInAnyOrder("a", "b");
        assertThat(image.get("ns").getNS()).containsExactlyInAnyOrder("1", "2");
        assertThat(image.get("bs").getBS()).extracting(DynamoDbStreamDeliveryTest::utf8).containsExactlyInAnyOrder("x", "y");
        assertThat(image.get("m").getM().get("inner").getM().get("deep").getN()).isEqualTo("7");
        assertThat(image.get("m").getM().get("flag").getBOOL()).isFalse();
        assertThat(image.get("l").getL()).hasSize(3);
        assertThat(image.get("l").getL().get(0).getS()).isEqualTo("one");
        assertThat(image.get("l").getL().get(1).getL().get(0).getN()).isEqualTo("2");
        assertThat(image.get("l").getL().get(2).getNULL()).isTrue();
        assertThat(image.get("nul").getNULL()).isTrue();
        assertThat(image.get("bool").getBOOL()).isTrue();
        // Attributes of other types stay unset, as in Lambda's deserialised events.
        assertThat(image.get("s").getN()).isNull();
        assertThat(image.get("s").getL()).isNull();
        assertThat(image.get("s").getM()).isNull();

        var empties = handler.batches.get(0).get(1).getDynamodb().getNewImage();
        assertThat(empties.get("emptyL").getL()).isEmpty();
        assertThat(empties.get("emptyM").getM()).isEmpty();
    }

    private static String utf8(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void modify_and_remove_carry_old_and_new_images() {
        put("ana@acme.com", "profile", Map.of("stage", AttributeValue.fromS("lead")));
        put("ana@acme.com", "profile", Map.of("stage", AttributeValue.fromS("marketingqualifiedlead")));
        client.deleteItem(r -> r.tableName(table).key(Map.of(
                "pk", AttributeValue.fromS("ana@acme.com"), "sk", AttributeValue.fromS("profile"))));
        Recording handler = new Recording(batch -> null);

        new DynamoDbStreamDelivery(ddb.streamsClient(), streamArn, 100, handler).drain();

        List<DynamodbStreamRecord> records = handler.batches.get(0);
        assertThat(records).extracting(DynamodbStreamRecord::getEventName).containsExactly("INSERT", "MODIFY", "REMOVE");
        var modify = records.get(1).getDynamodb();
        assertThat(modify.getOldImage().get("stage").getS()).isEqualTo("lead");
        assertThat(modify.getNewImage().get("stage").getS()).isEqualTo("marketingqualifiedlead");
        var remove = records.get(2).getDynamodb();
        assertThat(remove.getOldImage().get("stage").getS()).isEqualTo("marketingqualifiedlead");
        assertThat(remove.getNewImage()).isNull();
    }

    @Test
    void batches_are_no_larger_than_the_batch_size_and_keep_stream_order() {
        for (int i = 1; i <= 7; i++) {
            put("c" + i);
        }
        Recording handler = new Recording(batch -> null);

        int delivered = new DynamoDbStreamDelivery(ddb.streamsClient(), streamArn, 3, handler).drain();

        assertThat(delivered).isEqualTo(7);
        assertThat(handler.pks()).containsExactly(List.of("c1", "c2", "c3"), List.of("c4", "c5", "c6"), List.of("c7"));
    }

    @Test
    void a_failed_record_is_retried_from_its_sequence_number() {
        for (int i = 1; i <= 5; i++) {
            put("c" + i);
        }
        AtomicInteger calls = new AtomicInteger();
        Recording handler = new Recording(batch -> calls.incrementAndGet() == 1 ? failing(batch, "c3") : null);

        int delivered = new DynamoDbStreamDelivery(ddb.streamsClient(), streamArn, 10, handler).drain();

        assertThat(delivered).isEqualTo(5);
        assertThat(handler.pks()).containsExactly(
                List.of("c1", "c2", "c3", "c4", "c5"),
                List.of("c3", "c4", "c5"));
    }

    @Test
    void a_handler_that_throws_gets_the_whole_batch_again() {
        put("c1");
        put("c2");
        AtomicInteger calls = new AtomicInteger();
        Recording handler = new Recording(batch -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("table busy");
            }
            return null;
        });

        new DynamoDbStreamDelivery(ddb.streamsClient(), streamArn, 10, handler).drain();

        assertThat(handler.pks()).containsExactly(List.of("c1", "c2"), List.of("c1", "c2"));
    }

    @Test
    void an_unknown_item_identifier_fails_the_whole_batch_as_lambda_does() {
        put("c1");
        put("c2");
        AtomicInteger calls = new AtomicInteger();
        Recording handler = new Recording(batch -> calls.incrementAndGet() == 1
                ? new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure("not-a-sequence-number")))
                : null);

        new DynamoDbStreamDelivery(ddb.streamsClient(), streamArn, 10, handler).drain();

        assertThat(handler.pks()).containsExactly(List.of("c1", "c2"), List.of("c1", "c2"));
    }

    @Test
    void a_record_that_keeps_failing_goes_to_the_on_failure_callback_and_delivery_moves_on() {
        for (int i = 1; i <= 4; i++) {
            put("c" + i);
        }
        List<DynamoDbStreamDelivery.FailedBatch> failures = new ArrayList<>();
        Recording handler = new Recording(batch -> failing(batch, "c2"));
        DynamoDbStreamDelivery delivery = DynamoDbStreamDelivery.builder(ddb.streamsClient(), streamArn, handler)
                .batchSize(10)
                .maxRetryAttempts(2)
                .onFailure(failures::add)
                .build();

        delivery.drain();

        // First attempt, then two retries from c2; then c2 to the end of the batch is given up.
        assertThat(handler.pks()).containsExactly(
                List.of("c1", "c2", "c3", "c4"),
                List.of("c2", "c3", "c4"),
                List.of("c2", "c3", "c4"));
        assertThat(failures).singleElement().satisfies(failed -> {
            assertThat(failed.records()).extracting(DynamoDbStreamDeliveryTest::pk).containsExactly("c2", "c3", "c4");
            assertThat(failed.failedSequenceNumbers()).containsExactly(failed.records().get(0).getDynamodb().getSequenceNumber());
            assertThat(failed.attempts()).isEqualTo(3);
            assertThat(failed.error()).isNull();
            assertThat(failed.streamArn()).isEqualTo(streamArn);
        });

        put("c5");
        handler.batches.clear();
        assertThat(delivery.drain()).isEqualTo(1);
        assertThat(handler.pks()).containsExactly(List.of("c5"));
    }

    @Test
    void drain_also_delivers_the_records_the_handler_writes() {
        put("form-1");
        Recording handler = new Recording(batch -> {
            for (DynamodbStreamRecord record : batch) {
                if (pk(record).startsWith("form-")) { // a handler that derives one item from another
                    put("derived-" + pk(record));
                }
            }
            return null;
        });

        int delivered = new DynamoDbStreamDelivery(ddb.streamsClient(), streamArn, 10, handler).drain();

        assertThat(delivered).isEqualTo(2);
        assertThat(handler.pks()).containsExactly(List.of("form-1"), List.of("derived-form-1"));
    }

    @Test
    void drain_fails_loudly_when_the_stream_never_becomes_quiet() {
        put("n0");
        AtomicInteger next = new AtomicInteger();
        Recording handler = new Recording(batch -> {
            put("n" + next.incrementAndGet());
            return null;
        });
        DynamoDbStreamDelivery delivery = DynamoDbStreamDelivery.builder(ddb.streamsClient(), streamArn, handler)
                .maxRounds(5).build();

        assertThatThrownBy(delivery::drain)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not quiet after 5 polling rounds");
    }

    @Test
    void the_filter_keeps_rejected_records_from_the_handler() {
        put("keep-1");
        put("drop-1");
        put("keep-2");
        Recording handler = new Recording(batch -> null);

        int delivered = DynamoDbStreamDelivery.builder(ddb.streamsClient(), streamArn, handler)
                .filter(record -> pk(record).startsWith("keep-"))
                .build()
                .drain();

        assertThat(delivered).isEqualTo(2);
        assertThat(handler.pks()).containsExactly(List.of("keep-1", "keep-2"));
    }

    @Test
    void the_background_poller_from_latest_delivers_only_writes_made_after_start() throws InterruptedException {
        put("before");
        Recording handler = new Recording(batch -> null);
        try (DynamoDbStreamDelivery delivery = DynamoDbStreamDelivery.builder(ddb.streamsClient(), streamArn, handler)
                .startingPosition(DynamoDbStreamDelivery.StartingPosition.LATEST)
                .pollInterval(Duration.ofMillis(20))
                .build()) {
            delivery.start();
            put("after");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (handler.batches.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        assertThat(handler.pks()).containsExactly(List.of("after"));
    }

    @Test
    void the_stream_arn_can_be_looked_up_from_the_table() {
        assertThat(DynamoDbStreamDelivery.latestStreamArn(client, table)).isEqualTo(streamArn);
    }
}
