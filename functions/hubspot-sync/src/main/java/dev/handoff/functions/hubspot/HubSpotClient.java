package dev.handoff.functions.hubspot;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The four HubSpot CRM v3 calls the sync makes, with the JDK's {@link HttpClient} (PRODUCT §3):
 *
 * <pre>
 * PATCH /crm/v3/objects/contacts/{email}?idProperty=email   {"properties": {...}}     200 {"id"}; 404 unknown contact
 * POST  /crm/v3/objects/contacts                            {"properties": {...}}     201 {"id"}; 409 exists already
 * GET   /crm/v3/objects/deals/{alertId}?idProperty=handoff_alert_id                  200 {"id"}; 404 none yet
 * POST  /crm/v3/objects/deals   {"properties": {...}, "associations": [{"to": {"id"}, "types":
 *                               [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 3}]}]}   201; 409
 * </pre>
 *
 * Every request carries {@code Authorization: Bearer TOKEN}. A 429 waits as {@code Retry-After} says (else for
 * the {@code X-HubSpot-RateLimit-Interval-Milliseconds} window), and when {@code X-HubSpot-RateLimit-Remaining}
 * reaches 0 the next request waits for the window first; a 5xx or a broken connection is retried with
 * exponential backoff and jitter. All of it only until the deadline: then {@link HubSpotUnavailableException},
 * and the message is delivered again later. Any other 4xx is {@link HubSpotRefusedException}. Nothing here logs;
 * exceptions name the call and HubSpot's status and category, never the token or the contact.
 */
public final class HubSpotClient {
    public static final String DEFAULT_BASE_URL = "https://api.hubapi.com";
    /** A deal property of the portal, unique (hasUniqueValue), holding the alert id: the deal's idempotency key. */
    public static final String ALERT_ID_PROPERTY = "handoff_alert_id";
    /** HubSpot-defined association type of a deal to a contact. */
    public static final int DEAL_TO_CONTACT = 3;

    static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(8);
    static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** Waits between attempts; tests take no real time. */
    @FunctionalInterface
    public interface Pause {
        Pause THREAD = d -> Thread.sleep(d.toMillis());

        void sleep(Duration d) throws InterruptedException;
    }

    private final HttpClient http;
    private final String base;
    private final Supplier<String> token;
    private final Pause pause;
    private final Clock clock;
    /** When the rate-limit window that HubSpot said is used up ends (epoch ms); 0 when none is known. */
    private volatile long windowEndsAt;

    public HubSpotClient(HttpClient http, URI baseUrl, Supplier<String> token) {
        this(http, baseUrl, token, Pause.THREAD, Clock.systemUTC());
    }

    public HubSpotClient(HttpClient http, URI baseUrl, Supplier<String> token, Pause pause, Clock clock) {
        this.http = Objects.requireNonNull(http, "http");
        String b = baseUrl.toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.token = Objects.requireNonNull(token, "token");
        this.pause = pause;
        this.clock = clock;
    }

    /** One shared client: HTTP/1.1 keep-alive, short connect timeout. */
    public static HttpClient defaultHttpClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * Sets the contact's properties by email ({@code lifecyclestage} among them; HubSpot keeps the stage
     * forward-only, so a contact further along keeps its own), creating it when HubSpot does not know the email.
     * Returns HubSpot's contact id.
     */
    public String upsertContact(String email, Map<String, String> properties, Instant deadline) {
        String byEmail = "/crm/v3/objects/contacts/" + encode(email) + "?idProperty=email";
        Response patched = send("PATCH", byEmail, Map.of("properties", properties), deadline, "update contact");
        if (patched.status == 200) return patched.id();
        if (patched.status != 404) throw refused(patched, "update contact");
        Map<String, String> withEmail = new LinkedHashMap<>(properties);
        withEmail.put("email", email);
        Response created = send("POST", "/crm/v3/objects/contacts", Map.of("properties", withEmail), deadline, "create contact");
        if (created.status == 201 || created.status == 200) return created.id();
        if (created.status == 409) {
            // Created by someone else between our two calls: update that one.
            Response again = send("PATCH", byEmail, Map.of("properties", properties), deadline, "update contact");
            if (again.status == 200) return again.id();
            throw refused(again, "update contact");
        }
        throw refused(created, "create contact");
    }

    /** The deal that carries this alert id, if one was made (by an earlier attempt that crashed before its record). */
    public Optional<String> dealOfAlert(String alertId, Instant deadline) {
        Response r = send("GET", "/crm/v3/objects/deals/" + encode(alertId) + "?idProperty=" + ALERT_ID_PROPERTY,
                null, deadline, "find deal");
        if (r.status == 200) return Optional.of(r.id());
        if (r.status == 404) return Optional.empty();
        throw refused(r, "find deal");
    }

    /** Creates the deal associated with the contact; empty when a deal with its alert id exists already (409). */
    public Optional<String> createDeal(Map<String, String> properties, String contactId, Instant deadline) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("properties", properties);
        body.put("associations", List.of(Map.of(
                "to", Map.of("id", contactId),
                "types", List.of(Map.of("associationCategory", "HUBSPOT_DEFINED", "associationTypeId", DEAL_TO_CONTACT)))));
        Response r = send("POST", "/crm/v3/objects/deals", body, deadline, "create deal");
        if (r.status == 201 || r.status == 200) return Optional.of(r.id());
        if (r.status == 409) return Optional.empty();
        throw refused(r, "create deal");
    }

    // ------------------------------------------------------------------------------------------------ HTTP

    record Response(int status, Map<String, Object> body, String call) {
        String id() {
            Object id = body == null ? null : body.get("id");
            if (id == null) throw new HubSpotRefusedException(status, null, call + ": HubSpot's answer has no id", null);
            return id.toString();
        }
    }

    /** Sends until HubSpot answers something other than 429 or 5xx, or the deadline comes. */
    Response send(String method, String pathAndQuery, Object body, Instant deadline, String call) {
        String json = body == null ? null : write(body);
        for (int attempt = 1; ; attempt++) {
            waitForWindow(deadline, call);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                    .timeout(timeout(deadline))
                    .header("Authorization", "Bearer " + token.get())
                    .header("Accept", "application/json");
            if (json != null) {
                request.header("Content-Type", "application/json");
                request.method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException broken) {
                backOff(attempt, deadline, call, "no answer (" + broken.getClass().getSimpleName() + ")");
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HubSpotUnavailableException(call + ": interrupted");
            }
            noteRateLimit(response);
            int status = response.statusCode();
            if (status == 429) {
                Duration wait = retryAfter(response).orElseGet(() -> window(response));
                waitUntil(clock.instant().plus(wait), deadline, call, "429");
                continue;
            }
            if (status >= 500) {
                backOff(attempt, deadline, call, Integer.toString(status));
                continue;
            }
            return new Response(status, read(response.body()), call);
        }
    }

    private void noteRateLimit(HttpResponse<?> response) {
        Optional<String> remaining = response.headers().firstValue("X-HubSpot-RateLimit-Remaining");
        if (remaining.isPresent() && remaining.get().trim().equals("0")) {
            windowEndsAt = clock.millis() + window(response).toMillis();
        }
    }

    private void waitForWindow(Instant deadline, String call) {
        long ends = windowEndsAt;
        if (ends > clock.millis()) waitUntil(Instant.ofEpochMilli(ends), deadline, call, "rate limit window used up");
    }

    /** {@code Retry-After} in seconds (HubSpot sends whole seconds; an HTTP date is not used by it). */
    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                double seconds = Double.parseDouble(v.trim());
                return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofMillis((long) (seconds * 1000)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    /** The window of HubSpot's rate limit ({@code X-HubSpot-RateLimit-Interval-Milliseconds}, 10 s for private apps). */
    static Duration window(HttpResponse<?> response) {
        return response.headers().firstValue("X-HubSpot-RateLimit-Interval-Milliseconds").map(v -> {
            try {
                return Duration.ofMillis(Long.parseLong(v.trim()));
            } catch (NumberFormatException e) {
                return DEFAULT_WINDOW;
            }
        }).orElse(DEFAULT_WINDOW);
    }

    private void backOff(int attempt, Instant deadline, String call, String what) {
        long cap = Math.min(MAX_BACKOFF.toMillis(), FIRST_BACKOFF.toMillis() << Math.min(attempt - 1, 10));
        long wait = ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
        waitUntil(clock.instant().plusMillis(wait), deadline, call, what);
    }

    private void waitUntil(Instant until, Instant deadline, String call, String what) {
        if (until.isAfter(deadline)) {
            throw new HubSpotUnavailableException(call + ": " + what + ", and no time is left to wait for HubSpot");
        }
        Duration d = Duration.between(clock.instant(), until);
        if (d.isNegative() || d.isZero()) return;
        try {
            pause.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubSpotUnavailableException(call + ": interrupted");
        }
    }

    private Duration timeout(Instant deadline) {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.compareTo(Duration.ofMillis(100)) < 0) left = Duration.ofMillis(100);
        return left.compareTo(REQUEST_TIMEOUT) < 0 ? left : REQUEST_TIMEOUT;
    }

    private static HubSpotRefusedException refused(Response r, String call) {
        Object category = r.body == null ? null : r.body.get("category");
        Object message = r.body == null ? null : r.body.get("message");
        Object correlation = r.body == null ? null : r.body.get("correlationId");
        return new HubSpotRefusedException(r.status, category == null ? null : category.toString(),
                call + " answered " + r.status + (category == null ? "" : " " + category)
                        + (correlation == null ? "" : " (correlationId " + correlation + ")"),
                message == null ? null : message.toString());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String write(Object body) {
        try {
            return JSON.std.asString(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a HubSpot request", e);
        }
    }

    private static Map<String, Object> read(String body) {
        if (body == null || body.isBlank()) return Map.of();
        try {
            Object tree = JSON.std.anyFrom(body);
            if (tree instanceof Map<?, ?> m) {
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, v) -> out.put(String.valueOf(k), v));
                return out;
            }
            return Map.of();
        } catch (IOException e) {
            return Map.of();
        }
    }
}
