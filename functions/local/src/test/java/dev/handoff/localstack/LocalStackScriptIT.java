package dev.handoff.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local stack as a user meets it: started by its script, fed by curl-like posts and the AWS CLI. */
class LocalStackScriptIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of(System.getProperty("handoff.root", "../.."));
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    static Process stack;
    static int port;
    static Path alerts;
    static Path log;

    static List<String> output() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    }

    @BeforeAll
    static void start_the_stack_with_its_script() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        alerts = dir.resolve("alerts.jsonl");
        log = dir.resolve("stack.log");
        // Output goes to a file, not a pipe: the JDK closes a pipe when the process ends, losing its last lines.
        ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("scripts/run-local.sh").toString(),
                "--port", Integer.toString(port), "--alerts-file", alerts.toString())
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // The build running this test has just made the jar; the script must not start another build.
        pb.environment().put("HANDOFF_LOCAL_NO_BUILD", "1");
        stack = pb.start();
        Instant deadline = Instant.now().plusSeconds(120);
        while (output().stream().noneMatch(l -> l.equals("listening on http://127.0.0.1:" + port))) {
            if (!stack.isAlive()) throw new AssertionError("the stack stopped before listening:\n" + String.join("\n", output()));
            if (Instant.now().isAfter(deadline)) throw new AssertionError("the stack did not print 'listening on' in 120 s:\n" + String.join("\n", output()));
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop_the_stack() throws Exception {
        if (stack == null) return;
        stack.destroy(); // SIGTERM, as Ctrl-C's SIGINT: the shutdown hook stops the engines
        assertThat(stack.waitFor(30, TimeUnit.SECONDS)).as("the stack stops on SIGTERM").isTrue();
        assertThat(output()).as("the stack's output").contains("stopping");
    }

    @Test
    void it_announces_its_dynamodb_endpoint_and_table_before_it_listens() throws Exception {
        List<String> lines = output();
        int dynamoDb = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("dynamodb on http://127\\.0\\.0\\.1:\\d+ table handoff-local")) dynamoDb = i;
        }
        assertThat(dynamoDb).as("the dynamodb line in:\n" + String.join("\n", lines)).isNotNegative();
        assertThat(dynamoDb).isLessThan(lines.indexOf("listening on http://127.0.0.1:" + port));
    }

    @Test
    void a_demo_request_from_an_icp_contact_is_answered_202_and_writes_one_alert_line() throws Exception {
        HttpResponse<String> response = post("/forms/demo-request/submissions", "application/json",
                "{\"email\":\"ana@acme.com\",\"firstname\":\"Ana\",\"lastname\":\"Lima\",\"company\":\"Acme\","
                        + "\"jobtitle\":\"VP Engineering\",\"numberofemployees\":\"500\",\"budget\":\"60000\"}");
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(response.body()).path("submissionId").asText()).isNotBlank();

        JsonNode alert = awaitAlert("ana@acme.com");
        assertThat(alert.path("type").asText()).isEqualTo("SalesQualifiedLead");
        assertThat(alert.path("reason").path("code").asText()).isEqualTo("fast-track");
        assertThat(alert.path("stage").path("from").asText()).isEqualTo("lead");
        assertThat(alert.path("stage").path("to").asText()).isEqualTo("salesqualifiedlead");
        assertThat(alert.path("contact").path("company").asText()).isEqualTo("Acme");
        assertThat(alert.path("scores").path("fit").asInt()).isEqualTo(95);
    }

    @Test
    void tracking_events_sent_with_the_aws_cli_fast_track_a_target_account() throws Exception {
        // A known contact from a target account (fit 60: 200-999 employees, a manager, a target-account domain) ...
        HttpResponse<String> response = post("/forms/ebook-download/submissions", "application/x-www-form-urlencoded",
                "email=bo%40globex.com&firstname=Bo&company=Globex&jobtitle=Marketing+Manager&numberofemployees=250");
        assertThat(response.statusCode()).isEqualTo(202);
        // ... views pricing and docs three times this week.
        String now = Instant.now().toString();
        StringBuilder entries = new StringBuilder("[");
        String[] paths = {"/pricing", "/docs/start", "/pricing/teams"};
        for (int i = 0; i < paths.length; i++) {
            String detail = "{\"eventId\":\"cli-" + i + "\",\"occurredAt\":\"" + now + "\",\"contact\":{\"email\":\"bo@globex.com\"},"
                    + "\"page\":{\"url\":\"https://www.example.com" + paths[i] + "\"}}";
            if (i > 0) entries.append(',');
            entries.append("{\"Source\":\"handoff.tracking\",\"DetailType\":\"PageViewed\",\"Detail\":")
                    .append(JSON.writeValueAsString(detail)).append('}');
        }
        entries.append(']');
        Path file = dir.resolve("entries.json");
        Files.writeString(file, entries);

        ProcessBuilder cli = new ProcessBuilder("aws", "events", "put-events", "--region", "us-east-1",
                "--endpoint-url", "http://127.0.0.1:" + port, "--entries", "file://" + file, "--output", "json")
                .redirectErrorStream(true);
        cli.environment().put("AWS_ACCESS_KEY_ID", "local");
        cli.environment().put("AWS_SECRET_ACCESS_KEY", "local");
        Process p;
        try {
            p = cli.start();
        } catch (IOException e) {
            throw new AssertionError("the AWS CLI is needed for this test: pip install awscli", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(JSON.readTree(out).path("FailedEntryCount").asInt()).isZero();

        JsonNode alert = awaitAlert("bo@globex.com");
        assertThat(alert.path("reason").path("code").asText()).isEqualTo("fast-track");
        assertThat(alert.path("reason").path("detail").asText()).contains("target account");
    }

    @Test
    void bad_input_gets_a_clear_error() throws Exception {
        HttpResponse<String> unknown = post("/forms/no-such-form/submissions", "application/json", "{\"email\":\"x@y.com\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        HttpResponse<String> invalid = post("/forms/newsletter/submissions", "application/json", "{\"email\":\"not-an-email\"}");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("\"field\":\"email\"");
        HttpResponse<String> text = post("/forms/newsletter/submissions", "text/plain", "email=x@y.com");
        assertThat(text.statusCode()).isEqualTo(415);
    }

    @Test
    void the_sales_api_is_served_as_the_http_api_would_serve_it() throws Exception {
        String email = "cy+crm@initech.example";
        String path = "/contacts/" + java.net.URLEncoder.encode(email, StandardCharsets.UTF_8);
        assertThat(post("/forms/ebook-download/submissions", "application/json",
                "{\"email\":\"" + email + "\",\"firstname\":\"Cy\",\"jobtitle\":\"Engineer\"}").statusCode()).isEqualTo(202);
        Instant deadline = Instant.now().plusSeconds(30);
        while (!send("GET", path, null, null).body().contains("\"lifecycleStage\":\"lead\"") && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }

        HttpResponse<String> moved = send("PUT", path + "/stage", "application/json",
                "{\"stage\":\"salesqualifiedlead\",\"reason\":\"asked for a quote\",\"actor\":\"sam\"}");
        assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
        JsonNode alert = awaitAlert(email);
        assertThat(alert.path("reason").path("code").asText()).isEqualTo("manual");
        assertThat(alert.path("reason").path("detail").asText()).isEqualTo("asked for a quote");

        HttpResponse<String> view = send("GET", path, null, null);
        assertThat(view.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(view.body()).path("lifecycleStage").asText()).isEqualTo("salesqualifiedlead");
        assertThat(JSON.readTree(view.body()).path("history").get(1).path("actor").asText()).isEqualTo("sam");

        HttpResponse<String> imported = send("POST", "/imports", "application/json",
                "{\"contacts\":[{\"email\":\"dee@initech.example\",\"properties\":{\"jobtitle\":\"CTO\"},\"stage\":\"customer\"}]}");
        assertThat(imported.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(imported.body()).path("results").get(0).path("status").asText()).isEqualTo("created");
        assertThat(send("POST", path + "/activities", "application/json", "{\"type\":\"call\",\"actor\":\"sam\"}")
                .statusCode()).isEqualTo(202);
        assertThat(send("POST", path + "/sales-acceptance", "text/plain", "{\"actor\":\"sam\"}").statusCode()).isEqualTo(415);
        assertThat(send("PATCH", path, "application/json", "{}").statusCode()).isEqualTo(405);

        assertThat(send("DELETE", path, null, null).statusCode()).isEqualTo(204);
        assertThat(send("GET", path, null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void a_page_on_another_origin_gets_cors_answers_for_the_beacon_and_the_form_route_preflight_included() throws Exception {
        for (String path : List.of("/t", "/forms/demo-request/submissions")) {
            HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "https://www.example.com")
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "content-type,idempotency-key")
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(preflight.statusCode()).as(path).isEqualTo(204);
            assertThat(preflight.headers().firstValue("access-control-allow-origin")).as(path).contains("https://www.example.com");
            assertThat(preflight.headers().firstValue("access-control-allow-methods")).as(path).contains("POST");
            assertThat(preflight.headers().firstValue("access-control-allow-headers")).as(path).contains("content-type,idempotency-key");
            assertThat(preflight.headers().firstValue("access-control-max-age")).as(path).contains("600");
        }
        HttpResponse<String> beacon = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/t"))
                .header("Origin", "http://localhost:8080").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"SessionStarted\",\"visitorId\":\"v-cors-0001\","
                        + "\"eventId\":\"e-cors-0001\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(beacon.statusCode()).isEqualTo(204);
        assertThat(beacon.headers().firstValue("access-control-allow-origin")).contains("http://localhost:8080");
        // The sales API is not for browsers: no CORS there.
        HttpResponse<String> sales = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/contacts/x%40y.example"))
                .header("Origin", "https://www.example.com").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(sales.headers().firstValue("access-control-allow-origin")).isEmpty();
    }

    @Test
    void the_segment_rudderstack_and_ses_samples_are_decoded_end_to_end() throws Exception {
        for (String sample : List.of("put-events-segment.json", "put-events-rudderstack.json", "put-events-ses.json")) {
            // The samples' day moved to yesterday, so that they stay inside the engagement window whenever this runs.
            String entries = Files.readString(ROOT.resolve("events").resolve(sample))
                    .replace("2026-11-20T", java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(1) + "T");
            HttpResponse<String> put = post("/events", "application/json", "{\"Entries\":" + entries + "}");
            assertThat(put.statusCode()).as(sample).isEqualTo(200);
            assertThat(JSON.readTree(put.body()).path("FailedEntryCount").asInt()).as(sample).isZero();
        }
        // Segment: the identify links the anonymous visitor to cy@acme.com, created as a lead, with its page view.
        JsonNode cy = awaitContact("cy@acme.com", c -> ruleMatched(c, "pricing-page-views") == 1);
        assertThat(cy.path("lifecycleStage").asText()).isEqualTo("lead");
        assertThat(cy.path("history").get(0).path("note").asText()).isEqualTo("identified by segment");
        // RudderStack: the same through context.traits.email and context.page.url.
        JsonNode dee = awaitContact("dee@globex.com", c -> ruleMatched(c, "docs-demo-page-views") == 1);
        assertThat(dee.path("lifecycleStage").asText()).isEqualTo("lead");
        // SES: the click counts for the address the mail went to (the open scores nothing in the presets).
        awaitContact("kim@initech.com", c -> ruleMatched(c, "email-clicks") == 1);
        assertThat(output()).noneMatch(l -> l.contains("dead-letter"));
    }

    private static int ruleMatched(JsonNode contact, String rule) {
        for (JsonNode s : contact.path("signals")) if (s.path("rule").asText().equals(rule)) return s.path("matched").asInt();
        return 0;
    }

    private static JsonNode awaitContact(String email, java.util.function.Predicate<JsonNode> ready) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> r = send("GET", "/contacts/" + email.replace("@", "%40"), null, null);
            if (r.statusCode() == 200) {
                last = JSON.readTree(r.body());
                if (ready.test(last)) return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("contact " + email + " not as expected in 60 s: " + last + "\n" + String.join("\n", output()));
    }

    static HttpResponse<String> send(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) request.header("Content-Type", contentType);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Content-Type", contentType)
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode awaitAlert(String email) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(alerts)) {
                List<JsonNode> mine = new ArrayList<>();
                for (String line : Files.readAllLines(alerts)) {
                    JsonNode alert = JSON.readTree(line);
                    if (email.equals(alert.path("contact").path("email").asText())) mine.add(alert);
                }
                if (!mine.isEmpty()) {
                    Thread.sleep(500); // a second line for the same move would be a bug: give it the chance to show
                    long count = Files.readAllLines(alerts).stream().filter(l -> l.contains("\"" + email + "\"")).count();
                    assertThat(count).as("alert lines for " + email).isEqualTo(1);
                    return mine.get(0);
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no alert line for " + email + " in 60 s; the stack printed:\n" + String.join("\n", output()));
    }
}
