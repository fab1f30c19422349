package dev.handoff.aws;

import dev.handoff.core.ActivityType;
import dev.handoff.core.EmailAddress;
import dev.handoff.core.InvalidValueException;
import dev.handoff.core.PlainText;
import dev.handoff.core.Signal;
import dev.handoff.core.SignalTime;
import dev.handoff.core.VisitorId;
import dev.handoff.core.app.ContactRef;
import dev.handoff.core.app.TrackingEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

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

    private TrackingEventJson() {}

    /**
     * @param now this function's clock, for the one rule of a signal's time ({@link SignalTime})
     */
    public static TrackingEvent decode(String envelope, Instant now) throws UndecodableEventException {
        if (envelope == null) throw new IllegalArgumentException("the message has no body");
        Object tree;
        try {
            // Only whitespace is no content: not a JSON object, rather than not JSON (as with databind).
            tree = Json.isBlankJson(envelope) ? null : Json.strictly(envelope);
        } catch (IOException e) {
            throw new UndecodableEventException("the message body is not JSON");
        }
        if (!(tree instanceof Map<?, ?> root)) throw new UndecodableEventException("the message body is not a JSON object");
        String source = text(root, "source", "source");
        if (!SOURCE.equals(source)) {
            throw new UndecodableEventException("source must be " + SOURCE + (source == null ? " (missing)" : ""));
        }
        String type = text(root, "detail-type", "detail-type");
        if (type == null) throw new UndecodableEventException("detail-type is missing");
        if (!(root.get("detail") instanceof Map<?, ?> detail)) throw new UndecodableEventException("detail must be an object");

        String eventId = text(detail, "eventId", "detail.eventId");
        if (eventId == null) throw new UndecodableEventException("detail.eventId is required");
        if (eventId.length() > MAX_ID) throw new UndecodableEventException("detail.eventId must be at most " + MAX_ID + " characters");
        Instant at = signalTime(detail, "occurredAt", "detail.occurredAt", now);
        if (at == null) at = signalTime(root, "time", "time", now);
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
                    detail.containsKey("meeting") ? meetingTime(detail.get("meeting"), now) : null);
            case "SalesActivityLogged" -> {
                ActivityType activity;
                try {
                    activity = ActivityType.parse(required(detail, "activity", "type"));
                } catch (InvalidValueException e) {
                    throw new UndecodableEventException("detail.activity.type " + e.getMessage());
                }
                yield new Signal.SalesActivityLogged(eventId, at, activity.id(), optional(detail, "activity", "owner"));
            }
            case "SalesAccepted" -> new Signal.SalesAccepted(eventId, at, text(detail, "owner", "detail.owner"));
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
        String email = text(contact, "email", "detail.contact.email");
        try {
            if (email != null) return new ContactRef.ByEmail(EmailAddress.parse(email));
        } catch (InvalidValueException e) {
            throw new UndecodableEventException("detail.contact.email " + e.getMessage());
        }
        String visitorId = text(contact, "visitorId", "detail.contact.visitorId");
        try {
            if (visitorId != null) return new ContactRef.ByVisitor(VisitorId.parse(visitorId));
        } catch (InvalidValueException e) {
            throw new UndecodableEventException("detail.contact.visitorId " + e.getMessage());
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
        return text(o, field, "detail." + object + "." + field);
    }

    private static boolean bool(Map<?, ?> detail, String object, String field) throws UndecodableEventException {
        Object v = detail.get(object) instanceof Map<?, ?> o ? o.get(field) : null;
        if (v == null) return false;
        if (!(v instanceof Boolean b)) throw new UndecodableEventException("detail." + object + "." + field + " must be true or false");
        return b;
    }

    /**
     * A scalar field as text (a number or boolean as written) without surrounding spaces; null when absent, null, a
     * container or blank.
     *
     * @throws UndecodableEventException when it holds control characters or unpaired surrogates
     */
    private static String text(Object node, String field, String path) throws UndecodableEventException {
        Object v = node instanceof Map<?, ?> map ? map.get(field) : null;
        if (v == null || v instanceof Map<?, ?> || v instanceof List<?>) return null;
        String s = PlainText.strip(v.toString());
        String problem = PlainText.problem(s);
        if (problem != null) throw new UndecodableEventException(path + " " + problem);
        return s.isEmpty() ? null : s;
    }

    /** A signal's time by the one rule ({@link SignalTime}); null when absent. */
    private static Instant signalTime(Object node, String field, String path, Instant now) throws UndecodableEventException {
        String s = text(node, field, path);
        if (s == null) return null;
        try {
            return SignalTime.parse(s, now);
        } catch (InvalidValueException e) {
            throw new UndecodableEventException(path + " " + e.getMessage());
        }
    }

    /** A meeting's start: in the future as often as not, but within the years a signal's time may span either way. */
    private static Instant meetingTime(Object meeting, Instant now) throws UndecodableEventException {
        String s = text(meeting, "startsAt", "detail.meeting.startsAt");
        if (s == null) return null;
        try {
            Instant at = SignalTime.parseIso(s);
            if (at.isAfter(now.plus(SignalTime.MAX_AGE)) || at.isBefore(now.minus(SignalTime.MAX_AGE))) {
                throw new InvalidValueException("must be within " + SignalTime.MAX_AGE.toDays() / 366 + " years of now");
            }
            return at;
        } catch (InvalidValueException e) {
            throw new UndecodableEventException("detail.meeting.startsAt " + e.getMessage());
        }
    }
}
