package dev.handoff.core.app;

import dev.handoff.core.VisitorId;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a browser beacon ({@code POST /t}, PRODUCT §2.4) field by field, all errors at once. A browser may only say
 * that an anonymous visitor viewed a page or started a session: the two types, a visitor id and an event id, the
 * page's URL and referrer, nothing else — never an email, since a browser cannot claim to be someone. The time is
 * the server's, never the browser's.
 */
public final class BeaconIntake {
    public static final Set<String> TYPES = Set.of("PageViewed", "SessionStarted");
    static final List<String> FIELDS = List.of("type", "visitorId", "eventId", "url", "referrer");
    static final int MAX_URL = 2048;

    private BeaconIntake() {}

    /** A beacon that passed every check, stamped with the time it was received. */
    public record Beacon(String type, String visitorId, String eventId, String url, String referrer, Instant receivedAt) {}

    public sealed interface Result {
        record Accepted(Beacon beacon) implements Result {}

        record Invalid(List<FormIntake.FieldError> errors) implements Result {
            public Invalid {
                errors = List.copyOf(errors);
            }
        }
    }

    /** @param body the parsed JSON object, values as jackson-jr gives them (strings, numbers, maps, lists) */
    public static Result accept(Map<?, ?> body, Instant now) {
        List<FormIntake.FieldError> errors = new ArrayList<>();
        for (Object key : body.keySet()) {
            String name = String.valueOf(key);
            if (name.equals("email")) {
                errors.add(new FormIntake.FieldError("email", "is not accepted from a browser: a visitor is identified by a form post"));
            } else if (!FIELDS.contains(name)) {
                errors.add(new FormIntake.FieldError(name, "unknown field (a beacon has type, visitorId, eventId, url and referrer)"));
            }
        }
        String type = text(body, "type", errors);
        if (type == null) {
            if (!body.containsKey("type") || body.get("type") == null) errors.add(new FormIntake.FieldError("type", "is required"));
        } else if (!TYPES.contains(type)) {
            errors.add(new FormIntake.FieldError("type", "must be PageViewed or SessionStarted"));
        }
        String visitorId = id(body, "visitorId", errors);
        String eventId = id(body, "eventId", errors);
        String url = text(body, "url", errors);
        if (url == null) {
            if ("PageViewed".equals(type) && (body.get("url") == null)) errors.add(new FormIntake.FieldError("url", "is required for PageViewed"));
        } else if (url.length() > MAX_URL) {
            errors.add(new FormIntake.FieldError("url", "must be at most " + MAX_URL + " characters"));
        } else if (!isWebUrl(url)) {
            errors.add(new FormIntake.FieldError("url", "must be an absolute http:// or https:// URL"));
        }
        String referrer = text(body, "referrer", errors);
        if (referrer != null && referrer.isEmpty()) referrer = null; // document.referrer is "" for a direct visit
        if (referrer != null) {
            if (referrer.length() > MAX_URL) {
                errors.add(new FormIntake.FieldError("referrer", "must be at most " + MAX_URL + " characters"));
            } else if (referrer.chars().anyMatch(Character::isISOControl)) {
                errors.add(new FormIntake.FieldError("referrer", "must not hold control characters"));
            }
        }
        if (!errors.isEmpty()) return new Result.Invalid(errors);
        return new Result.Accepted(new Beacon(type, visitorId, eventId, url, referrer, now));
    }

    private static String id(Map<?, ?> body, String field, List<FormIntake.FieldError> errors) {
        String v = text(body, field, errors);
        if (v == null) {
            if (body.get(field) == null) errors.add(new FormIntake.FieldError(field, "is required"));
            return null;
        }
        if (!VisitorId.valid(v)) { // an event id follows the visitor id's rule
            errors.add(new FormIntake.FieldError(field, "must be 8 to 128 letters, digits, '_' or '-'"));
            return null;
        }
        return v;
    }

    /** The field as a string; null when absent or null, and null with an error when it is not a string. */
    private static String text(Map<?, ?> body, String field, List<FormIntake.FieldError> errors) {
        Object v = body.get(field);
        if (v == null) return null;
        if (!(v instanceof String s)) {
            errors.add(new FormIntake.FieldError(field, "must be a string"));
            return null;
        }
        return s;
    }

    private static boolean isWebUrl(String text) {
        if (text.chars().anyMatch(ch -> ch <= ' ')) return false;
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            return (("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme)) && uri.getHost() != null);
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
