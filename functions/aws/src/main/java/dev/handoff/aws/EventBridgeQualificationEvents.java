package dev.handoff.aws;

import dev.handoff.core.app.AlertDispatcher;
import dev.handoff.core.app.SqlAlert;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Puts the {@code ContactBecameSalesQualified} event (source {@code handoff.qualification}) on the project's bus
 * for a CRM integration (PRODUCT §3). Its {@code detail} is the alert's {@code default} JSON plus {@code dealId}.
 *
 * <p>PutEvents reports a rejected entry in its response instead of throwing; this turns that into a
 * {@link PutEventsFailedException}, so the dispatcher does not record the event as put and the caller retries.
 */
public final class EventBridgeQualificationEvents implements AlertDispatcher.QualificationEvents {

    public static final String SOURCE = "handoff.qualification";
    public static final String DETAIL_TYPE = "ContactBecameSalesQualified";

    private final EventBridgeClient events;
    private final String busName;

    public EventBridgeQualificationEvents(EventBridgeClient events, String busName) {
        this.events = Objects.requireNonNull(events, "events");
        this.busName = Objects.requireNonNull(busName, "busName");
    }

    @Override
    public void contactBecameSalesQualified(SqlAlert alert, String dealId) {
        PutEventsResponse response = events.putEvents(PutEventsRequest.builder().entries(entry(alert, dealId)).build());
        Integer failed = response.failedEntryCount();
        PutEventsResultEntry result = response.hasEntries() && !response.entries().isEmpty()
                ? response.entries().get(0) : null;
        boolean entryFailed = result != null && result.errorCode() != null;
        if ((failed != null && failed > 0) || entryFailed) {
            String code = result == null ? null : result.errorCode();
            String message = result == null ? null : result.errorMessage();
            throw new PutEventsFailedException(alert.alertId(), busName, code, message);
        }
    }

    /** The one entry {@link #contactBecameSalesQualified} puts; visible for tests. */
    PutEventsRequestEntry entry(SqlAlert alert, String dealId) {
        Map<String, Object> detail = AlertJson.toMap(alert);
        detail.put("dealId", dealId);
        return PutEventsRequestEntry.builder()
                .eventBusName(busName)
                .source(SOURCE)
                .detailType(DETAIL_TYPE)
                .detail(AlertJson.write(detail))
                .build();
    }

    /** EventBridge did not accept the event; retry. The message names the error code, and no personal data. */
    public static final class PutEventsFailedException extends RuntimeException {
        private final String errorCode;

        public PutEventsFailedException(String alertId, String busName, String errorCode, String errorMessage) {
            super("EventBridge rejected " + DETAIL_TYPE + " for alert " + alertId + " on bus " + busName + ": "
                    + (errorCode == null ? "(no error code)" : errorCode)
                    + (errorMessage == null ? "" : " - " + errorMessage));
            this.errorCode = errorCode;
        }

        /** EventBridge's error code for the entry, e.g. {@code InternalFailure} or {@code ThrottlingException}. */
        public String errorCode() {
            return errorCode;
        }
    }
}
