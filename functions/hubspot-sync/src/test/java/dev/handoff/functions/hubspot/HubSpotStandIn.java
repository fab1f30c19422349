package dev.handoff.functions.hubspot;

import com.fasterxml.jackson.jr.ob.JSON;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for HubSpot's CRM v3 API on a loopback port. It enforces what HubSpot documents for the four calls
 * the sync makes, and counts them so that tests can assert "exactly one":
 *
 * <ul>
 *   <li>Authentication: every request needs {@code Authorization: Bearer <token>} (private apps authenticate with
 *       their access token as a Bearer token: developers.hubspot.com/docs/api/usage-details); without it, or with
 *       another token, 401 with category {@code INVALID_AUTHENTICATION}.</li>
 *   <li>{@code PATCH /crm/v3/objects/contacts/{email}?idProperty=email}: "To identify a contact by their email or
 *       other unique property, include the email/property value in the request URL path, and add the
 *       {@code idProperty} query parameter" (developers.hubspot.com/docs/api-reference/latest/crm/objects/contacts/
 *       update-contact). Without {@code idProperty=email} the path segment is an object id, and an email is no
 *       id: 404. An unknown email: 404 {@code OBJECT_NOT_FOUND}. Known: 200 {@code {"id", "properties"}}.
 *       "Read-only and non-existent properties will result in an error": 400 {@code VALIDATION_ERROR}. The
 *       lifecycle stage "is not designed to move backwards" (contacts API, "Update an existing contact by email",
 *       property notes): an earlier stage than the contact's is left as it is, without an error.</li>
 *   <li>{@code POST /crm/v3/objects/contacts}: 201 {@code {"id"}}; an email HubSpot has: 409 {@code CONFLICT}
 *       ("Contact already exists. Existing ID: ...").</li>
 *   <li>{@code GET /crm/v3/objects/deals/{value}?idProperty=handoff_alert_id}: the deal by a property "whose
 *       values are unique for this object type" (same reference); 404 when no deal has the value.</li>
 *   <li>{@code POST /crm/v3/objects/deals} with {@code "associations": [{"to": {"id"}, "types":
 *       [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 3}]}]} ("Associate records during
 *       creation", developers.hubspot.com/docs/api-reference/latest/crm/associations/overview; 3 is deal to
 *       contact): {@code dealname}, {@code pipeline}, {@code dealstage} required, the association must be type 3
 *       to an existing contact, else 400 {@code VALIDATION_ERROR}; a {@code handoff_alert_id} another deal has
 *       (a unique property): 409 {@code CONFLICT}.</li>
 *   <li>Rate limits: every answer carries {@code X-HubSpot-RateLimit-Max}, {@code -Remaining} and
 *       {@code -Interval-Milliseconds} (HubSpot's own answers show Interval-Milliseconds 10000, Max 150: the
 *       ten-second rolling window); past the limit, 429 with {@code Retry-After} and policy
 *       {@code TEN_SECONDLY_ROLLING}. The window and limit are set per test, so tests stay short.</li>
 *   <li>Injected failures: the next N requests to a path answer a status (a 502 from HubSpot's edge); or the next
 *       deal is made and its answer lost (a 502 after the write).</li>
 * </ul>
 */
final class HubSpotStandIn implements AutoCloseable {
    static final String TOKEN = "pat-na1-stand-in-token";
    private static final List<String> STAGES = List.of("subscriber", "lead", "marketingqualifiedlead",
            "salesqualifiedlead", "opportunity", "customer", "evangelist");
    private static final Set<String> CONTACT_PROPERTIES = Set.of("email", "firstname", "lastname", "company",
            "jobtitle", "lifecyclestage", "hubspot_owner_id", "phone");
    private static final Set<String> DEAL_PROPERTIES = Set.of("dealname", "pipeline", "dealstage", "amount",
            "hubspot_owner_id", HubSpotClient.ALERT_ID_PROPERTY);
    private static final Pattern CONTACT = Pattern.compile("/crm/v3/objects/contacts/([^/?]+)");
    private static final Pattern DEAL = Pattern.compile("/crm/v3/objects/deals/([^/?]+)");

    record Contact(String id, Map<String, String> properties) {}

    record Deal(String id, Map<String, String> properties, String contactId) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final AtomicInteger ids = new AtomicInteger(100);
    final Map<String, Contact> contactsByEmail = new ConcurrentHashMap<>();
    final Map<String, Deal> dealsById = new ConcurrentHashMap<>();
    /** Successful contact writes (PATCH 200 or POST 201) per email. */
    final Map<String, AtomicInteger> contactWrites = new ConcurrentHashMap<>();
    final AtomicInteger throttled = new AtomicInteger();
    final AtomicInteger unauthorized = new AtomicInteger();
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    private final int windowMillis;
    private final int maxPerWindow;
    private final Deque<Long> window = new ArrayDeque<>();
    private final Map<String, Deque<Integer>> injected = new HashMap<>();
    private volatile boolean loseNextDealAnswer;

    HubSpotStandIn(int maxPerWindow, int windowMillis) throws IOException {
        this.maxPerWindow = maxPerWindow;
        this.windowMillis = windowMillis;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next {@code times} requests whose path starts with {@code pathPrefix} answer {@code status}. */
    synchronized void inject(String pathPrefix, int status, int times) {
        Deque<Integer> q = injected.computeIfAbsent(pathPrefix, k -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) q.add(status);
    }

    /** The next deal is made, and then its answer is lost (502). */
    void loseNextDealAnswer() {
        loseNextDealAnswer = true;
    }

    int contactWrites(String email) {
        AtomicInteger n = contactWrites.get(email.toLowerCase(Locale.ROOT));
        return n == null ? 0 : n.get();
    }

    int dealsFor(String alertId) {
        return (int) dealsById.values().stream()
                .filter(d -> alertId.equals(d.properties().get(HubSpotClient.ALERT_ID_PROPERTY))).count();
    }

    Contact contact(String email) {
        return contactsByEmail.get(email.toLowerCase(Locale.ROOT));
    }

    Deal dealOf(String alertId) {
        return dealsById.values().stream()
                .filter(d -> alertId.equals(d.properties().get(HubSpotClient.ALERT_ID_PROPERTY))).findFirst().orElse(null);
    }

    private void handle(HttpExchange x) throws IOException {
        try {
            String path = x.getRequestURI().getRawPath();
            String query = x.getRequestURI().getRawQuery();
            String method = x.getRequestMethod();
            requests.add(method + " " + path);
            String auth = x.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.equals("Bearer " + TOKEN)) {
                unauthorized.incrementAndGet();
                send(x, 401, error("Authentication credentials not found.", "INVALID_AUTHENTICATION"), 0);
                return;
            }
            int remaining = admit();
            if (remaining < 0) {
                throttled.incrementAndGet();
                x.getResponseHeaders().add("Retry-After", "1");
                Map<String, Object> body = error("You have reached your ten_secondly_rolling limit.", "RATE_LIMITS");
                body.put("errorType", "RATE_LIMIT");
                body.put("policyName", "TEN_SECONDLY_ROLLING");
                send(x, 429, body, 0);
                return;
            }
            Integer failure = nextInjected(path);
            if (failure != null) {
                send(x, failure, error("Bad gateway (injected)", "INTERNAL_ERROR"), remaining);
                return;
            }
            Map<String, Object> body = method.equals("GET") ? Map.of() : readBody(x);
            Matcher c = CONTACT.matcher(path);
            Matcher d = DEAL.matcher(path);
            if (method.equals("PATCH") && c.matches()) {
                patchContact(x, decode(c.group(1)), query, body, remaining);
            } else if (method.equals("POST") && path.equals("/crm/v3/objects/contacts")) {
                createContact(x, body, remaining);
            } else if (method.equals("GET") && d.matches()) {
                findDeal(x, decode(d.group(1)), query, remaining);
            } else if (method.equals("POST") && path.equals("/crm/v3/objects/deals")) {
                createDeal(x, body, remaining);
            } else {
                send(x, 404, error("no such endpoint in the stand-in: " + method + " " + path, "OBJECT_NOT_FOUND"), remaining);
            }
        } catch (RuntimeException e) {
            send(x, 500, error("stand-in failure: " + e, "INTERNAL_ERROR"), 0);
        }
    }

    private void patchContact(HttpExchange x, String idOrEmail, String query, Map<String, Object> body, int remaining) throws IOException {
        String email = idOrEmail.toLowerCase(Locale.ROOT);
        Contact contact = "idProperty=email".equals(query) ? contactsByEmail.get(email) : null;
        if (contact == null) {
            send(x, 404, error("resource not found", "OBJECT_NOT_FOUND"), remaining);
            return;
        }
        Map<String, String> props = properties(body, CONTACT_PROPERTIES);
        if (props == null) {
            send(x, 400, error("Property values were not valid", "VALIDATION_ERROR"), remaining);
            return;
        }
        synchronized (contact) {
            String stage = props.remove("lifecyclestage");
            contact.properties().putAll(props);
            if (stage != null && rank(stage) > rank(contact.properties().get("lifecyclestage"))) {
                contact.properties().put("lifecyclestage", stage);
            }
        }
        contactWrites.computeIfAbsent(email, k -> new AtomicInteger()).incrementAndGet();
        send(x, 200, object(contact.id(), contact.properties()), remaining);
    }

    private synchronized void createContact(HttpExchange x, Map<String, Object> body, int remaining) throws IOException {
        Map<String, String> props = properties(body, CONTACT_PROPERTIES);
        if (props == null || props.get("email") == null) {
            send(x, 400, error("Property values were not valid", "VALIDATION_ERROR"), remaining);
            return;
        }
        String email = props.get("email").toLowerCase(Locale.ROOT);
        Contact existing = contactsByEmail.get(email);
        if (existing != null) {
            send(x, 409, error("Contact already exists. Existing ID: " + existing.id(), "CONFLICT"), remaining);
            return;
        }
        Contact contact = new Contact(Integer.toString(ids.incrementAndGet()), new ConcurrentHashMap<>(props));
        contactsByEmail.put(email, contact);
        contactWrites.computeIfAbsent(email, k -> new AtomicInteger()).incrementAndGet();
        send(x, 201, object(contact.id(), contact.properties()), remaining);
    }

    /** A contact HubSpot already has (made by someone else), at a stage. */
    Contact seedContact(String email, String stage) {
        Contact c = new Contact(Integer.toString(ids.incrementAndGet()), new ConcurrentHashMap<>(Map.of("email", email, "lifecyclestage", stage)));
        contactsByEmail.put(email.toLowerCase(Locale.ROOT), c);
        return c;
    }

    private void findDeal(HttpExchange x, String value, String query, int remaining) throws IOException {
        Deal found = ("idProperty=" + HubSpotClient.ALERT_ID_PROPERTY).equals(query) ? dealOf(value) : dealsById.get(value);
        if (found == null) send(x, 404, error("resource not found", "OBJECT_NOT_FOUND"), remaining);
        else send(x, 200, object(found.id(), found.properties()), remaining);
    }

    private synchronized void createDeal(HttpExchange x, Map<String, Object> body, int remaining) throws IOException {
        Map<String, String> props = properties(body, DEAL_PROPERTIES);
        String contactId = associatedContact(body.get("associations"));
        if (props == null || props.get("dealname") == null || props.get("pipeline") == null || props.get("dealstage") == null
                || contactId == null) {
            send(x, 400, error("Property values were not valid, or the association is not deal-to-contact (3) to an "
                    + "existing contact", "VALIDATION_ERROR"), remaining);
            return;
        }
        String alertId = props.get(HubSpotClient.ALERT_ID_PROPERTY);
        if (alertId != null && dealsFor(alertId) > 0) {
            send(x, 409, error("A deal with this " + HubSpotClient.ALERT_ID_PROPERTY + " already exists", "CONFLICT"), remaining);
            return;
        }
        Deal deal = new Deal(Integer.toString(ids.incrementAndGet()), props, contactId);
        dealsById.put(deal.id(), deal);
        if (loseNextDealAnswer) {
            loseNextDealAnswer = false;
            send(x, 502, error("Bad gateway (the deal was made, its answer lost)", "INTERNAL_ERROR"), remaining);
            return;
        }
        send(x, 201, object(deal.id(), deal.properties()), remaining);
    }

    private String associatedContact(Object associations) {
        if (!(associations instanceof List<?> list) || list.size() != 1 || !(list.get(0) instanceof Map<?, ?> a)) return null;
        if (!(a.get("to") instanceof Map<?, ?> to) || to.get("id") == null) return null;
        if (!(a.get("types") instanceof List<?> types) || types.size() != 1 || !(types.get(0) instanceof Map<?, ?> type)) return null;
        if (!"HUBSPOT_DEFINED".equals(type.get("associationCategory"))) return null;
        if (!(type.get("associationTypeId") instanceof Number n) || n.intValue() != 3) return null;
        String id = to.get("id").toString();
        return contactsByEmail.values().stream().anyMatch(c -> c.id().equals(id)) ? id : null;
    }

    /** The request's properties, every one text and known; null when any is not. */
    private static Map<String, String> properties(Map<String, Object> body, Set<String> known) {
        if (!(body.get("properties") instanceof Map<?, ?> p)) return null;
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : p.entrySet()) {
            if (!known.contains(String.valueOf(e.getKey())) || !(e.getValue() instanceof String v)) return null;
            out.put(String.valueOf(e.getKey()), v);
        }
        return out;
    }

    private static int rank(String stage) {
        return stage == null ? -1 : STAGES.indexOf(stage);
    }

    /** Counts the request in the rolling window: the requests left in it, or -1 when over the limit. */
    private synchronized int admit() {
        long now = System.currentTimeMillis();
        while (!window.isEmpty() && window.peekFirst() <= now - windowMillis) window.pollFirst();
        if (window.size() >= maxPerWindow) return -1;
        window.addLast(now);
        return maxPerWindow - window.size();
    }

    private synchronized Integer nextInjected(String path) {
        for (Map.Entry<String, Deque<Integer>> e : injected.entrySet()) {
            if (path.startsWith(e.getKey()) && !e.getValue().isEmpty()) return e.getValue().pollFirst();
        }
        return null;
    }

    private static Map<String, Object> object(String id, Map<String, String> properties) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("properties", new LinkedHashMap<>(properties));
        m.put("archived", false);
        return m;
    }

    private static Map<String, Object> error(String message, String category) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "error");
        m.put("message", message);
        m.put("correlationId", UUID.randomUUID().toString());
        m.put("category", category);
        return m;
    }

    private void send(HttpExchange x, int status, Map<String, Object> body, int remaining) throws IOException {
        x.getResponseHeaders().add("Content-Type", "application/json;charset=utf-8");
        x.getResponseHeaders().add("X-HubSpot-RateLimit-Interval-Milliseconds", Integer.toString(windowMillis));
        x.getResponseHeaders().add("X-HubSpot-RateLimit-Max", Integer.toString(maxPerWindow));
        x.getResponseHeaders().add("X-HubSpot-RateLimit-Remaining", Integer.toString(Math.max(0, remaining)));
        byte[] bytes = JSON.std.asString(body).getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, Object> readBody(HttpExchange x) throws IOException {
        String text = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (text.isBlank()) return Map.of();
        return JSON.std.mapFrom(text);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
