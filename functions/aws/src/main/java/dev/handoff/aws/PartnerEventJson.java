package dev.handoff.aws;

import dev.handoff.core.EmailAddress;
import dev.handoff.core.InvalidValueException;
import dev.handoff.core.Signal;
import dev.handoff.core.SignalTime;
import dev.handoff.core.VisitorId;
import dev.handoff.core.app.ContactRef;
import dev.handoff.core.app.TrackingEvent;
import dev.handoff.core.app.VisitorIdentified;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Every message the tracking queue carries (PRODUCT §2.2 and §2.5), as what it means for Handoff: Handoff's own
 * {@code handoff.tracking} events ({@link TrackingEventJson}), and the events of the tools teams already run —
 * Segment's Amazon EventBridge destination (source {@code aws.partner/segment.com/...}), RudderStack's (source
 * {@code rudderstack}) and Amazon SES event publishing (source {@code aws.ses}). The event type is read from the
 * detail ({@code type}, {@code eventType}), since RudderStack's detail-type is a user setting. What these tools send
 * that Handoff has no use for ({@code track}, a bounce, ...) is {@link Inbound.Ignored}: not a failure, no DLQ.
 */
public final class PartnerEventJson {
    public static final String SEGMENT_SOURCE_PREFIX = "aws.partner/segment.com";
    public static final String RUDDERSTACK_SOURCE = "rudderstack";
    public static final String SES_SOURCE = "aws.ses";

    private PartnerEventJson() {}

    /** What one queued message means: one or more things to record, or nothing. */
    public sealed interface Inbound {
        record Track(TrackingEvent event) implements Inbound {}

        record Identify(VisitorIdentified identified) implements Inbound {}

        /** Understood and of no use to Handoff; the reason names the type, never a value. */
        record Ignored(String reason) implements Inbound {}
    }

    /** @param now this function's clock, for the one rule of a signal's time ({@link SignalTime}) */
    public static List<Inbound> decode(String envelope, Instant now) throws UndecodableEventException {
        try {
            return decodeChecked(envelope, now);
        } catch (InvalidValueException e) {
            throw new UndecodableEventException(e.getMessage());
        }
    }

    private static List<Inbound> decodeChecked(String envelope, Instant now) throws UndecodableEventException {
        if (envelope == null) throw new UndecodableEventException("the message has no body");
        Object tree;
        try {
            tree = Json.isBlankJson(envelope) ? null : Json.JR.anyFrom(envelope);
        } catch (IOException e) {
            throw new UndecodableEventException("the message body is not JSON");
        }
        if (!(tree instanceof Map<?, ?> root)) throw new UndecodableEventException("the message body is not a JSON object");
        String source = text(root, "source");
        if (source == null) throw new UndecodableEventException("source is missing");
        if (source.equals(TrackingEventJson.SOURCE)) return List.of(new Inbound.Track(TrackingEventJson.decode(envelope, now)));
        if (!(root.get("detail") instanceof Map<?, ?> detail)) throw new UndecodableEventException("detail must be an object");
        if (source.startsWith(SEGMENT_SOURCE_PREFIX + "/")) return List.of(segmentSpec(root, detail, "segment", now));
        if (source.equals(RUDDERSTACK_SOURCE)) return List.of(segmentSpec(root, detail, "rudderstack", now));
        if (source.equals(SES_SOURCE)) return ses(root, detail, now);
        throw new UndecodableEventException("source must be " + TrackingEventJson.SOURCE + ", " + SEGMENT_SOURCE_PREFIX
                + "/..., " + RUDDERSTACK_SOURCE + " or " + SES_SOURCE);
    }

    // ----------------------------------------------------------------------------- Segment and RudderStack

    /** A message of the Segment spec (RudderStack follows it): {@code page} and {@code identify} count. */
    private static Inbound segmentSpec(Map<?, ?> root, Map<?, ?> detail, String tool, Instant now) throws UndecodableEventException {
        String type = text(detail, "type");
        if (type == null) throw new UndecodableEventException("detail.type is missing (" + tool + ")");
        if (!type.equals("page") && !type.equals("identify")) return new Inbound.Ignored(tool + " " + type);
        String anonymousId = text(detail, "anonymousId");
        if (anonymousId == null) return new Inbound.Ignored(tool + " " + type + " without anonymousId");
        VisitorId visitor = field("detail.anonymousId", () -> VisitorId.parse(anonymousId));
        String messageId = text(detail, "messageId");
        if (messageId == null) throw new UndecodableEventException("detail.messageId is required (" + tool + ")");
        if (messageId.length() > TrackingEventJson.MAX_ID) {
            throw new UndecodableEventException("detail.messageId must be at most " + TrackingEventJson.MAX_ID + " characters");
        }
        Instant at = SignalTime.check(firstTime(root, detail, "timestamp", "originalTimestamp"), now);
        if (type.equals("page")) {
            String url = text(object(detail, "properties"), "url");
            if (url == null) url = text(object(object(detail, "context"), "page"), "url");
            if (url == null) throw new UndecodableEventException("a page needs detail.properties.url or detail.context.page.url");
            return new Inbound.Track(new TrackingEvent(new ContactRef.ByVisitor(visitor),
                    new Signal.PageViewed(messageId, at, Signal.PageViewed.pathOf(url))));
        }
        // RudderStack's SDKs put identify traits under context.traits; Segment's at the top.
        String email = text(object(detail, "traits"), "email");
        if (email == null) email = text(object(object(detail, "context"), "traits"), "email");
        if (email == null) return new Inbound.Ignored(tool + " identify without traits.email");
        String given = email;
        EmailAddress address = field("detail.traits.email", () -> EmailAddress.parse(given));
        return new Inbound.Identify(new VisitorIdentified(visitor, address, messageId, at, tool));
    }

    // ----------------------------------------------------------------------------- Amazon SES

    /** SES event publishing: {@code Open} and {@code Click} count, once for each address the mail went to. */
    private static List<Inbound> ses(Map<?, ?> root, Map<?, ?> detail, Instant now) throws UndecodableEventException {
        String type = text(detail, "eventType");
        if (type == null) throw new UndecodableEventException("detail.eventType is missing (aws.ses)");
        if (!type.equals("Open") && !type.equals("Click")) return List.of(new Inbound.Ignored("aws.ses " + type));
        boolean click = type.equals("Click");
        Map<?, ?> mail = object(detail, "mail");
        String messageId = text(mail, "messageId");
        if (messageId == null) throw new UndecodableEventException("detail.mail.messageId is required (aws.ses)");
        Map<?, ?> what = object(detail, click ? "click" : "open");
        Instant at = time(what, "timestamp", "detail." + (click ? "click" : "open") + ".timestamp");
        if (at == null) at = firstTime(root, mail, "timestamp", "timestamp");
        at = SignalTime.check(at, now);
        String link = click ? text(what, "link") : null;
        String campaign = firstTag(mail, "campaign");
        if (campaign == null) campaign = firstTag(mail, "ses:configuration-set"); // every publishing mail has one
        if (campaign == null) campaign = "ses";
        if (!(mail.get("destination") instanceof List<?> destination) || destination.isEmpty()) {
            throw new UndecodableEventException("detail.mail.destination must list the addresses (aws.ses)");
        }
        // The same open or click delivered again gives the same id: message, type, time and link.
        String eventId = "ses-" + sha256(messageId + "|" + type + "|" + at + "|" + (link == null ? "" : link)).substring(0, 40);
        List<Inbound> out = new ArrayList<>();
        for (Object d : destination) {
            String address = d == null ? null : d.toString().trim();
            // "Ana <ana@acme.com>" as SES lists a display name.
            if (address != null && address.endsWith(">") && address.contains("<")) {
                address = address.substring(address.lastIndexOf('<') + 1, address.length() - 1).trim();
            }
            String given = address;
            EmailAddress to = field("detail.mail.destination[]", () -> EmailAddress.parse(given));
            Signal signal = click ? new Signal.EmailClicked(eventId, at, campaign, link) : new Signal.EmailOpened(eventId, at, campaign);
            out.add(new Inbound.Track(new TrackingEvent(new ContactRef.ByEmail(to), signal)));
        }
        return out;
    }

    private static String firstTag(Map<?, ?> mail, String tag) {
        Object values = object(mail, "tags").get(tag);
        if (values instanceof List<?> l && !l.isEmpty() && l.get(0) != null && !l.get(0).toString().isBlank()) {
            return l.get(0).toString().trim();
        }
        return null;
    }

    // ----------------------------------------------------------------------------- reading

    /** A value parsed by the core's one rule for it; what is wrong is named with the field's path, never the value. */
    private static <T> T field(String path, java.util.function.Supplier<T> parse) throws UndecodableEventException {
        try {
            return parse.get();
        } catch (InvalidValueException e) {
            throw new UndecodableEventException(path + " " + e.getMessage());
        }
    }

    private static Map<?, ?> object(Map<?, ?> node, String field) {
        return node != null && node.get(field) instanceof Map<?, ?> m ? m : Map.of();
    }

    private static String text(Map<?, ?> node, String field) {
        Object v = node == null ? null : node.get(field);
        if (v == null || v instanceof Map<?, ?> || v instanceof List<?>) return null;
        String s = v.toString().trim();
        return s.isEmpty() ? null : s;
    }

    private static Instant firstTime(Map<?, ?> root, Map<?, ?> node, String field, String fallback) throws UndecodableEventException {
        Instant at = time(node, field, "detail." + field);
        if (at == null) at = time(node, fallback, "detail." + fallback);
        if (at == null) at = time(root, "time", "time");
        if (at == null) throw new UndecodableEventException("detail." + field + " is required (ISO-8601)");
        return at;
    }

    private static Instant time(Map<?, ?> node, String field, String path) throws UndecodableEventException {
        String s = text(node, field);
        return s == null ? null : field(path, () -> SignalTime.parseIso(s));
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
