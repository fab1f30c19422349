package dev.handoff.aws;

import static dev.handoff.aws.HttpApiResponses.error;
import static dev.handoff.aws.HttpApiResponses.invalidJson;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reading an API Gateway HTTP API request, the one home of the checks every route makes before it looks at a
 * field: the body's size ({@code 413}), its content type ({@code 415}), its encoding (base64, UTF-8), JSON read
 * strictly (one value, nothing after it), urlencoded forms and path segments percent-decoded strictly (a malformed
 * escape is a {@code 400}, never a 500). Each refusal is a {@link Refused} carrying the answer to give.
 */
public final class HttpApiRequests {
    private HttpApiRequests() {}

    /** A request refused before any field was looked at; {@link #response} is the 4xx to answer. */
    public static final class Refused extends Exception {
        private final transient APIGatewayV2HTTPResponse response;

        public Refused(APIGatewayV2HTTPResponse response) {
            super(null, null, false, false);
            this.response = response;
        }

        public Refused(int status, String field, String message) {
            this(error(status, field, message));
        }

        public APIGatewayV2HTTPResponse response() {
            return response;
        }
    }

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

    /**
     * The body as text: 413 over {@code maxBytes}, 400 when it is not valid base64 or not valid UTF-8 (a lone
     * surrogate or a stray byte is refused, not turned into '?' or U+FFFD).
     */
    public static String text(APIGatewayV2HTTPEvent event, int maxBytes) throws Refused {
        String raw = event.getBody();
        if (raw != null && !event.getIsBase64Encoded()) {
            // Lambda hands a text body over as a Java string: check it is well-formed before counting its bytes.
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < raw.length() && Character.isLowSurrogate(raw.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    throw new Refused(400, "body", "is not valid UTF-8 text");
                }
            }
        }
        byte[] bytes;
        try {
            bytes = body(event);
        } catch (IllegalArgumentException badBase64) {
            throw new Refused(400, "body", "is not valid base64");
        }
        if (bytes.length > maxBytes) throw new Refused(413, "body", "must be at most " + size(maxBytes));
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Refused(400, "body", "is not valid UTF-8 text");
        }
    }

    /**
     * A JSON object body: 413, then 400 when empty, 415 unless {@code application/json}, 400 when it is not exactly
     * one JSON object.
     */
    public static Map<?, ?> jsonObject(APIGatewayV2HTTPEvent event, Map<String, String> lowerCaseHeaders, int maxBytes)
            throws Refused {
        String text = text(event, maxBytes);
        if (Json.isBlankJson(text)) throw new Refused(400, "body", "is required: a JSON object");
        if (!mediaType(lowerCaseHeaders).equals("application/json")) {
            throw new Refused(415, "Content-Type", "must be application/json");
        }
        return jsonObject(text);
    }

    /** Text that must be exactly one JSON object: 400 otherwise, with the line and column where it went wrong. */
    public static Map<?, ?> jsonObject(String text) throws Refused {
        Object tree;
        try {
            tree = Json.isBlankJson(text) ? null : Json.strictly(text);
        } catch (IOException e) {
            throw new Refused(invalidJson(e));
        }
        if (!(tree instanceof Map<?, ?> map)) throw new Refused(400, "body", "must be a JSON object");
        return map;
    }

    /**
     * What a plain HTML form posts ({@code application/x-www-form-urlencoded}): '+' is a space, percent escapes are
     * UTF-8. With a repeated name, the first value wins.
     *
     * @throws Refused 400 naming the field whose name or value has a malformed escape
     */
    public static Map<String, String> urlEncoded(String body) throws Refused {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String rawName = eq < 0 ? pair : pair.substring(0, eq);
            String name = percentDecode(rawName, true);
            if (name == null) throw new Refused(400, "body", "has a field name that is not validly URL-encoded");
            String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1), true);
            if (value == null) throw new Refused(400, name, "is not validly URL-encoded (a '%' must start an escape like %40)");
            fields.putIfAbsent(name, value);
        }
        return fields;
    }

    /**
     * A path parameter percent-decoded as API Gateway's raw path holds it: '+' stays '+' ({@code ana+news@acme.com}).
     *
     * @throws Refused 400 naming the parameter when an escape is malformed or is not UTF-8
     */
    public static String pathSegment(String raw, String name) throws Refused {
        String decoded = percentDecode(raw, false);
        if (decoded == null) throw new Refused(400, name, "is not a valid URL-encoded path segment");
        return decoded;
    }

    /** Strict percent-decoding; null when an escape is malformed or the bytes are not UTF-8. */
    static String percentDecode(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && !(plusIsSpace && s.indexOf('+') >= 0)) return s;
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == '%') {
                if (i + 2 >= bytes.length) return null;
                int hi = Character.digit(bytes[i + 1], 16);
                int lo = Character.digit(bytes[i + 2], 16);
                if (hi < 0 || lo < 0) return null;
                out.write(hi * 16 + lo);
                i += 2;
            } else if (b == '+' && plusIsSpace) {
                out.write(' ');
            } else {
                out.write(b);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String size(int bytes) {
        return bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MiB" : bytes / 1024 + " KiB";
    }
}
