package dev.handoff.functions.beacon;

import static dev.handoff.aws.HttpApiRequests.body;
import static dev.handoff.aws.HttpApiRequests.lowerCase;
import static dev.handoff.aws.HttpApiRequests.mediaType;
import static dev.handoff.aws.HttpApiResponses.error;
import static dev.handoff.aws.HttpApiResponses.errors;
import static dev.handoff.aws.HttpApiResponses.fieldError;
import static dev.handoff.aws.HttpApiResponses.invalidJson;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.handoff.aws.Clients;
import dev.handoff.aws.Env;
import dev.handoff.aws.EventBridgeBeacons;
import dev.handoff.aws.Json;
import dev.handoff.aws.Log;
import dev.handoff.core.app.BeaconIntake;
import dev.handoff.core.app.FormIntake;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The browser's two routes (PRODUCT §2.4): {@code POST /t} takes a beacon, checks it and puts it on the bus as a
 * {@code handoff.tracking} event (204); {@code GET /handoff.js} serves the snippet that sends those beacons. A
 * refused beacon (400, 413, 415) puts nothing on the bus. The handler only reads, checks with
 * {@link BeaconIntake} and puts: one beacon, one event, nothing stored here, nothing about a contact answered.
 */
public final class ApiGatewayBeaconHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    static final int MAX_BODY_BYTES = 4 * 1024;
    static final String SNIPPET_RESOURCE = "/handoff.js";

    private final EventBridgeBeacons bus;
    private final Clock clock;
    private final String snippet;
    private final Log log;

    /** Lambda's constructor: wired once from the environment (EVENT_BUS_NAME). */
    public ApiGatewayBeaconHandler() {
        this(Env.system());
    }

    public ApiGatewayBeaconHandler(Env env) {
        // It never names a contact (a browser cannot claim to be one): no hash key to read at init.
        this(new EventBridgeBeacons(Clients.eventBridge(), env.require(Env.EVENT_BUS_NAME)), Clock.systemUTC(),
                Log.stdoutWithoutContacts());
    }

    public ApiGatewayBeaconHandler(EventBridgeBeacons bus, Clock clock, Log log) {
        this.bus = bus;
        this.clock = clock;
        this.snippet = snippet();
        this.log = log;
    }

    /** The snippet as shipped in this jar (functions/beacon/src/main/resources/handoff.js). */
    public static String snippet() {
        try (InputStream in = ApiGatewayBeaconHandler.class.getResourceAsStream(SNIPPET_RESOURCE)) {
            if (in == null) throw new IllegalStateException("handoff.js is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, com.amazonaws.services.lambda.runtime.Context context) {
        String method = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                ? event.getRequestContext().getHttp().getMethod() : null;
        String routeKey = event.getRouteKey() == null ? "" : event.getRouteKey();
        if ("GET".equals(method) || routeKey.startsWith("GET ")) return script();
        return beacon(event, log.forRequest(context));
    }

    private APIGatewayV2HTTPResponse script() {
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(200)
                // An hour in browser and CDN caches: a new snippet reaches every page within the hour.
                .withHeaders(Map.of("Content-Type", "text/javascript; charset=utf-8",
                        "Cache-Control", "public, max-age=3600",
                        "X-Content-Type-Options", "nosniff"))
                .withBody(snippet)
                .build();
    }

    private APIGatewayV2HTTPResponse beacon(APIGatewayV2HTTPEvent event, Log log) {
        Map<String, String> headers = lowerCase(event.getHeaders());
        byte[] body = body(event);
        if (body.length > MAX_BODY_BYTES) return refused(log, error(413, "body", "must be at most 4 KiB"));
        String contentType = mediaType(headers);
        // text/plain is what navigator.sendBeacon sends for a string: a simple request, no CORS preflight.
        if (!contentType.equals("application/json") && !contentType.equals("text/plain")) {
            return refused(log, error(415, "Content-Type", "must be application/json or text/plain"));
        }
        String text = new String(body, StandardCharsets.UTF_8);
        Object tree;
        try {
            tree = Json.isBlankJson(text) ? null : Json.JR.anyFrom(text);
        } catch (IOException e) {
            return refused(log, invalidJson(e));
        }
        if (!(tree instanceof Map<?, ?> root)) return refused(log, error(400, "body", "must be a JSON object"));
        return switch (BeaconIntake.accept(root, clock.instant())) {
            case BeaconIntake.Result.Invalid invalid -> {
                List<Object> list = new ArrayList<>();
                for (FormIntake.FieldError e : invalid.errors()) list.add(fieldError(e.field(), e.message()));
                yield refused(log, errors(400, list));
            }
            case BeaconIntake.Result.Accepted accepted -> {
                bus.put(accepted.beacon());
                log.info("beacon put on the bus", "type", accepted.beacon().type());
                yield APIGatewayV2HTTPResponse.builder().withStatusCode(204).build();
            }
        };
    }

    private static APIGatewayV2HTTPResponse refused(Log log, APIGatewayV2HTTPResponse response) {
        log.info("beacon refused", "status", response.getStatusCode());
        return response;
    }
}
