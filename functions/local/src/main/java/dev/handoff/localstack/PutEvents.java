package dev.handoff.localstack;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.local.InMemoryQueue;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * EventBridge's {@code PutEvents} on the local bus, with the rules the template defines for the tracking queue
 * ({@link TrackingRules}: Handoff's own events, and Segment's, RudderStack's and SES's): a matching event goes,
 * wrapped in the envelope EventBridge delivers, to the tracking queue. With {@code --hubspot-url}, the alert
 * function's {@code ContactBecameSalesQualified} go to the HubSpot queue. Other events match no local rule and are
 * printed.
 */
final class PutEvents {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final InMemoryQueue trackingQueue;
    private final InMemoryQueue hubspotQueue;

    /** @param hubspotQueue null without the HubSpot sync */
    PutEvents(InMemoryQueue trackingQueue, InMemoryQueue hubspotQueue) {
        this.trackingQueue = trackingQueue;
        this.hubspotQueue = hubspotQueue;
    }

    /** What EventBridge takes in one request: the entries' sizes, counted as it counts them, below 256 KiB. */
    static final int MAX_ENTRIES_BYTES = 256 * 1024;

    /**
     * Refuses, as EventBridge does, a request that is not JSON ({@code SerializationException}), a field of the
     * wrong JSON type ({@code Source} as an object, {@code DetailType} as an array: {@code SerializationException}),
     * other than 1 to 10 entries or entries whose sizes add up to 256 KiB or more ({@code ValidationException}), all
     * with 400 and nothing put on the bus; an entry without Source, DetailType or a JSON object as Detail fails alone.
     *
     * @param awsJson true for the AWS JSON 1.1 protocol (CLI and SDK), false for plain JSON (curl at /events)
     */
    LocalHttpServer.Response putEvents(byte[] body, boolean awsJson) {
        String contentType = awsJson ? "application/x-amz-json-1.1" : "application/json";
        JsonNode request;
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
            request = JSON.readTree(text);
        } catch (Exception e) {
            return refused(contentType, "SerializationException", "the body is not a JSON document in UTF-8");
        }
        JsonNode entries = request == null || !request.isObject() ? null : request.get("Entries");
        if (entries == null || !entries.isArray() || entries.isEmpty() || entries.size() > 10) {
            return refused(contentType, "ValidationException", "Entries must hold 1 to 10 events");
        }
        long size = 0;
        for (JsonNode entry : entries) {
            if (!entry.isObject()) return refused(contentType, "SerializationException", "each entry must be an object");
            for (String field : new String[] {"Source", "DetailType", "Detail", "EventBusName", "TraceHeader"}) {
                JsonNode v = entry.get(field);
                if (v != null && !v.isNull() && !v.isTextual()) {
                    return refused(contentType, "SerializationException", field + " must be a string");
                }
            }
            JsonNode resources = entry.get("Resources");
            if (resources != null && !resources.isNull()) {
                if (!resources.isArray()) return refused(contentType, "SerializationException", "Resources must be a list of strings");
                for (JsonNode r : resources) {
                    if (!r.isTextual()) return refused(contentType, "SerializationException", "Resources must be a list of strings");
                    size += utf8(r.asText());
                }
            }
            JsonNode t = entry.get("Time");
            if (t != null && !t.isNull()) {
                if (!(t.isNumber() || (!awsJson && t.isTextual()))) {
                    return refused(contentType, "SerializationException", "Time must be a timestamp");
                }
                size += 14;
            }
            size += utf8(entry.path("Source").asText("")) + utf8(entry.path("DetailType").asText(""))
                    + utf8(entry.path("Detail").asText(""));
        }
        if (size >= MAX_ENTRIES_BYTES) {
            return refused(contentType, "ValidationException", "Total size of the entries in the request is over the limit.");
        }
        ArrayNode results = JSON.createArrayNode();
        int failed = 0;
        for (JsonNode entry : entries) {
            ObjectNode result = results.addObject();
            String source = entry.path("Source").asText(null);
            String detailType = entry.path("DetailType").asText(null);
            String detailText = entry.path("Detail").asText(null);
            JsonNode detail = null;
            try {
                if (detailText != null) detail = JSON.readTree(detailText);
            } catch (Exception e) {
                detail = null;
            }
            if (source == null || detailType == null || detail == null || !detail.isObject()) {
                failed++;
                result.put("ErrorCode", detail == null && detailText != null ? "MalformedDetail" : "InvalidArgument");
                result.put("ErrorMessage", source == null ? "Source is required" : detailType == null
                        ? "DetailType is required" : "Detail must be a JSON object");
                continue;
            }
            String id = UUID.randomUUID().toString();
            result.put("EventId", id);
            ObjectNode envelope = JSON.createObjectNode();
            envelope.put("version", "0");
            envelope.put("id", id);
            envelope.put("detail-type", detailType);
            envelope.put("source", source);
            envelope.put("account", InMemoryQueue.LOCAL_ACCOUNT_ID);
            envelope.put("time", entry.hasNonNull("Time") ? time(entry.get("Time")) : Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            envelope.put("region", "us-east-1");
            envelope.set("resources", entry.has("Resources") ? entry.get("Resources") : JSON.createArrayNode());
            envelope.set("detail", detail);
            if (TrackingRules.matches(source, detailType, detail)) {
                trackingQueue.send(envelope.toString());
            } else if (hubspotQueue != null && "handoff.qualification".equals(source)
                    && "ContactBecameSalesQualified".equals(detailType)) {
                hubspotQueue.send(envelope.toString());
            } else {
                // Source and detail-type come from the caller: printed only when they are plain names.
                System.out.println("event on the bus (no local rule): " + printable(source) + " " + printable(detailType));
            }
        }
        ObjectNode response = JSON.createObjectNode();
        response.put("FailedEntryCount", failed);
        response.set("Entries", results);
        return new LocalHttpServer.Response(200, contentType, response.toString());
    }

    private static LocalHttpServer.Response refused(String contentType, String type, String message) {
        ObjectNode error = JSON.createObjectNode();
        error.put("__type", type);
        error.put("message", message);
        return new LocalHttpServer.Response(400, contentType, error.toString());
    }

    private static String printable(String name) {
        return name.matches("[A-Za-z0-9._/-]{1,128}") ? name : "(a name that is not printed)";
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The CLI and SDK send Time as epoch seconds; curl users may send ISO-8601. */
    private static String time(JsonNode t) {
        if (t.isNumber()) return Instant.ofEpochMilli((long) (t.asDouble() * 1000)).truncatedTo(ChronoUnit.SECONDS).toString();
        return t.asText();
    }
}
