package dev.handoff.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.UUID;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;

/** Tracking events (PRODUCT §2.2) as a producer puts them on the bus: source {@code handoff.tracking}. */
final class Tracking {
    static final String SOURCE = "handoff.tracking";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Tracking() {}

    /** Who an event is about: {@code {"email": ...}} or {@code {"visitorId": ...}}. */
    sealed interface Who {
        record Email(String email) implements Who {}

        record Visitor(String visitorId) implements Who {}
    }

    static Who email(String email) {
        return new Who.Email(email);
    }

    static Who visitor(String visitorId) {
        return new Who.Visitor(visitorId);
    }

    /** One event: its detail-type and detail; the detail's {@code eventId} is the business idempotency key. */
    record Event(String detailType, ObjectNode detail) {
        String eventId() {
            return detail.get("eventId").asText();
        }

        /** The PutEvents entry a producer sends (EventBridge gives it a new envelope id every time). */
        PutEventsRequestEntry entry(String busName) {
            return PutEventsRequestEntry.builder()
                    .eventBusName(busName)
                    .source(SOURCE)
                    .detailType(detailType)
                    .detail(detail.toString())
                    .build();
        }

        /** The envelope EventBridge delivers to an SQS target, with the given envelope id. */
        String envelope(String envelopeId) {
            ObjectNode e = JSON.createObjectNode();
            e.put("version", "0");
            e.put("id", envelopeId);
            e.put("detail-type", detailType);
            e.put("source", SOURCE);
            e.put("account", "123456789012");
            e.put("time", Instant.now().toString().replaceAll("\\.\\d+Z$", "Z"));
            e.put("region", "us-east-1");
            e.putArray("resources");
            e.set("detail", detail);
            return e.toString();
        }
    }

    private static ObjectNode detail(Who who) {
        ObjectNode d = JSON.createObjectNode();
        d.put("eventId", "evt-" + UUID.randomUUID());
        d.put("occurredAt", Instant.now().toString());
        ObjectNode contact = d.putObject("contact");
        switch (who) {
            case Who.Email e -> contact.put("email", e.email());
            case Who.Visitor v -> contact.put("visitorId", v.visitorId());
        }
        return d;
    }

    static Event pageViewed(Who who, String url) {
        ObjectNode d = detail(who);
        d.putObject("page").put("url", url);
        return new Event("PageViewed", d);
    }

    static Event sessionStarted(Who who) {
        return new Event("SessionStarted", detail(who));
    }

    static Event emailOpened(Who who, String campaignId) {
        ObjectNode d = detail(who);
        d.putObject("email").put("campaignId", campaignId);
        return new Event("EmailOpened", d);
    }

    static Event emailClicked(Who who, String campaignId, String link) {
        ObjectNode d = detail(who);
        d.putObject("email").put("campaignId", campaignId).put("link", link);
        return new Event("EmailClicked", d);
    }

    static Event contentDownloaded(Who who, String assetId, String type, boolean gated) {
        ObjectNode d = detail(who);
        d.putObject("asset").put("id", assetId).put("type", type).put("gated", gated);
        return new Event("ContentDownloaded", d);
    }

    static Event webinarAttended(Who who, String webinarId) {
        ObjectNode d = detail(who);
        d.putObject("webinar").put("id", webinarId);
        return new Event("WebinarAttended", d);
    }

    static Event meetingBooked(Who who, String owner, Instant startsAt) {
        ObjectNode d = detail(who);
        d.putObject("meeting").put("owner", owner).put("startsAt", startsAt.toString());
        return new Event("MeetingBooked", d);
    }

    static Event salesActivityLogged(Who who, String type, String owner) {
        ObjectNode d = detail(who);
        d.putObject("activity").put("type", type).put("owner", owner);
        return new Event("SalesActivityLogged", d);
    }

    static Event salesAccepted(Who who, String owner) {
        ObjectNode d = detail(who);
        d.put("owner", owner);
        return new Event("SalesAccepted", d);
    }
}
