package dev.handoff.localstack;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.handoff.aws.HttpApiRequests;
import dev.handoff.functions.form.ApiGatewayFormSubmissionHandler;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code POST /forms/{formId}/submissions}, handed to the form function as API Gateway's HTTP API would. */
final class FormRoute implements LocalHttpServer.Route {
    private static final Pattern PATH = Pattern.compile("/forms/([^/]+)/submissions/?");
    private final ApiGatewayFormSubmissionHandler handler;

    FormRoute(ApiGatewayFormSubmissionHandler handler) {
        this.handler = handler;
    }

    @Override
    public LocalHttpServer.Response handle(LocalHttpServer.Request request) {
        Matcher m = PATH.matcher(request.path());
        if (!m.matches()) return null;
        if (!request.method().equals("POST")) {
            return LocalHttpServer.Response.json(405, "{\"message\":\"Method Not Allowed\"}");
        }
        String formId;
        try {
            formId = HttpApiRequests.pathSegment(m.group(1), "formId");
        } catch (HttpApiRequests.Refused malformed) {
            return ApiGatewayEvents.response(malformed.response());
        }
        APIGatewayV2HTTPEvent event = ApiGatewayEvents.event(request, "POST /forms/{formId}/submissions", Map.of("formId", formId));
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, null);
        return ApiGatewayEvents.response(response);
    }
}
