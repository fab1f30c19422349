package dev.handoff.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.handoff.aws.TrackingEventJson;
import dev.handoff.local.InMemoryQueue;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * EventBridge's {@code PutEvents} on the local bus, with the one rule the template defines: events of source
 * {@code handoff.tracking} go, wrapped in the envelope EventBridge delivers, to the tracking queue. Events of
 * other sources (the alert function's {@code ContactBecameSalesQualified}) match no local rule and are printed.
 */
final class PutEvents {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final InMemoryQueue trackingQueue;

    PutEvents(InMemoryQueue trackingQueue) {
        this.trackingQueue = trackingQueue;
    }

    /** @param awsJson true for the AWS JSON 1.1 protocol (CLI and SDK), false for plain JSON (curl at /events) */
    LocalHttpServer.Response putEvents(String body, boolean awsJson) throws Exception {
        String contentType = awsJson ? "application/x-amz-json-1.1" : "application/json";
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (Exception e) {
            return new LocalHttpServer.Response(400, contentType,
                    "{\"__type\":\"SerializationException\",\"message\":\"the body is not JSON\"}");
        }
        JsonNode entries = request == null ? null : request.get("Entries");
        if (entries == null || !entries.isArray() || entries.isEmpty() || entries.size() > 10) {
            return new LocalHttpServer.Response(400, contentType,
                    "{\"__type\":\"ValidationException\",\"message\":\"Entries must hold 1 to 10 events\"}");
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
            if (TrackingEventJson.SOURCE.equals(source)) {
                trackingQueue.send(envelope.toString());
            } else {
                System.out.println("event on the bus (no local rule): " + source + " " + detailType);
            }
        }
        ObjectNode response = JSON.createObjectNode();
        response.put("FailedEntryCount", failed);
        response.set("Entries", results);
        return new LocalHttpServer.Response(200, contentType, response.toString());
    }

    /** The CLI and SDK send Time as epoch seconds; curl users may send ISO-8601. */
    private static String time(JsonNode t) {
        if (t.isNumber()) return Instant.ofEpochMilli((long) (t.asDouble() * 1000)).truncatedTo(ChronoUnit.SECONDS).toString();
        return t.asText();
    }
}
