package dev.handoff.functions.sales;

import static dev.handoff.aws.HttpApiRequests.lowerCase;
import static dev.handoff.aws.HttpApiResponses.error;
import static dev.handoff.aws.HttpApiResponses.invalid;
import static dev.handoff.aws.HttpApiResponses.respond;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.handoff.aws.Clients;
import dev.handoff.aws.DynamoDbContacts;
import dev.handoff.aws.DynamoDbHubSpotLedger;
import dev.handoff.aws.DynamoDbOwners;
import dev.handoff.aws.Env;
import dev.handoff.aws.HttpApiRequests;
import dev.handoff.aws.Log;
import dev.handoff.aws.Metric;
import dev.handoff.aws.Metrics;
import dev.handoff.aws.Priming;
import dev.handoff.core.EmailAddress;
import dev.handoff.core.app.ContactUpdates;
import dev.handoff.core.app.SalesDesk;
import dev.handoff.core.app.SalesRequests;
import dev.handoff.core.policy.Policy;
import dev.handoff.core.policy.Routing;
import dev.handoff.core.routing.OwnerDirectory;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The sales API (PRODUCT §2.3), IAM-authorised on AWS:
 *
 * <pre>
 * GET    /contacts/{email}                    200 the contact, its scores and their reasons, history, deals; 404
 * PUT    /contacts/{email}/stage              {stage, reason, actor, force?}: 200 stage and history; 409; 404
 * POST   /contacts/{email}/sales-acceptance   {actor, occurredAt?}: 202 {"eventId"}
 * POST   /contacts/{email}/activities         {type: call|meeting|email, actor, occurredAt?}: 202 {"eventId"}
 * POST   /imports                             {contacts: [{email, properties, stage?}]}: 200 a result per row
 * DELETE /contacts/{email}                    204; 404 when nothing was known
 * GET    /owners                              200 {"owners": [{id, pool, weight, available, assigned}]}
 * PUT    /owners/{id}                         {available}: 200 that owner's rows; 404 for an owner routing does not name
 * </pre>
 *
 * Requests are routed by the HTTP API's route key, or by method and path when there is none. Every 4xx is
 * decided before anything is written: {@code {"errors": [{"field": ..., "message": ...}]}}, every problem of the
 * request at once where they can be told apart. The {@code Idempotency-Key} header, when sent, is the id of the
 * signal a sales acceptance or activity records, so a retried call counts once. Logs name contacts only by
 * {@link Log#contact}.
 */
public final class ApiGatewaySalesApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>,
        org.crac.Resource {
    static final int MAX_BODY_BYTES = 64 * 1024;
    static final int MAX_IMPORT_BODY_BYTES = 2 * 1024 * 1024;
    /**
     * How many rows of an import apply at once: a new contact is about three requests, so 500 rows one after the
     * other would take too long for the HTTP API's 30 s. Four stays within the JDK's keep-alive pool of five
     * connections per host ({@code http.maxConnections}), which the SDK's URLConnection client uses.
     */
    static final int IMPORT_PARALLELISM = 4;

    /** The six routes, by the HTTP API's route keys. */
    enum Route {
        VIEW("GET", "/contacts/{email}", Pattern.compile("/contacts/([^/]+)/?")),
        STAGE("PUT", "/contacts/{email}/stage", Pattern.compile("/contacts/([^/]+)/stage/?")),
        ACCEPT("POST", "/contacts/{email}/sales-acceptance", Pattern.compile("/contacts/([^/]+)/sales-acceptance/?")),
        ACTIVITY("POST", "/contacts/{email}/activities", Pattern.compile("/contacts/([^/]+)/activities/?")),
        IMPORT("POST", "/imports", Pattern.compile("/imports/?")),
        ERASE("DELETE", "/contacts/{email}", Pattern.compile("/contacts/([^/]+)/?")),
        OWNERS("GET", "/owners", Pattern.compile("/owners/?")),
        OWNER("PUT", "/owners/{id}", Pattern.compile("/owners/([^/]+)/?"));

        final String method;
        final String path;
        final Pattern pattern;

        Route(String method, String path, Pattern pattern) {
            this.method = method;
            this.path = path;
            this.pattern = pattern;
        }

        String routeKey() {
            return method + " " + path;
        }

        boolean hasEmail() {
            return this != IMPORT && this != OWNERS && this != OWNER;
        }
    }

    private final SalesDesk desk;
    private final Clock clock;
    private final Routing routing;
    private final OwnerDirectory owners;
    private final DynamoDbHubSpotLedger hubspot;
    private final Log log;
    /** SnapStart priming, set only on the Lambda wiring path (see {@link #beforeCheckpoint}). */
    private Priming.Step[] priming;

    /** Lambda's constructor: wired once from the environment (TABLE_NAME, POLICY or POLICY_FILE, the hash key). */
    public ApiGatewaySalesApiHandler() {
        this(Env.system());
    }

    public ApiGatewaySalesApiHandler(Env env) {
        this(env.policy(), env.require(Env.TABLE_NAME), Clients.dynamoDb(), env.log());
    }

    private ApiGatewaySalesApiHandler(Policy policy, String table, DynamoDbClient dynamoDb, Log log) {
        this(new SalesDesk(new DynamoDbContacts(dynamoDb, table, policy.engagementWindowDays()), policy,
                Clock.systemUTC(), IMPORT_PARALLELISM), Clock.systemUTC(), policy.routing(),
                new DynamoDbOwners(dynamoDb, table), new DynamoDbHubSpotLedger(dynamoDb, table), log);

        this.priming = new Priming.Step[] {
            () -> {
                ApiGatewaySalesApiHandler twin = new ApiGatewaySalesApiHandler(new SalesDesk(new DynamoDbContacts(
                        Priming.dynamoDb(), table, policy.engagementWindowDays()), policy, Clock.systemUTC(), 1), Clock.systemUTC(),
                        log.discarding());
                String contact = "/contacts/priming%40example.com";
                twin.handleRequest(primingEvent("GET", "/contacts/{email}", contact, null), null);
                twin.handleRequest(primingEvent("POST", "/contacts/{email}/activities", contact + "/activities",
                        "{\"type\": \"call\", \"actor\": \"priming\"}"), null);
                twin.handleRequest(primingEvent("PUT", "/contacts/{email}/stage", contact + "/stage",
                        "{\"stage\": \"lead\", \"reason\": \"priming\", \"actor\": \"priming\"}"), null);
            },
            () -> Priming.realRequest(dynamoDb, table),
        };
        Priming.register(this);
    }

    /**
     * SnapStart priming: sends a view, an activity and a stage change for a synthetic contact through this
     * handler's code with the same policy and table name, but a throwaway DynamoDB client that answers in-process
     * ({@link Priming}): nothing is read from or written to the table. Then one request the table refuses through
     * the real client ({@link Priming#realRequest}), so the connection path is warm too.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends org.crac.Resource> context) {
        if (priming != null) Priming.run(log, "sales-api", priming);
    }

    @Override
    public void afterRestore(org.crac.Context<? extends org.crac.Resource> context) {}

    private static APIGatewayV2HTTPEvent primingEvent(String method, String route, String path, String body) {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setRouteKey(method + " " + route);
        event.setRawPath(path);
        event.setPathParameters(Map.of("email", Priming.EMAIL));
        event.setHeaders(Map.of("content-type", "application/json", "idempotency-key", "priming"));
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod(method);
        http.setPath(path);
        APIGatewayV2HTTPEvent.RequestContext requestContext = new APIGatewayV2HTTPEvent.RequestContext();
        requestContext.setHttp(http);
        event.setRequestContext(requestContext);
        event.setBody(body);
        event.setIsBase64Encoded(false);
        return event;
    }

    /** Without owner routing and without HubSpot's ids in the contact view. */
    public ApiGatewaySalesApiHandler(SalesDesk desk, Clock clock, Log log) {
        this(desk, clock, Routing.NONE, null, null, log);
    }

    /** {@code owners} may be null when {@code routing} is none; {@code hubspot} null leaves HubSpot's ids out. */
    public ApiGatewaySalesApiHandler(SalesDesk desk, Clock clock, Routing routing, OwnerDirectory owners,
            DynamoDbHubSpotLedger hubspot, Log log) {
        this.desk = desk;
        this.clock = clock;
        this.routing = routing;
        this.owners = owners;
        this.hubspot = hubspot;
        this.log = log;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return log.invocation(context, (log, metrics) -> handle(event, log, metrics));
    }

    private APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Log log, Metrics metrics) {
        String method = method(event);
        String path = event.getRawPath() == null ? "" : event.getRawPath();
        Route route = route(event.getRouteKey(), method, path);
        if (route == null) {
            boolean knownPath = false;
            for (Route r : Route.values()) knownPath |= r.pattern.matcher(path).matches();
            return knownPath
                    ? error(405, "method", method + " is not served on " + path)
                    : error(404, "path", "no such route; the sales API serves GET, DELETE /contacts/{email}, "
                            + "PUT /contacts/{email}/stage, POST /contacts/{email}/sales-acceptance, "
                            + "POST /contacts/{email}/activities, POST /imports, GET /owners and PUT /owners/{id}");
        }
        try {
            APIGatewayV2HTTPResponse response = serve(route, event, path, log, metrics);
            return response;
        } catch (ContactUpdates.ContactKeptChangingException busy) {
            log.warn("sales api: the contact kept changing; answered 503", "route", route.routeKey());
            APIGatewayV2HTTPResponse r = error(503, "email", "the contact changed during every attempt; try again");
            r.getHeaders().put("Retry-After", "1");
            return r;
        } catch (RuntimeException e) {
            log.error("sales api request failed", "route", route.routeKey(), "error", e.getClass().getSimpleName());
            throw e;
        }
    }

    private APIGatewayV2HTTPResponse serve(Route route, APIGatewayV2HTTPEvent event, String path, Log log, Metrics metrics) {
        EmailAddress email = null;
        if (route.hasEmail()) {
            Optional<String> raw = emailParameter(event, route, path);
            String decoded;
            try {
                // API Gateway's HTTP API hands path parameters over decoded; a hand-made event may carry them still
                // encoded. An email never holds '%', so one that does is decoded, strictly, first.
                decoded = raw.isEmpty() ? null : raw.get().indexOf('%') < 0 ? raw.get() : HttpApiRequests.pathSegment(raw.get(), "email");
            } catch (HttpApiRequests.Refused refused) {
                return refused.response();
            }
            switch (SalesRequests.email(decoded)) {
                case SalesRequests.Parsed.Invalid<EmailAddress> invalid -> {
                    return invalid(invalid.errors());
                }
                case SalesRequests.Parsed.Ok<EmailAddress> ok -> email = ok.command();
            }
        }
        if (route == Route.OWNERS) return respond(200, OwnersJson.owners(ownerRows(null)));
        if (route == Route.VIEW) return view(email, log);
        if (route == Route.ERASE) return erase(email, log);

        Map<String, String> headers = lowerCase(event.getHeaders());
        Map<?, ?> body;
        try {
            body = HttpApiRequests.jsonObject(event, headers, route == Route.IMPORT ? MAX_IMPORT_BODY_BYTES : MAX_BODY_BYTES);
        } catch (HttpApiRequests.Refused refused) {
            return refused.response();
        }
        String key = headers.get("idempotency-key");
        return switch (route) {
            case OWNER -> setAvailability(event, path, body, log);
            case STAGE -> switch (SalesRequests.moveStage(email, body)) {
                case SalesRequests.Parsed.Invalid<SalesRequests.MoveStage> invalid -> invalid(invalid.errors());
                case SalesRequests.Parsed.Ok<SalesRequests.MoveStage> ok -> moveStage(ok.command(), log, metrics);
            };
            case ACCEPT, ACTIVITY -> switch (SalesRequests.salesSignal(email, route == Route.ACTIVITY, body, key, clock.instant())) {
                case SalesRequests.Parsed.Invalid<SalesRequests.SalesSignal> invalid -> invalid(invalid.errors());
                case SalesRequests.Parsed.Ok<SalesRequests.SalesSignal> ok -> salesSignal(ok.command(), log);
            };
            case IMPORT -> switch (SalesRequests.imports(body)) {
                case SalesRequests.Parsed.Invalid<SalesRequests.Import> invalid -> invalid(invalid.errors());
                case SalesRequests.Parsed.Ok<SalesRequests.Import> ok -> importContacts(ok.command(), log);
            };
            default -> throw new IllegalStateException("unrouted " + route);
        };
    }

    // ------------------------------------------------------------------------------------------------ routes

    private APIGatewayV2HTTPResponse view(EmailAddress email, Log log) {
        Optional<SalesDesk.ContactView> view = desk.view(email);
        log.info("contact viewed", "contact", log.contact(email.value()), "found", view.isPresent());
        if (view.isEmpty()) return notFound();
        Optional<DynamoDbHubSpotLedger.Links> links = hubspot == null ? Optional.empty() : hubspot.latest(email.value());
        return respond(200, ContactJson.view(view.get(), links.orElse(null)));
    }

    private List<OwnerDirectory.OwnerStatus> ownerRows(String id) {
        if (routing.isEmpty() || owners == null) return List.of();
        return owners.owners(routing).stream().filter(o -> id == null || o.id().equals(id)).toList();
    }

    /** {@code PUT /owners/{id}} {@code {"available": bool}}: out of every rotation, or back. */
    private APIGatewayV2HTTPResponse setAvailability(APIGatewayV2HTTPEvent event, String path, Map<?, ?> fields, Log log) {
        Map<String, String> params = event.getPathParameters();
        String raw = params != null && params.get("id") != null ? params.get("id") : null;
        if (raw == null) {
            Matcher m = Route.OWNER.pattern.matcher(path);
            raw = m.matches() ? m.group(1) : null;
        }
        String id;
        try {
            id = raw == null ? null : HttpApiRequests.pathSegment(raw, "id");
        } catch (HttpApiRequests.Refused refused) {
            return refused.response();
        }
        if (id == null || id.isBlank()) return error(400, "id", "is required: an owner id of the policy's routing");
        if (!(fields.get("available") instanceof Boolean available)) {
            return error(400, "available", "is required: true or false");
        }
        for (Object key : fields.keySet()) {
            if (!"available".equals(key)) return error(400, String.valueOf(key), "unknown field; the body is {\"available\": true|false}");
        }
        if (!routing.owners().containsKey(id)) {
            return error(404, "id", routing.isEmpty() ? "the policy routes no owners (it has no routing section)"
                    : "no owner has this id in the policy's routing");
        }
        owners.setAvailable(id, available);
        log.info("owner availability set", "owner", id, "available", available);
        return respond(200, OwnersJson.owners(ownerRows(id)));
    }

    private APIGatewayV2HTTPResponse moveStage(SalesRequests.MoveStage c, Log log, Metrics metrics) {
        SalesDesk.StageChange change = desk.moveStage(c.email(), c.stage(), c.force(), c.reason(), c.actor());
        String contact = log.contact(c.email().value());
        return switch (change) {
            case SalesDesk.StageChange.NotFound n -> notFound();
            case SalesDesk.StageChange.Refused r -> {
                log.info("stage move refused", "contact", contact, "to", c.stage().id());
                yield error(409, "force", r.message());
            }
            case SalesDesk.StageChange.Unchanged u -> respond(200, ContactJson.stage(u.contact(), false));
            case SalesDesk.StageChange.Moved m -> {
                log.info("stage moved", "contact", contact,
                        "from", m.move().from() == null ? "(new)" : m.move().from().id(), "to", m.move().to().id(),
                        "reason", m.move().reason().code(), "forced", m.move().isBackward());
                metrics.count(Metric.StageMoves, m.move().to().id());
                if (m.alert() != null) log.info("sql alert recorded", "alertId", m.alert().alertId());
                yield respond(200, ContactJson.stage(m.contact(), true));
            }
        };
    }

    private APIGatewayV2HTTPResponse salesSignal(SalesRequests.SalesSignal c, Log log) {
        boolean activity = c.type() != null;
        SalesDesk.Recorded recorded = activity
                ? desk.logActivity(c.email(), c.type(), c.actor(), c.occurredAt(), c.eventId())
                : desk.accept(c.email(), c.actor(), c.occurredAt(), c.eventId());
        log.info(activity ? "sales activity recorded" : "sales acceptance recorded", "contact", log.contact(c.email().value()),
                "eventId", recorded.eventId(), "duplicate", !recorded.fresh());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", recorded.eventId());
        return respond(202, body);
    }

    private APIGatewayV2HTTPResponse importContacts(SalesRequests.Import c, Log log) {
        long started = System.nanoTime();
        SalesDesk.ImportResult result = desk.importContacts(c.rows());
        log.info("import done", "rows", c.rows().size(), "created", result.count(SalesDesk.RowStatus.CREATED),
                "updated", result.count(SalesDesk.RowStatus.UPDATED), "unchanged", result.count(SalesDesk.RowStatus.UNCHANGED),
                "rejected", result.count(SalesDesk.RowStatus.REJECTED), "millis", (System.nanoTime() - started) / 1_000_000);
        return respond(200, ContactJson.importResult(result));
    }

    private APIGatewayV2HTTPResponse erase(EmailAddress email, Log log) {
        int removed = desk.erase(email);
        log.info("contact erased", "contact", log.contact(email.value()), "items", removed);
        if (removed == 0) return notFound();
        return APIGatewayV2HTTPResponse.builder().withStatusCode(204).withHeaders(new LinkedHashMap<>()).build();
    }

    // ------------------------------------------------------------------------------------------- requests

    static Route route(String routeKey, String method, String path) {
        if (routeKey != null) {
            for (Route r : Route.values()) if (r.routeKey().equals(routeKey)) return r;
        }
        for (Route r : Route.values()) {
            if (r.method.equals(method) && r.pattern.matcher(path).matches()) return r;
        }
        return null;
    }

    private static String method(APIGatewayV2HTTPEvent event) {
        var context = event.getRequestContext();
        String m = context == null || context.getHttp() == null ? null : context.getHttp().getMethod();
        if (m == null && event.getRouteKey() != null && event.getRouteKey().contains(" ")) {
            m = event.getRouteKey().substring(0, event.getRouteKey().indexOf(' '));
        }
        return m == null ? "" : m.toUpperCase(Locale.ROOT);
    }

    /** The {@code email} path parameter, from the path parameters or the raw path. */
    private static Optional<String> emailParameter(APIGatewayV2HTTPEvent event, Route route, String path) {
        Map<String, String> params = event.getPathParameters();
        if (params != null && params.get("email") != null) return Optional.of(params.get("email"));
        Matcher m = route.pattern.matcher(path);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    // ------------------------------------------------------------------------------------------ responses

    private static APIGatewayV2HTTPResponse notFound() {
        return error(404, "email", "no contact is known by this email");
    }
}
