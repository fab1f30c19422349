package dev.handoff.it;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.aws.ContactTable;
import dev.handoff.aws.Env;
import dev.handoff.functions.sales.ApiGatewaySalesApiHandler;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The sales function as API Gateway's HTTP API (payload format 2.0) invokes it: route key, raw path (the email
 * percent-encoded, as a client sends it), the {@code email} path parameter, lower-case headers, the body as sent.
 * The handler is built by its {@code (Env)} constructor from the variables the template gives it.
 */
final class SalesApi {
    final Invocations<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> calls;

    SalesApi(Map<String, String> functionEnv) {
        ApiGatewaySalesApiHandler handler = new ApiGatewaySalesApiHandler(new Env(functionEnv));
        calls = new Invocations<>("handoff-sales-api", handler::handleRequest);
    }

    static SalesApi of(Stack stack) {
        return new SalesApi(stack.functionEnv);
    }

    /** Every item of a contact's partition, as stored now (to show that a request wrote nothing). */
    static List<Map<String, AttributeValue>> partition(Stack stack, String email) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        stack.dynamoDb.queryPaginator(r -> r.tableName(Stack.TABLE).consistentRead(true)
                        .keyConditionExpression("#pk = :pk")
                        .expressionAttributeNames(Map.of("#pk", ContactTable.PK))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(ContactTable.contactKey(email)))))
                .items().forEach(out::add);
        return out;
    }

    /** Every item of the whole table that mentions one of {@code needles} anywhere (keys or values). */
    static List<Map<String, AttributeValue>> scanFor(Stack stack, String table, String... needles) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        stack.dynamoDb.scanPaginator(r -> r.tableName(table).consistentRead(true)).items().forEach(item -> {
            String text = item.toString().toLowerCase(java.util.Locale.ROOT);
            for (String n : needles) {
                if (text.contains(n.toLowerCase(java.util.Locale.ROOT))) {
                    found.add(item);
                    return;
                }
            }
        });
        return found;
    }

    /** An answer: the status, and the body parsed (null when there is none). */
    record Answer(int status, JsonNode json, APIGatewayV2HTTPResponse response) {
        JsonNode errors() {
            return json.path("errors");
        }

        /** The {@code field} of every error, in order. */
        List<String> errorFields() {
            List<String> fields = new ArrayList<>();
            errors().forEach(e -> fields.add(e.path("field").asText()));
            return fields;
        }

        @Override
        public String toString() {
            return status + " " + (response.getBody() == null ? "" : response.getBody());
        }
    }

    Answer get(String email) {
        return send("GET", "/contacts/{email}", email, null, null, Map.of());
    }

    Answer delete(String email) {
        return send("DELETE", "/contacts/{email}", email, null, null, Map.of());
    }

    Answer stage(String email, String json) {
        return send("PUT", "/contacts/{email}/stage", email, "application/json", json, Map.of());
    }

    Answer accept(String email, String json, String idempotencyKey) {
        return send("POST", "/contacts/{email}/sales-acceptance", email, "application/json", json,
                idempotencyKey == null ? Map.of() : Map.of("idempotency-key", idempotencyKey));
    }

    Answer activity(String email, String json) {
        return send("POST", "/contacts/{email}/activities", email, "application/json", json, Map.of());
    }

    Answer importContacts(String json) {
        return send("POST", "/imports", null, "application/json", json, Map.of());
    }

    /** A request on a route; {@code email} goes into the path percent-encoded and into the path parameters decoded. */
    Answer send(String method, String route, String email, String contentType, String body, Map<String, String> extraHeaders) {
        String path = email == null ? route : route.replace("{email}", URLEncoder.encode(email, StandardCharsets.UTF_8));
        return send(method + " " + route, method, path, email == null ? null : Map.of("email", email), contentType, body,
                extraHeaders);
    }

    Answer send(String routeKey, String method, String path, Map<String, String> pathParameters, String contentType,
            String body, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (contentType != null) headers.put("content-type", contentType);
        if (body != null) headers.put("content-length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
        headers.put("host", "sales.example.test");
        headers.put("user-agent", "handoff-integration-tests");
        headers.putAll(extraHeaders);
        APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(path)
                .withRawQueryString("")
                .withHeaders(headers)
                .withPathParameters(pathParameters)
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRouteKey(routeKey)
                        .withAccountId("123456789012")
                        .withApiId("it")
                        .withStage("$default")
                        .withDomainName("sales.example.test")
                        .withRequestId(UUID.randomUUID().toString())
                        .withTimeEpoch(Instant.now().toEpochMilli())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method)
                                .withPath(path)
                                .withProtocol("HTTP/1.1")
                                .withSourceIp("127.0.0.1")
                                .withUserAgent("handoff-integration-tests")
                                .build())
                        .build())
                .build();
        APIGatewayV2HTTPResponse response = calls.apply(event);
        String text = response.getBody();
        return new Answer(response.getStatusCode(), text == null || text.isEmpty() ? null : QueueLog.json(text), response);
    }
}
