package dev.handoff.localstack;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CORS for the two routes a browser on another origin calls (PRODUCT §2.1, §2.4): the form route and the beacon.
 * API Gateway does this on AWS from the HTTP API's {@code CorsConfiguration} for the stack's {@code AllowedOrigins};
 * locally every origin is allowed, answered as API Gateway answers: the origin echoed, never {@code *}.
 */
final class Cors {
    private static final Pattern BROWSER_ROUTES = Pattern.compile("/t/?|/forms/[^/]+/submissions/?");
    static final String ALLOW_METHODS = "POST";
    static final String ALLOW_HEADERS = "content-type,idempotency-key";
    static final String MAX_AGE = "600";

    private Cors() {}

    /** The answer to a preflight ({@code OPTIONS} with an {@code Origin}) of a browser route; null for anything else. */
    static LocalHttpServer.Response preflight(LocalHttpServer.Request request) {
        if (!request.method().equals("OPTIONS") || !BROWSER_ROUTES.matcher(request.path()).matches()) return null;
        String origin = request.header("origin");
        if (origin == null) return null;
        Map<String, String> headers = new LinkedHashMap<>(allowOrigin(origin));
        headers.put("Access-Control-Allow-Methods", ALLOW_METHODS);
        headers.put("Access-Control-Allow-Headers", ALLOW_HEADERS);
        headers.put("Access-Control-Max-Age", MAX_AGE);
        return new LocalHttpServer.Response(204, null, "", headers);
    }

    /** The route's answer, with the origin allowed when a browser on another origin called a browser route. */
    static LocalHttpServer.Response allow(LocalHttpServer.Request request, LocalHttpServer.Response response) {
        String origin = request.header("origin");
        if (origin == null || !BROWSER_ROUTES.matcher(request.path()).matches()) return response;
        return response.withHeaders(allowOrigin(origin));
    }

    private static Map<String, String> allowOrigin(String origin) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Access-Control-Allow-Origin", origin);
        headers.put("Vary", "Origin");
        return headers;
    }
}
