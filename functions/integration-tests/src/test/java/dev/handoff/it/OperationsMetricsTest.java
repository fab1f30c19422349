package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** PRODUCT §8 as the handlers write it: the business metrics as EMF lines, and the request id on every line. */
@ExtendWith(StackExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OperationsMetricsTest {

    @Test
    void a_fast_tracked_form_a_refused_one_and_a_caught_bot_write_their_metrics_and_every_line_names_its_request(Stack stack) {
        String email = Stack.email("metrics");
        Map<String, String> form = new LinkedHashMap<>();
        form.put("email", email);
        form.put("jobtitle", "VP Engineering");
        form.put("numberofemployees", "500");
        form.put("firstname", "Metrica");

        List<String> lines;
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThat(stack.submit(Forms.urlEncoded("demo-request", form)).getStatusCode()).isEqualTo(202);
            assertThat(stack.submit(Forms.urlEncoded("demo-request", Map.of("firstname", "Nomail"))).getStatusCode()).isEqualTo(400);
            assertThat(stack.submit(Forms.urlEncoded("demo-request", Map.of("email", Stack.email("bot"), "website_confirm", "x")))
                    .getStatusCode()).isEqualTo(202);
            stack.settle();
            assertThat(stack.alertsFor(email)).hasSize(1);
        } finally {
            System.setOut(original);
        }
        lines = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{")).toList();

        Set<String> metrics = new TreeSet<>();
        List<JsonNode> json = new ArrayList<>();
        for (String line : lines) json.add(QueueLog.json(line));
        for (JsonNode line : json) {
            JsonNode directive = line.path("_aws").path("CloudWatchMetrics").path(0);
            if (directive.isMissingNode()) continue;
            assertThat(directive.path("Namespace").asText()).isEqualTo("Handoff");
            for (JsonNode m : directive.path("Metrics")) {
                String name = m.path("Name").asText();
                metrics.add(name + (line.has("to") ? "/" + line.path("to").asText() : "")
                        + (line.has("reason") ? "/" + line.path("reason").asText() : ""));
                assertThat(line.has(name)).as("the value of %s beside its definition", name).isTrue();
            }
        }
        assertThat(metrics).contains("FormsAccepted", "FormsRejected", "HoneypotCaught", "StageMoves/salesqualifiedlead",
                "SqlAlerts/fast-track", "AlertLatencyMs");
        assertThat(json).as("every line a function wrote names its Lambda request id")
                .allSatisfy(line -> assertThat(line.path("requestId").asText()).isNotBlank());
        assertThat(String.join("\n", lines)).doesNotContain(email).doesNotContain("Metrica");
    }
}
