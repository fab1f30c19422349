package dev.handoff.it;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@code POST /forms/{formId}/submissions} as API Gateway's HTTP API (payload format 2.0) hands it to the form
 * function: route key, raw path, path parameters, lower-case headers, the body as the browser sent it.
 */
final class Forms {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Forms() {}

    /** A page's script posting JSON; numbers stay numbers, as a script would send them. */
    static APIGatewayV2HTTPEvent json(String formId, Map<String, ?> fields) {
        ObjectNode body = JSON.createObjectNode();
        fields.forEach((name, value) -> {
            if (value instanceof Number n) body.put(name, n.longValue());
            else body.put(name, value == null ? null : value.toString());
        });
        return post(formId, "application/json", body.toString());
    }

    /** What a plain HTML form posts. */
    static APIGatewayV2HTTPEvent urlEncoded(String formId, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(f -> encode(f.getKey()) + "=" + encode(f.getValue()))
                .collect(Collectors.joining("&"));
        return post(formId, "application/x-www-form-urlencoded", body);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static APIGatewayV2HTTPEvent post(String formId, String contentType, String body) {
        String path = "/forms/" + formId + "/submissions";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", contentType + "; charset=utf-8");
        headers.put("content-length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
        headers.put("host", "forms.example.test");
        headers.put("user-agent", "handoff-integration-tests");
        Instant now = Instant.now();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("POST /forms/{formId}/submissions")
                .withRawPath(path)
                .withRawQueryString("")
                .withHeaders(headers)
                .withPathParameters(Map.of("formId", formId))
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRouteKey("POST /forms/{formId}/submissions")
                        .withAccountId("123456789012")
                        .withApiId("it")
                        .withStage("$default")
                        .withDomainName("forms.example.test")
                        .withRequestId(UUID.randomUUID().toString())
                        .withTimeEpoch(now.toEpochMilli())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod("POST")
                                .withPath(path)
                                .withProtocol("HTTP/1.1")
                                .withSourceIp("127.0.0.1")
                                .withUserAgent("handoff-integration-tests")
                                .build())
                        .build())
                .build();
    }
}
