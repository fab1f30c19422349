package dev.handoff.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.aws.Json;
import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's rehearsal of a rollout, from outside, through the scripts a user runs: the local stack keeps its
 * table in a directory, stops, starts again with a new policy, and what-if.sh and requalify.sh run against the
 * DynamoDB endpoint it prints.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LocalRolloutIT {
    private static final Path ROOT = Path.of(System.getProperty("handoff.root", "../.."));
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ANA = "ana@northwind.example";

    @TempDir
    Path dir;
    Process stack;
    int port;
    int dynamoDbPort;

    @Test
    void store_stop_start_with_a_new_policy_what_if_requalify_and_requalify_again() throws Exception {
        port = freePort();
        dynamoDbPort = freePort();
        Path data = dir.resolve("data");
        Path alerts = dir.resolve("alerts.jsonl");
        Path draft = dir.resolve("lower-bar.yaml");
        Files.writeString(draft, Files.readString(ROOT.resolve("policies/score-threshold.yaml"))
                .replace("minEngagement: 60", "minEngagement: 20").replaceFirst("version: \"[^\"]*\"", "version: \"lower-bar/1\""));

        // Store: an MQL with 25 engagement points under the preset.
        List<String> first = start(data, alerts, "score-threshold", dir.resolve("first.log"));
        assertThat(first).contains("dynamodb on http://127.0.0.1:" + dynamoDbPort + " table handoff-local");
        assertThat(post("/forms/ebook-download/submissions",
                "{\"email\":\"" + ANA + "\",\"jobtitle\":\"VP Engineering\",\"numberofemployees\":\"500\"}")).isEqualTo(202);
        String now = Instant.now().toString();
        assertThat(post("/events", "{\"Entries\":[" + pageView("rollout-1", now) + "," + pageView("rollout-2", now) + "]}")).isEqualTo(200);
        awaitStage("marketingqualifiedlead");
        stop();

        // Start again with the new policy: the table is still there, and nobody moved on the restart.
        start(data, alerts, draft.toString(), dir.resolve("second.log"));
        Thread.sleep(1_000);
        assertThat(stageOfAna()).isEqualTo("marketingqualifiedlead");

        Path report = dir.resolve("report");
        Run whatIf = script("what-if.sh", "--table", "handoff-local", "--policy", draft.toString(), "--out", report.toString());
        assertThat(whatIf.status()).as(whatIf.output()).isZero();
        Map<String, Object> json = Json.JR.mapFrom(Files.readString(report.resolve("what-if.json")));
        assertThat((List<?>) json.get("changes")).hasSize(1);
        assertThat(((Map<?, ?>) ((List<?>) json.get("changes")).get(0)).get("to")).isEqualTo("salesqualifiedlead");
        assertThat(stageOfAna()).as("what-if moved nobody").isEqualTo("marketingqualifiedlead");

        Run requalify = script("requalify.sh", "--table", "handoff-local");
        assertThat(requalify.status()).as(requalify.output()).isZero();
        assertThat(requalify.output()).contains("queued 1 contacts for re-evaluation");
        awaitStage("salesqualifiedlead");
        Thread.sleep(1_000);
        assertThat(alertLines(alerts)).hasSize(1);
        assertThat(alertLines(alerts).get(0)).contains("\"code\":\"score-threshold\"", "lower-bar/1");

        Run again = script("requalify.sh", "--table", "handoff-local");
        assertThat(again.status()).as(again.output()).isZero();
        Thread.sleep(2_000);
        assertThat(alertLines(alerts)).as("the second run moves nobody").hasSize(1);
    }

    @AfterEach
    void stop() throws Exception {
        if (stack == null) return;
        stack.destroy();
        assertThat(stack.waitFor(30, TimeUnit.SECONDS)).isTrue();
        stack = null;
    }

    private List<String> start(Path data, Path alerts, String policy, Path log) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("scripts/run-local.sh").toString(),
                "--port", Integer.toString(port), "--dynamodb-port", Integer.toString(dynamoDbPort), "--data", data.toString(),
                "--policy", policy, "--alerts-file", alerts.toString())
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("HANDOFF_LOCAL_NO_BUILD", "1");
        stack = pb.start();
        Instant deadline = Instant.now().plusSeconds(120);
        while (true) {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            if (lines.contains("listening on http://127.0.0.1:" + port)) return lines;
            if (!stack.isAlive() || Instant.now().isAfter(deadline)) throw new AssertionError("the stack did not start:\n" + String.join("\n", lines));
            Thread.sleep(100);
        }
    }

    record Run(int status, String output) {}

    private Run script(String name, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", ROOT.resolve("scripts/" + name).toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve(name + ".out");
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("HANDOFF_TOOLS_NO_BUILD", "1");
        pb.environment().put("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:" + dynamoDbPort);
        pb.environment().put("AWS_REGION", "us-east-1");
        pb.environment().put("AWS_ACCESS_KEY_ID", "local");
        pb.environment().put("AWS_SECRET_ACCESS_KEY", "local");
        Process p = pb.start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out));
    }

    private void awaitStage(String stage) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (!stage.equals(stageOfAna())) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError(ANA + " did not reach " + stage + ": " + stageOfAna());
            Thread.sleep(200);
        }
    }

    private String stageOfAna() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/contacts/"
                + URLEncoder.encode(ANA, StandardCharsets.UTF_8))).GET().build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200 ? String.valueOf(Json.JR.mapFrom(r.body()).get("lifecycleStage")) : "(" + r.statusCode() + ")";
    }

    private int post(String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String pageView(String eventId, String at) {
        String detail = "{\"eventId\":\"" + eventId + "\",\"occurredAt\":\"" + at + "\",\"contact\":{\"email\":\"" + ANA
                + "\"},\"page\":{\"url\":\"https://www.example.com/pricing\"}}";
        return "{\"Source\":\"handoff.tracking\",\"DetailType\":\"PageViewed\",\"Detail\":\"" + detail.replace("\"", "\\\"") + "\"}";
    }

    private static List<String> alertLines(Path alerts) throws IOException {
        return Files.exists(alerts) ? Files.readAllLines(alerts).stream().filter(l -> l.contains(ANA)).toList() : List.of();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
