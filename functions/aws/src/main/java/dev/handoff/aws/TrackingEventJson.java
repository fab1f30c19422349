package dev.handoff.aws;

import dev.handoff.core.Signal;
import dev.handoff.core.app.ContactRef;
import dev.handoff.core.app.TrackingEvent;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decodes an EventBridge envelope of source {@code handoff.tracking} (PRODUCT §2.2) into a {@link TrackingEvent}.
 * The signal's id is the producer's {@code detail.eventId}, not the envelope's id, so a producer's re-send with a
 * new EventBridge id is still one event.
 *
 * <p>The envelope is read as a plain tree (jackson-jr: maps, lists, strings, numbers, booleans).
 */
public final class TrackingEventJson {
    public static final String SOURCE = "handoff.tracking";
    static final int MAX_ID = 128;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Set<String> ACTIVITY_TYPES = Set.of("call", "meeting", "email");

    private TrackingEventJson() {}

    public static TrackingEvent decode(String envelope) throws UndecodableEventException {
        if (envelope == null) throw new IllegalArgumentException("the message has no body");
        Object tree;
        try {
            // Only whitespace is no content: not a JSON object, rather than not JSON (as with databind).
            tree = Json.isBlankJson(envelope) ? null : Json.JR.anyFrom(envelope);
        } catch (IOException e) {
            throw new UndecodableEventException("the message body is not JSON");
        }
        if (!(tree instanceof Map<?, ?> root)) throw new UndecodableEventException("the message body is not a JSON object");
        String source = text(root, "source");
        if (!SOURCE.equals(source)) {
            throw new UndecodableEventException("source must be " + SOURCE + (source == null ? " (missing)" : ""));
        }
        String type = text(root, "detail-type");
        if (type == null) throw new UndecodableEventException("detail-type is missing");
        if (!(root.get("detail") instanceof Map<?, ?> detail)) throw new UndecodableEventException("detail must be an object");

        String eventId = text(detail, "eventId");
        if (eventId == null) throw new UndecodableEventException("detail.eventId is required");
        if (eventId.length() > MAX_ID) throw new UndecodableEventException("detail.eventId must be at most " + MAX_ID + " characters");
        Instant at = time(detail, "occurredAt", "detail.occurredAt");
        if (at == null) at = time(root, "time", "time");
        if (at == null) throw new UndecodableEventException("detail.occurredAt is required (ISO-8601)");
        ContactRef who = contact(detail.get("contact"));

        Signal signal = switch (type) {
            case "PageViewed" -> new Signal.PageViewed(eventId, at, Signal.PageViewed.pathOf(required(detail, "page", "url")));
            case "SessionStarted" -> new Signal.SessionStarted(eventId, at);
            case "EmailOpened" -> new Signal.EmailOpened(eventId, at, required(detail, "email", "campaignId"));
            case "EmailClicked" -> new Signal.EmailClicked(eventId, at, required(detail, "email", "campaignId"),
                    optional(detail, "email", "link"));
            case "ContentDownloaded" -> new Signal.ContentDownloaded(eventId, at, required(detail, "asset", "id"),
                    required(detail, "asset", "type"), bool(detail, "asset", "gated"));
            case "WebinarAttended" -> new Signal.WebinarAttended(eventId, at, required(detail, "webinar", "id"));
            case "MeetingBooked" -> new Signal.MeetingBooked(eventId, at, optional(detail, "meeting", "owner"),
                    detail.containsKey("meeting") ? time(detail.get("meeting"), "startsAt", "detail.meeting.startsAt") : null);
            case "SalesActivityLogged" -> {
                String activity = required(detail, "activity", "type");
                if (!ACTIVITY_TYPES.contains(activity)) {
                    throw new UndecodableEventException("detail.activity.type must be call, meeting or email");
                }
                yield new Signal.SalesActivityLogged(eventId, at, activity, optional(detail, "activity", "owner"));
            }
            case "SalesAccepted" -> new Signal.SalesAccepted(eventId, at, text(detail, "owner"));
            default -> throw new UndecodableEventException("unknown detail-type (expected PageViewed, SessionStarted, "
                    + "EmailOpened, EmailClicked, ContentDownloaded, WebinarAttended, MeetingBooked, SalesActivityLogged or SalesAccepted)");
        };
        if (who instanceof ContactRef.ByVisitor && isSalesSide(signal)) {
            throw new UndecodableEventException("detail.contact must give an email for " + type);
        }
        return new TrackingEvent(who, signal);
    }

    private static boolean isSalesSide(Signal s) {
        return s instanceof Signal.MeetingBooked || s instanceof Signal.SalesActivityLogged || s instanceof Signal.SalesAccepted;
    }

    private static ContactRef contact(Object contact) throws UndecodableEventException {
        if (!(contact instanceof Map<?, ?>)) throw new UndecodableEventException("detail.contact must be an object with email or visitorId");
        String email = text(contact, "email");
        if (email != null) {
            if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
                throw new UndecodableEventException("detail.contact.email is not an email address");
            }
            return new ContactRef.ByEmail(email);
        }
        String visitorId = text(contact, "visitorId");
        if (visitorId != null) {
            if (visitorId.length() > MAX_ID) throw new UndecodableEventException("detail.contact.visitorId must be at most " + MAX_ID + " characters");
            return new ContactRef.ByVisitor(visitorId);
        }
        throw new UndecodableEventException("detail.contact needs email or visitorId");
    }

    private static String required(Map<?, ?> detail, String object, String field) throws UndecodableEventException {
        String v = optional(detail, object, field);
        if (v == null) throw new UndecodableEventException("detail." + object + "." + field + " is required");
        return v;
    }

    private static String optional(Map<?, ?> detail, String object, String field) throws UndecodableEventException {
        Object o = detail.get(object);
        if (o == null) return null;
        if (!(o instanceof Map<?, ?>)) throw new UndecodableEventException("detail." + object + " must be an object");
        return text(o, field);
    }

    private static boolean bool(Map<?, ?> detail, String object, String field) throws UndecodableEventException {
        Object v = detail.get(object) instanceof Map<?, ?> o ? o.get(field) : null;
        if (v == null) return false;
        if (!(v instanceof Boolean b)) throw new UndecodableEventException("detail." + object + "." + field + " must be true or false");
        return b;
    }

    /** A scalar field as trimmed text (a number or boolean as written); null when absent, null, a container or blank. */
    private static String text(Object node, String field) {
        Object v = node instanceof Map<?, ?> map ? map.get(field) : null;
        if (v == null || v instanceof Map<?, ?> || v instanceof List<?>) return null;
        String s = v.toString().trim();
        return s.isEmpty() ? null : s;
    }

    private static Instant time(Object node, String field, String path) throws UndecodableEventException {
        String s = text(node, field);
        if (s == null) return null;
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e2) {
                throw new UndecodableEventException(path + " must be an ISO-8601 time like 2026-11-22T10:15:00Z");
            }
        }
    }
}
