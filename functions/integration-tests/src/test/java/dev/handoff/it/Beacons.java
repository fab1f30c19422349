package dev.handoff.it;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** {@code POST /t} and {@code GET /handoff.js} as API Gateway's HTTP API (payload format 2.0) hands them on. */
final class Beacons {
    private Beacons() {}

    static APIGatewayV2HTTPEvent post(String contentType, String body) {
        return event("POST", "/t", contentType, body);
    }

    static APIGatewayV2HTTPEvent script() {
        return event("GET", "/handoff.js", null, null);
    }

    private static APIGatewayV2HTTPEvent event(String method, String path, String contentType, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (contentType != null) headers.put("content-type", contentType);
        if (body != null) headers.put("content-length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
        headers.put("origin", "https://www.northwind.example");
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(method + " " + path)
                .withRawPath(path)
                .withRawQueryString("")
                .withHeaders(headers)
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRouteKey(method + " " + path)
                        .withRequestId(UUID.randomUUID().toString())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method).withPath(path).withProtocol("HTTP/1.1").withSourceIp("127.0.0.1").build())
                        .build())
                .build();
    }
}
