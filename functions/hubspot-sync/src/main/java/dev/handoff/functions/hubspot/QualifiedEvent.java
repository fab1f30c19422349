package dev.handoff.functions.hubspot;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.Map;

/**
 * The part of a {@code ContactBecameSalesQualified} event (PRODUCT §3) the sync uses, read from the SQS message
 * the bus's rule delivered: the EventBridge envelope, whose {@code detail} is the alert's JSON plus {@code dealId}.
 */
public record QualifiedEvent(String alertId, String email, String firstname, String lastname, String company,
        String jobtitle, String owner, Long amount) {

    public static final String DETAIL_TYPE = "ContactBecameSalesQualified";

    /** A message that is no such event: it goes to the dead-letter queue with this reason, never retried. */
    public static final class UndecodableException extends Exception {
        public UndecodableException(String reason) {
            super(reason, null, false, false);
        }
    }

    public static QualifiedEvent parse(String body) throws UndecodableException {
        Map<String, Object> envelope;
        try {
            Object tree = body == null ? null : JSON.std.anyFrom(body);
            if (!(tree instanceof Map<?, ?>)) throw new UndecodableException("the message is not a JSON object");
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) tree;
            envelope = m;
        } catch (IOException e) {
            throw new UndecodableException("the message is not JSON");
        }
        if (!DETAIL_TYPE.equals(envelope.get("detail-type"))) {
            throw new UndecodableException("detail-type is not " + DETAIL_TYPE);
        }
        if (!(envelope.get("detail") instanceof Map<?, ?> detail)) throw new UndecodableException("detail is missing");
        String alertId = text(detail.get("alertId"));
        if (alertId == null) throw new UndecodableException("detail.alertId is missing");
        Map<?, ?> contact = detail.get("contact") instanceof Map<?, ?> c ? c : Map.of();
        String email = text(contact.get("email"));
        if (email == null) throw new UndecodableException("detail.contact.email is missing");
        Long amount = null;
        if (detail.get("deal") instanceof Map<?, ?> deal && deal.get("amount") instanceof Number n) amount = n.longValue();
        return new QualifiedEvent(alertId, email, text(contact.get("firstname")), text(contact.get("lastname")),
                text(contact.get("company")), text(contact.get("jobtitle")), text(detail.get("owner")), amount);
    }

    private static String text(Object v) {
        return v instanceof String s && !s.isBlank() ? s : null;
    }
}
