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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code sales-accepted} preset on the local stack, through the sales API: {@code run-local.sh --policy sales-accepted}. */
class LocalStackSalesAcceptedIT {
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
    static void start_the_stack_with_the_sales_accepted_preset() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        alerts = dir.resolve("alerts.jsonl");
        log = dir.resolve("stack.log");
        ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("scripts/run-local.sh").toString(),
                "--port", Integer.toString(port), "--alerts-file", alerts.toString(), "--policy", "sales-accepted")
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
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
        stack.destroy();
        assertThat(stack.waitFor(30, TimeUnit.SECONDS)).as("the stack stops on SIGTERM").isTrue();
    }

    @Test
    void a_logged_activity_and_a_sales_acceptance_through_the_api_write_one_alert_line_with_reason_sales_accepted() throws Exception {
        String path = "/contacts/" + "eve%40hooli.example";
        assertThat(send("POST", path + "/activities", "{\"type\":\"meeting\",\"actor\":\"sam\"}").statusCode()).isEqualTo(202);
        HttpResponse<String> accepted = send("POST", path + "/sales-acceptance", "{\"actor\":\"sam\"}");
        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(accepted.body()).path("eventId").asText()).isNotBlank();

        JsonNode alert = null;
        Instant deadline = Instant.now().plusSeconds(60);
        while (alert == null && Instant.now().isBefore(deadline)) {
            if (Files.exists(alerts)) {
                for (String line : Files.readAllLines(alerts)) {
                    if (line.contains("\"eve@hooli.example\"")) alert = JSON.readTree(line);
                }
            }
            if (alert == null) Thread.sleep(200);
        }
        assertThat(alert).as("an alert line; the stack printed:\n%s", String.join("\n", output())).isNotNull();
        assertThat(alert.path("reason").path("code").asText()).isEqualTo("sales-accepted");
        assertThat(alert.path("owner").asText()).isEqualTo("sam");
        Thread.sleep(500);
        assertThat(Files.readAllLines(alerts).stream().filter(l -> l.contains("\"eve@hooli.example\""))).hasSize(1);

        JsonNode view = JSON.readTree(send("GET", path, null).body());
        assertThat(view.path("lifecycleStage").asText()).isEqualTo("salesqualifiedlead");
        assertThat(view.path("qualification").path("reason").asText()).isEqualTo("sales-accepted");
    }

    private static HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) request.header("Content-Type", "application/json");
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
