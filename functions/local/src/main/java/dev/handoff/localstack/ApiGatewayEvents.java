package dev.handoff.localstack;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Builds the HTTP API (payload format 2.0) event API Gateway would send, and reads the function's answer back. */
final class ApiGatewayEvents {
    private ApiGatewayEvents() {}

    static APIGatewayV2HTTPEvent event(LocalHttpServer.Request request, String routeKey, Map<String, String> pathParameters) {
        String contentType = request.header("content-type");
        // API Gateway passes text as is and base64-encodes what it cannot treat as text.
        boolean text = (contentType == null || contentType.startsWith("text/") || contentType.contains("json")
                || contentType.contains("x-www-form-urlencoded") || contentType.contains("xml")) && isUtf8(request.body());
        Instant now = Instant.now();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(request.path())
                .withRawQueryString(request.rawQuery() == null ? "" : request.rawQuery())
                .withHeaders(request.headers())
                .withPathParameters(pathParameters)
                .withBody(request.body().length == 0 ? null : text
                        ? new String(request.body(), StandardCharsets.UTF_8)
                        : Base64.getEncoder().encodeToString(request.body()))
                .withIsBase64Encoded(!text && request.body().length > 0)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRouteKey(routeKey)
                        .withStage("$default")
                        .withRequestId(UUID.randomUUID().toString())
                        .withAccountId("000000000000")
                        .withApiId("local")
                        .withTimeEpoch(now.toEpochMilli())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(request.method())
                                .withPath(request.path())
                                .withProtocol("HTTP/1.1")
                                .withSourceIp(request.sourceIp())
                                .withUserAgent(request.header("user-agent"))
                                .build())
                        .build())
                .build();
    }

    /** Whether the bytes are valid UTF-8: text that is not is handed over base64-encoded, so nothing is replaced unseen. */
    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    static LocalHttpServer.Response response(APIGatewayV2HTTPResponse response) {
        // API Gateway's default for a function's answer without a content type is JSON; without a body, none.
        String contentType = response.getBody() == null ? null : "application/json";
        Map<String, String> headers = new LinkedHashMap<>();
        if (response.getHeaders() != null) {
            for (Map.Entry<String, String> h : response.getHeaders().entrySet()) {
                if (h.getKey().equalsIgnoreCase("content-type")) contentType = h.getValue();
                else headers.put(h.getKey(), h.getValue());
            }
        }
        String body = response.getBody() == null ? "" : response.getIsBase64Encoded()
                ? new String(Base64.getDecoder().decode(response.getBody()), StandardCharsets.UTF_8)
                : response.getBody();
        return new LocalHttpServer.Response(response.getStatusCode(), contentType, body, headers);
    }
}
