package dev.handoff.aws;

import dev.handoff.core.app.BeaconIntake.Beacon;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Puts an accepted browser beacon on the project's bus as the {@code handoff.tracking} event it stands for (PRODUCT
 * §2.4): {@code contact: {visitorId}}, the server's time as {@code occurredAt}, so archive, rules and the tracking
 * queue see it like any producer's event. A rejected entry throws, so the caller answers 5xx and the browser's
 * beacon is not counted as delivered.
 */
public final class EventBridgeBeacons {
    private final EventBridgeClient events;
    private final String busName;

    public EventBridgeBeacons(EventBridgeClient events, String busName) {
        this.events = Objects.requireNonNull(events, "events");
        this.busName = Objects.requireNonNull(busName, "busName");
    }

    public void put(Beacon beacon) {
        PutEventsResponse response = events.putEvents(PutEventsRequest.builder().entries(entry(beacon)).build());
        PutEventsResultEntry result = response.hasEntries() && !response.entries().isEmpty() ? response.entries().get(0) : null;
        Integer failed = response.failedEntryCount();
        if ((failed != null && failed > 0) || (result != null && result.errorCode() != null)) {
            throw new IllegalStateException("EventBridge rejected a " + beacon.type() + " beacon on bus " + busName + ": "
                    + (result == null || result.errorCode() == null ? "(no error code)" : result.errorCode()));
        }
    }

    PutEventsRequestEntry entry(Beacon beacon) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("eventId", beacon.eventId());
        detail.put("occurredAt", beacon.receivedAt().toString());
        detail.put("contact", Map.of("visitorId", beacon.visitorId()));
        if (beacon.url() != null) detail.put("page", Map.of("url", beacon.url()));
        if (beacon.referrer() != null) detail.put("referrer", beacon.referrer());
        detail.put("channel", "browser");
        return PutEventsRequestEntry.builder()
                .eventBusName(busName)
                .source(TrackingEventJson.SOURCE)
                .detailType(beacon.type())
                .detail(AlertJson.write(detail))
                .build();
    }
}
