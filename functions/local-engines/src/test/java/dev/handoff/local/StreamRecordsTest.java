package dev.handoff.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Identity;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

class StreamRecordsTest {

    private static final String ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/leads/stream/2025-01-01T00:00:00.000";

    @Test
    void a_ttl_delete_keeps_its_service_identity_and_old_image_only() {
        Record record = Record.builder()
                .eventID("1")
                .eventName(OperationType.REMOVE)
                .eventVersion("1.1")
                .eventSource("aws:dynamodb")
                .awsRegion("ddblocal")
                .userIdentity(Identity.builder().type("Service").principalId("dynamodb.amazonaws.com").build())
                .dynamodb(StreamRecord.builder()
                        .approximateCreationDateTime(Instant.ofEpochSecond(1_700_000_000))
                        .keys(Map.of("pk", AttributeValue.fromS("ana@acme.com")))
                        .oldImage(Map.of("pk", AttributeValue.fromS("ana@acme.com"), "ttl", AttributeValue.fromN("1")))
                        .sequenceNumber("100")
                        .sizeBytes(42L)
                        .streamViewType(StreamViewType.OLD_IMAGE)
                        .build())
                .build();

        DynamodbStreamRecord out = StreamRecords.toLambdaRecord(record, ARN, "us-east-1");

        assertThat(out.getEventName()).isEqualTo("REMOVE");
        assertThat(out.getAwsRegion()).isEqualTo("us-east-1"); // the mapping's region, not DynamoDB Local's
        assertThat(out.getEventSourceARN()).isEqualTo(ARN);
        assertThat(out.getUserIdentity().getType()).isEqualTo("Service");
        assertThat(out.getUserIdentity().getPrincipalId()).isEqualTo("dynamodb.amazonaws.com");
        assertThat(out.getDynamodb().getNewImage()).isNull();
        assertThat(out.getDynamodb().getOldImage().get("ttl").getN()).isEqualTo("1");
        assertThat(out.getDynamodb().getApproximateCreationDateTime().toInstant()).isEqualTo(Instant.ofEpochSecond(1_700_000_000));
        assertThat(out.getDynamodb().getSizeBytes()).isEqualTo(42L);
        assertThat(out.getDynamodb().getStreamViewType()).isEqualTo("OLD_IMAGE");
    }

    @Test
    void binary_values_become_writable_buffers_with_the_same_bytes() {
        var value = StreamRecords.toLambdaAttributeValue(AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {1, 2, 3})));

        assertThat(value.getB().isReadOnly()).isFalse();
        assertThat(value.getB().array()).containsExactly(1, 2, 3);
    }

    @Test
    void a_batch_becomes_one_event_in_the_same_order() {
        Record first = Record.builder().eventID("a").eventName(OperationType.INSERT)
                .dynamodb(StreamRecord.builder().sequenceNumber("1").keys(Map.of("pk", AttributeValue.fromS("x"))).build()).build();
        Record second = first.toBuilder().eventID("b").build();

        DynamodbEvent event = StreamRecords.toEvent(List.of(first, second), ARN, "us-east-1");

        assertThat(event.getRecords()).extracting(DynamodbStreamRecord::getEventID).containsExactly("a", "b");
        assertThat(event.getRecords()).extracting(DynamodbStreamRecord::getEventVersion).containsOnly("1.1");
        assertThat(event.getRecords()).extracting(DynamodbStreamRecord::getEventSource).containsOnly("aws:dynamodb");
    }
}
