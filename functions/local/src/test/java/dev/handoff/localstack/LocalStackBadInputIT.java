package dev.handoff.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The bad-input corpus (issue 8, point 5), played from outside against every entry of the local stack, which runs
 * the same handlers Lambda runs: a form post as JSON and as a plain HTML form, a tracking event through
 * EventBridge's PutEvents, each sales API route, an import, and the PutEvents stand-in itself. Each hostile value is
 * refused with the exact status and the named field, nothing of it is written to the table (every case carries a
 * unique token that a scan of the whole table must not find), nothing answers 500, and no line the stack prints
 * carries an email or a name, also on the error paths.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LocalStackBadInputIT {
    // Non-ASCII escaped, so a lone surrogate reaches the server as the JSON escape a hostile client would send.
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final Path ROOT = Path.of(System.getProperty("handoff.root", "../.."));
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** Emails that nothing may store (the first four were stored and alerted on before this corpus existed). */
    static final List<String> EMAILS = List.of("<!channel>x@acme.com", "a,x@acme.com", "\"x\"@acme.com", "<script>x@acme.com",
            "ana@acme_corp.com", "ana@acme.com.", "<ana>@acme.com", "x\u0000@acme.com", "x\u0007@acme.com", "x\u001b@acme.com",
            "x\u007f@acme.com", "x\u0085@acme.com", "x\u2028@acme.com", "x\uD800@acme.com", "a/b@acme.com", "a%40b@acme.com");
    /** Names, companies, actors: text that reaches alerts and Slack. */
    static final List<String> NAMES = List.of("Ana\u0000", "Ana\u0007", "\u001b[31mAna", "Ana\u007f", "Ana\u0085", "Ana\u2028Lima",
            "Ana\uD800", "\uDC00Ana", "Ana\nLima");
    /** Signal times: the future, the absurd past, an overflow, not a time. */
    static final List<String> TIMES = List.of("9999-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z", "+1000000-01-01T00:00:00Z",
            "1970-01-01T00:00:00Z", "yesterday", "2026-11-28");

    @TempDir
    static Path dir;

    static Process stack;
    static int port;
    static Path log;
    static Path alerts;
    static DynamoDbClient dynamoDb;

    @BeforeAll
    static void start_the_stack_with_its_script() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        log = dir.resolve("stack.log");
        alerts = dir.resolve("alerts.jsonl");
        ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("scripts/run-local.sh").toString(),
                "--port", Integer.toString(port), "--alerts-file", alerts.toString())
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("HANDOFF_LOCAL_NO_BUILD", "1");
        stack = pb.start();
        Instant deadline = Instant.now().plusSeconds(120);
        while (output().stream().noneMatch(l -> l.equals("listening on http://127.0.0.1:" + port))) {
            if (!stack.isAlive() || Instant.now().isAfter(deadline)) throw new AssertionError("no stack:\n" + String.join("\n", output()));
            Thread.sleep(100);
        }
        String endpoint = output().stream().filter(l -> l.startsWith("dynamodb on ")).findFirst().orElseThrow()
                .split(" ")[2];
        dynamoDb = DynamoDbClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    }

    @AfterAll
    static void stop_the_stack() throws Exception {
        if (dynamoDb != null) dynamoDb.close();
        if (stack == null) return;
        stack.destroy();
        assertThat(stack.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    // ------------------------------------------------------------------------------------------------ forms

    @Test
    void a_form_refuses_every_hostile_email_and_name_as_json_and_as_a_plain_html_form() throws Exception {
        for (String email : EMAILS) {
            String token = token();
            Map<String, String> fields = Map.of("email", email, "firstname", token);
            expect(formJson(fields), 400, "email", token);
            expect(formUrlEncoded(fields), 400, "email", token);
        }
        for (String name : NAMES) {
            for (String field : List.of("firstname", "company")) {
                String token = token();
                Map<String, String> fields = Map.of("email", token + "@acme.com", field, token + name);
                expect(formJson(fields), 400, field, token);
                expect(formUrlEncoded(fields), 400, field, token);
            }
        }
    }

    @Test
    void a_form_body_with_anything_after_the_json_or_a_malformed_escape_is_400_and_stores_nothing() throws Exception {
        String token = token();
        String json = "{\"email\":\"" + token + "@acme.com\"}";
        expect(send("POST", "/forms/demo-request/submissions", "application/json", json + " trailing"), 400, "body", token);
        expect(send("POST", "/forms/demo-request/submissions", "application/json", json + "{\"x\":1}"), 400, "body", token);
        expect(send("POST", "/forms/demo-request/submissions", "application/x-www-form-urlencoded",
                "email=%ZZ" + token + "%40acme.com"), 400, "email", token);
        expect(send("POST", "/forms/demo-request/submissions", "application/x-www-form-urlencoded",
                "email=" + token + "%40acme.com&firstname=Fn%"), 400, "firstname", token);
        expect(send("POST", "/forms/demo-request/submissions", "application/x-www-form-urlencoded",
                "email=" + token + "%40acme.com&firstname=%ED%A0%80"), 400, "firstname", token); // a surrogate in UTF-8
    }

    // ------------------------------------------------------------------------------------------- sales API

    @Test
    void every_sales_route_refuses_a_hostile_email_in_its_path() throws Exception {
        for (String email : EMAILS) {
            String token = token();
            String path = "/contacts/" + pathEncode(email);
            expect(send("GET", path, null, null), 400, "email", token);
            expect(send("DELETE", path, null, null), 400, "email", token);
            expect(send("PUT", path + "/stage", "application/json",
                    "{\"stage\":\"customer\",\"reason\":\"" + token + "\",\"actor\":\"sam\"}"), 400, "email", token);
            expect(send("POST", path + "/sales-acceptance", "application/json", "{\"actor\":\"" + token + "\"}"), 400, "email", token);
            expect(send("POST", path + "/activities", "application/json", "{\"type\":\"call\",\"actor\":\"" + token + "\"}"),
                    400, "email", token);
        }
        // A malformed escape: java.net.URI refuses to send it, so it goes as raw bytes.
        for (String line : List.of("GET /contacts/%ZZ", "DELETE /contacts/ana%", "PUT /contacts/%E2%28/stage")) {
            assertThat(rawRequest(line + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")).as(line)
                    .startsWith("HTTP/1.1 400").contains("Content-Type: application/json").contains("\"field\":\"email\"");
        }
    }

    @Test
    void the_sales_signals_refuse_hostile_actors_and_times_through_the_same_rule_as_tracking_events() throws Exception {
        String email = token() + "@acme.com";
        String path = "/contacts/" + pathEncode(email);
        for (String name : NAMES) {
            String token = token();
            expect(send("POST", path + "/sales-acceptance", "application/json", body(Map.of("actor", token + name))), 400, "actor", token);
            expect(send("POST", path + "/activities", "application/json", body(Map.of("type", "call", "actor", token + name))),
                    400, "actor", token);
            expect(send("PUT", path + "/stage", "application/json",
                    body(Map.of("stage", "customer", "reason", token + name, "actor", "sam"))), 400, "reason", token);
        }
        for (String time : TIMES) {
            String token = token();
            expect(send("POST", path + "/sales-acceptance", "application/json", body(Map.of("actor", token, "occurredAt", time))),
                    400, "occurredAt", token);
            expect(send("POST", path + "/activities", "application/json",
                    body(Map.of("type", "call", "actor", token, "occurredAt", time))), 400, "occurredAt", token);
        }
        String token = token();
        expect(send("POST", path + "/activities", "application/json", "{\"type\":\"call\",\"actor\":\"" + token + "\"} x"),
                400, "body", token);
        assertThat(send("GET", path, null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void an_import_rejects_each_row_with_a_hostile_email_or_name_and_stores_none_of_them() throws Exception {
        for (String email : EMAILS) {
            String token = token();
            HttpResponse<String> answer = send("POST", "/imports", "application/json",
                    body(Map.of("contacts", List.of(Map.of("email", email, "properties", Map.of("firstname", token))))));
            expectRow(answer, "email", token);
        }
        for (String name : NAMES) {
            String token = token();
            HttpResponse<String> answer = send("POST", "/imports", "application/json", body(Map.of("contacts",
                    List.of(Map.of("email", token + "@acme.com", "properties", Map.of("company", token + name))))));
            expectRow(answer, "properties.company", token);
        }
    }

    // ------------------------------------------------------------------------------------------ tracking events

    @Test
    void a_tracking_event_with_a_hostile_email_owner_or_time_goes_to_the_dead_letter_queue_naming_the_field() throws Exception {
        for (String email : EMAILS) {
            trackingEventRefused(detail(token(), email, null, null), "detail.contact.email");
        }
        for (String name : NAMES) {
            trackingEventRefused(detail(token(), token() + "@acme.com", name, null), "detail.owner");
        }
        for (String time : TIMES) {
            trackingEventRefused(detail(token(), token() + "@acme.com", null, time), "detail.occurredAt");
        }
        ObjectNode visitor = detail(token(), null, null, null);
        visitor.putObject("contact").put("visitorId", "v:1");
        trackingEventRefused(visitor, "detail.contact.visitorId");
    }

    // ------------------------------------------------------------------------------------ the PutEvents stand-in

    @Test
    void put_events_refuses_what_eventbridge_refuses_and_puts_nothing_on_the_bus() throws Exception {
        String token = token();
        String detail = detail(token, token + "@acme.com", "sam", null).toString();
        assertPutEvents(Map.of("Source", Map.of("a", 1), "DetailType", "SalesAccepted", "Detail", detail), "SerializationException", token);
        assertPutEvents(Map.of("Source", "handoff.tracking", "DetailType", List.of("SalesAccepted"), "Detail", detail),
                "SerializationException", token);
        assertPutEvents(Map.of("Source", "handoff.tracking", "DetailType", "SalesAccepted", "Detail", Map.of("eventId", token)),
                "SerializationException", token);
        ObjectNode big = detail(token, token + "@acme.com", "sam", null);
        big.put("padding", "x".repeat(256 * 1024));
        assertPutEvents(Map.of("Source", "handoff.tracking", "DetailType", "SalesAccepted", "Detail", big.toString()),
                "ValidationException", token);
        List<Object> many = new ArrayList<>();
        ObjectNode quarter = detail(token, token + "@acme.com", "sam", null);
        quarter.put("padding", "x".repeat(200 * 1024));
        for (int i = 0; i < 10; i++) many.add(Map.of("Source", "handoff.tracking", "DetailType", "SalesAccepted", "Detail", quarter.toString()));
        HttpResponse<String> twoMiB = send("POST", "/events", "application/json", body(Map.of("Entries", many)));
        assertThat(twoMiB.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(twoMiB.body()).path("__type").asText()).isEqualTo("ValidationException");
        HttpResponse<String> notJson = send("POST", "/events", "application/json", "{\"Entries\":[]} x");
        assertThat(notJson.statusCode()).isEqualTo(400);
        Thread.sleep(1500); // what was queued would have been recorded by now
        assertThat(tableHolds(token)).as("items with " + token).isEmpty();
    }

    @Test
    void no_local_client_can_append_an_alert_through_the_sns_stand_in() throws Exception {
        String forged = "Action=Publish&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3Ahandoff-alerts&Message="
                + URLEncoder.encode("{\"alertId\":\"forged\",\"contact\":{\"email\":\"boss@acme.com\"}}", StandardCharsets.UTF_8);
        HttpResponse<String> unsigned = send("POST", "/", "application/x-www-form-urlencoded", forged);
        HttpResponse<String> signedByAnyone = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=local/20261128/us-east-1/sns/aws4_request, "
                        + "SignedHeaders=host, Signature=00")
                .POST(HttpRequest.BodyPublishers.ofString(forged)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).isEqualTo(400);
        assertThat(signedByAnyone.statusCode()).isEqualTo(400);
        assertThat(Files.exists(alerts) ? Files.readString(alerts) : "").doesNotContain("forged");
    }

    @Test
    void a_request_line_the_jdk_would_refuse_with_html_gets_json_and_a_204_has_no_content_type() throws Exception {
        String raw = rawRequest("GET /contacts/%ZZ HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(raw).startsWith("HTTP/1.1 400").contains("Content-Type: application/json").contains("\"field\":\"email\"");

        String email = token() + "@acme.com";
        assertThat(send("POST", "/imports", "application/json",
                body(Map.of("contacts", List.of(Map.of("email", email, "properties", Map.of()))))).statusCode()).isEqualTo(200);
        String deleted = rawRequest("DELETE /contacts/" + pathEncode(email) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(deleted).startsWith("HTTP/1.1 204").doesNotContainIgnoringCase("content-type").doesNotContainIgnoringCase("content-length");
    }

    @Test
    void no_line_the_stack_prints_carries_an_email_or_a_name() throws Exception {
        // Runs after (or before) the others: either way every line so far is checked, error paths included.
        expect(formJson(Map.of("email", "x\u0007" + token() + "@acme.com")), 400, "email", token());
        trackingEventRefused(detail(token(), "<!channel>" + token() + "@acme.com", null, null), "detail.contact.email");
        for (String line : output()) {
            assertThat(line).as("a line the stack printed").doesNotContain("@acme.com").doesNotContain("tok-" + RUN);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static String token() {
        return "tok-" + RUN + "-" + SEQUENCE.incrementAndGet();
    }

    private static void expect(HttpResponse<String> answer, int status, String field, String token) throws Exception {
        assertThat(answer.statusCode()).as(answer.uri() + " answered " + answer.body()).isEqualTo(status);
        JsonNode errors = JSON.readTree(answer.body()).path("errors");
        List<String> fields = new ArrayList<>();
        errors.forEach(e -> fields.add(e.path("field").asText()));
        assertThat(fields).as(answer.body()).contains(field);
        assertThat(tableHolds(token)).as("items holding " + token).isEmpty();
    }

    private static void expectRow(HttpResponse<String> answer, String field, String token) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode row = JSON.readTree(answer.body()).path("results").get(0);
        assertThat(row.path("status").asText()).as(answer.body()).isEqualTo("rejected");
        List<String> fields = new ArrayList<>();
        row.path("errors").forEach(e -> fields.add(e.path("field").asText()));
        assertThat(fields).as(answer.body()).contains(field);
        assertThat(tableHolds(token)).as("items holding " + token).isEmpty();
    }

    private static void trackingEventRefused(ObjectNode detail, String field) throws Exception {
        String token = detail.path("eventId").asText();
        long before = refusals(field);
        HttpResponse<String> put = send("POST", "/events", "application/json", body(Map.of("Entries", List.of(Map.of(
                "Source", "handoff.tracking", "DetailType", "SalesAccepted", "Detail", detail.toString())))));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200); // the bus takes any JSON detail, as EventBridge does
        assertThat(JSON.readTree(put.body()).path("FailedEntryCount").asInt()).isZero();
        Instant deadline = Instant.now().plusSeconds(30);
        while (refusals(field) == before) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("no refusal naming " + field + ":\n" + String.join("\n", output()));
            Thread.sleep(50);
        }
        assertThat(tableHolds(token)).as("items holding " + token).isEmpty();
    }

    /** How many times the tracking function has said it cannot understand an event, for a reason naming the field. */
    private static long refusals(String field) throws IOException {
        return output().stream().filter(l -> l.contains("tracking event cannot be understood") && l.contains("\"reason\":\"" + field)).count();
    }

    /** A SalesAccepted detail; null for what is left out. */
    private static ObjectNode detail(String eventId, String email, String owner, String occurredAt) {
        ObjectNode d = JSON.createObjectNode();
        d.put("eventId", eventId);
        d.put("occurredAt", occurredAt == null ? Instant.now().toString() : occurredAt);
        if (email != null) d.putObject("contact").put("email", email);
        d.put("owner", owner == null ? "sam" : owner);
        return d;
    }

    private static void assertPutEvents(Map<String, Object> entry, String type, String token) throws Exception {
        HttpResponse<String> answer = send("POST", "/events", "application/json", body(Map.of("Entries", List.of(entry))));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).path("__type").asText()).isEqualTo(type);
    }

    /** Every item of the table whose text holds the token. */
    private static List<String> tableHolds(String token) {
        List<String> found = new ArrayList<>();
        dynamoDb.scanPaginator(r -> r.tableName(LocalStack.TABLE).consistentRead(true)).items().forEach(item -> {
            if (item.toString().contains(token)) found.add(item.toString());
        });
        return found;
    }

    private static HttpResponse<String> formJson(Map<String, String> fields) throws Exception {
        return send("POST", "/forms/demo-request/submissions", "application/json", body(fields));
    }

    private static HttpResponse<String> formUrlEncoded(Map<String, String> fields) throws Exception {
        StringBuilder body = new StringBuilder();
        for (Map.Entry<String, String> f : fields.entrySet()) {
            if (!body.isEmpty()) body.append('&');
            body.append(f.getKey()).append('=').append(formEncode(f.getValue()));
        }
        return send("POST", "/forms/demo-request/submissions", "application/x-www-form-urlencoded", body.toString());
    }

    /** As a browser encodes a field, but a lone surrogate as the three UTF-8-like bytes a hostile client would send. */
    private static String formEncode(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))) {
                out.append(c >= '\uDC00' ? "%ED%B0%80" : "%ED%A0%80");
            } else {
                out.append(URLEncoder.encode(String.valueOf(c), StandardCharsets.UTF_8));
            }
        }
        return out.toString();
    }

    private static String pathEncode(String s) {
        return formEncode(s).replace("+", "%20");
    }

    private static String body(Object value) throws Exception {
        return JSON.writeValueAsString(value);
    }

    static HttpResponse<String> send(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) request.header("Content-Type", contentType);
        HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("bad input never answers 5xx: " + answer.body()).isLessThan(500);
        return answer;
    }

    private static String rawRequest(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static List<String> output() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    }

}
