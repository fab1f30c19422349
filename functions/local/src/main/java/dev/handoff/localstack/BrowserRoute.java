package dev.handoff.localstack;

import dev.handoff.functions.beacon.ApiGatewayBeaconHandler;
import java.util.Map;

/**
 * The browser's routes (PRODUCT §2.4), {@code POST /t} and {@code GET /handoff.js}, handed to the beacon function
 * as API Gateway's HTTP API would. Its EventBridge client is pointed at this stack's own PutEvents, so an accepted
 * beacon travels the way it does on AWS: bus, rule, tracking queue, tracking function.
 */
final class BrowserRoute implements LocalHttpServer.Route {
    private final ApiGatewayBeaconHandler handler;

    BrowserRoute(ApiGatewayBeaconHandler handler) {
        this.handler = handler;
    }

    @Override
    public LocalHttpServer.Response handle(LocalHttpServer.Request request) {
        String routeKey = switch (request.path()) {
            case "/t" -> request.method().equals("POST") ? "POST /t" : "";
            case "/handoff.js" -> request.method().equals("GET") ? "GET /handoff.js" : "";
            default -> null;
        };
        if (routeKey == null) return null;
        if (routeKey.isEmpty()) return LocalHttpServer.Response.json(405, "{\"message\":\"Method Not Allowed\"}");
        return ApiGatewayEvents.response(handler.handleRequest(ApiGatewayEvents.event(request, routeKey, Map.of()), null));
    }
}
