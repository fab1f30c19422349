package dev.handoff.local;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.Identity;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamViewType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collector;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * Converts DynamoDB Streams records read with the SDK v2 into the aws-lambda-java-events shapes a Lambda handler
 * receives, field by field as Lambda's event source mapping fills them.
 *
 * <p>{@code eventSource} is always {@code aws:dynamodb}; {@code awsRegion} and {@code eventSourceARN} are given by
 * the caller because DynamoDB Local reports its own pseudo-region ({@code ddblocal}) where Lambda reports the real
 * one. Attribute values convert recursively (S, N, B, SS, NS, BS, M, L, NULL, BOOL); an empty list or map stays
 * an empty list or map, and an absent image stays {@code null}, as in Lambda's JSON.
 */
public final class StreamRecords {

    /** Lambda's {@code eventSource} for DynamoDB stream records. */
    public static final String EVENT_SOURCE = "aws:dynamodb";

    /** The record format version DynamoDB Streams reports; used when a record carries none. */
    public static final String DEFAULT_EVENT_VERSION = "1.1";

    private StreamRecords() {
    }

    /** One batch, as the handler receives it. */
    public static DynamodbEvent toEvent(List<Record> records, String eventSourceArn, String awsRegion) {
        List<DynamodbStreamRecord> converted = new ArrayList<>(records.size());
        for (Record record : records) {
            converted.add(toLambdaRecord(record, eventSourceArn, awsRegion));
        }
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(converted);
        return event;
    }

    /** One record: eventID, eventName, eventVersion, eventSource, awsRegion, eventSourceARN, dynamodb, userIdentity. */
    public static DynamodbStreamRecord toLambdaRecord(Record record, String eventSourceArn, String awsRegion) {
        Objects.requireNonNull(record, "record");
        DynamodbStreamRecord out = new DynamodbStreamRecord();
        out.setEventID(record.eventID());
        out.setEventName(record.eventNameAsString());
        out.setEventVersion(record.eventVersion() != null ? record.eventVersion() : DEFAULT_EVENT_VERSION);
        out.setEventSource(EVENT_SOURCE);
        out.setAwsRegion(awsRegion);
        out.setEventSourceARN(eventSourceArn);
        out.setDynamodb(toLambdaStreamRecord(record.dynamodb()));
        if (record.userIdentity() != null) {
            // Present only for deletes by TTL: {"type": "Service", "principalId": "dynamodb.amazonaws.com"}.
            Identity identity = new Identity();
            identity.setType(record.userIdentity().type());
            identity.setPrincipalId(record.userIdentity().principalId());
            out.setUserIdentity(identity);
        }
        return out;
    }

    /** The {@code dynamodb} part: keys, images, sequence number, size, view type, approximate creation time. */
    public static StreamRecord toLambdaStreamRecord(software.amazon.awssdk.services.dynamodb.model.StreamRecord in) {
        if (in == null) {
            return null;
        }
        StreamRecord out = new StreamRecord();
        if (in.approximateCreationDateTime() != null) {
            out.setApproximateCreationDateTime(Date.from(in.approximateCreationDateTime()));
        }
        out.setKeys(in.hasKeys() ? toLambdaImage(in.keys()) : null);
        out.setNewImage(in.hasNewImage() ? toLambdaImage(in.newImage()) : null);
        out.setOldImage(in.hasOldImage() ? toLambdaImage(in.oldImage()) : null);
        out.setSequenceNumber(in.sequenceNumber());
        out.setSizeBytes(in.sizeBytes());
        if (in.streamViewType() != null) {
            out.setStreamViewType(StreamViewType.fromValue(in.streamViewTypeAsString()));
        }
        return out;
    }

    /** An item image (or key map); insertion order is kept. */
    public static Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue>
            toLambdaImage(Map<String, AttributeValue> image) {
        if (image == null) {
            return null;
        }
        Map<String, com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue> out =
                new LinkedHashMap<>();
        image.forEach((name, value) -> out.put(name, toLambdaAttributeValue(value)));
        return out;
    }

    /** One attribute value, nested values included. */
    public static com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue
            toLambdaAttributeValue(AttributeValue in) {
        if (in == null) {
            return null;
        }
        var out = new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue();
        // The SDK v2 model returns empty auto-construct lists/maps for absent members: has*() tells them apart.
        switch (in.type()) {
            case S -> out.setS(in.s());
            case N -> out.setN(in.n());
            case B -> out.setB(toByteBuffer(in.b()));
            case SS -> out.setSS(new ArrayList<>(in.ss()));
            case NS -> out.setNS(new ArrayList<>(in.ns()));
            case BS -> out.setBS(in.bs().stream().map(StreamRecords::toByteBuffer).collect(toArrayList()));
            case M -> out.setM(toLambdaImage(in.m()));
            case L -> out.setL(in.l().stream().map(StreamRecords::toLambdaAttributeValue).collect(toArrayList()));
            case NUL -> out.setNULL(in.nul());
            case BOOL -> out.setBOOL(in.bool());
            default -> throw new IllegalArgumentException("Unsupported DynamoDB attribute value: " + in);
        }
        return out;
    }

    /** Mutable lists, as Lambda's deserialised events have. */
    private static <T> Collector<T, ?, ArrayList<T>> toArrayList() {
        return Collectors.toCollection(ArrayList::new);
    }

    /** A writable heap buffer, as the events library's JSON deserialisation gives (the SDK's is read-only). */
    private static ByteBuffer toByteBuffer(SdkBytes bytes) {
        return ByteBuffer.wrap(bytes.asByteArray());
    }
}
