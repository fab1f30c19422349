package dev.handoff.localstack;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.handoff.aws.HttpApiRequests;
import dev.handoff.functions.sales.ApiGatewaySalesApiHandler;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sales API's routes (PRODUCT §2.3), handed to the sales function as API Gateway's HTTP API would: the
 * route key of the matched route and its {@code email} path parameter. Open here; IAM-authorised on AWS.
 */
final class SalesRoute implements LocalHttpServer.Route {
    private record Path(Pattern pattern, List<String> methods, String route, String parameter) {
        Path(Pattern pattern, List<String> methods, String route) {
            this(pattern, methods, route, "email");
        }
    }

    private static final List<Path> PATHS = List.of(
            new Path(Pattern.compile("/contacts/([^/]+)/?"), List.of("GET", "DELETE"), "/contacts/{email}"),
            new Path(Pattern.compile("/contacts/([^/]+)/stage/?"), List.of("PUT"), "/contacts/{email}/stage"),
            new Path(Pattern.compile("/contacts/([^/]+)/sales-acceptance/?"), List.of("POST"), "/contacts/{email}/sales-acceptance"),
            new Path(Pattern.compile("/contacts/([^/]+)/activities/?"), List.of("POST"), "/contacts/{email}/activities"),
            new Path(Pattern.compile("/imports/?"), List.of("POST"), "/imports"),
            new Path(Pattern.compile("/owners/?"), List.of("GET"), "/owners"),
            new Path(Pattern.compile("/owners/([^/]+)/?"), List.of("PUT"), "/owners/{id}", "id"));

    private final ApiGatewaySalesApiHandler handler;

    SalesRoute(ApiGatewaySalesApiHandler handler) {
        this.handler = handler;
    }

    @Override
    public LocalHttpServer.Response handle(LocalHttpServer.Request request) {
        for (Path p : PATHS) {
            Matcher m = p.pattern().matcher(request.path());
            if (!m.matches()) continue;
            if (!p.methods().contains(request.method())) {
                return LocalHttpServer.Response.json(405, "{\"message\":\"Method Not Allowed\"}");
            }
            Map<String, String> parameters = Map.of();
            if (m.groupCount() > 0) {
                try {
                    // API Gateway's HTTP API hands the function path parameters decoded; '+' stays '+'.
                    parameters = Map.of(p.parameter(), HttpApiRequests.pathSegment(m.group(1), p.parameter()));
                } catch (HttpApiRequests.Refused malformed) {
                    return ApiGatewayEvents.response(malformed.response());
                }
            }
            String routeKey = request.method() + " " + p.route();
            APIGatewayV2HTTPEvent event = ApiGatewayEvents.event(request, routeKey, parameters);
            APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
            return ApiGatewayEvents.response(response);
        }
        return null;
    }

}
