package dev.handoff.aws;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Reading an API Gateway HTTP API request: its headers and its body. */
public final class HttpApiRequests {
    private HttpApiRequests() {}

    /** The headers with lower-case names (none: an empty map). */
    public static Map<String, String> lowerCase(Map<String, String> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        if (headers != null) headers.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        return out;
    }

    /** The media type of {@code content-type} in lower-cased headers, lower case, without parameters; "" when absent. */
    public static String mediaType(Map<String, String> lowerCaseHeaders) {
        return lowerCaseHeaders.getOrDefault("content-type", "").split(";")[0].trim().toLowerCase(Locale.ROOT);
    }

    /**
     * The body's bytes, base64-decoded when the event says so; empty when there is none.
     *
     * @throws IllegalArgumentException when a body said to be base64 is not
     */
    public static byte[] body(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        if (body == null) return new byte[0];
        return event.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
    }
}
