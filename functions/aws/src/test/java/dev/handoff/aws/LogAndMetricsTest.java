package dev.handoff.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogAndMetricsTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Log log = Log.to(new PrintStream(bytes, true, StandardCharsets.UTF_8), ContactHash.withKey("a-key-for-this-test-only"));

    private List<Map<String, Object>> lines() throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) if (!line.isBlank()) out.add(JSON.std.mapFrom(line));
        return out;
    }

    @Test
    void every_line_of_an_invocation_names_its_request_id() throws IOException {
        Log request = log.forRequest("req-42");
        request.info("one", "n", 1);
        request.warn("two");
        Metrics metrics = request.metrics();
        metrics.count(Metric.FormsAccepted);
        metrics.flush();

        assertThat(lines()).hasSize(3).allSatisfy(line -> assertThat(line).containsEntry("requestId", "req-42"));
    }

    @Test
    void a_contact_is_a_keyed_hash_that_hashing_candidate_emails_does_not_find() throws Exception {
        String email = "ana@acme.com";
        String hash = log.contact(email);
        String plain = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(email.getBytes(StandardCharsets.UTF_8)), 0, 8);

        assertThat(hash).hasSize(16).isEqualTo(log.contact(email)).isNotEqualTo(plain);
        assertThat(ContactHash.withKey("another-stack-another-key").of(email)).isNotEqualTo(hash);
        assertThat(log.contact("bo@acme.com")).isNotEqualTo(hash);
    }

    @Test
    void a_discarding_log_prints_nothing() {
        Log.discard(ContactHash.withKey("a-key-for-this-test-only")).info("priming", "n", 1);
        log.discarding().info("priming");
        assertThat(bytes.size()).isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void metrics_are_embedded_metric_format_lines_one_per_dimension_value() throws IOException {
        Metrics metrics = log.forRequest("req-1").metrics();
        metrics.count(Metric.TrackingEvents, 7);
        metrics.count(Metric.DuplicateEvents, 2);
        metrics.count(Metric.StageMoves, "marketingqualifiedlead");
        metrics.count(Metric.StageMoves, "salesqualifiedlead");
        metrics.count(Metric.StageMoves, "salesqualifiedlead");
        metrics.millis(Metric.AlertLatencyMs, 120);
        metrics.millis(Metric.AlertLatencyMs, 80);
        metrics.flush();
        metrics.flush(); // nothing left: nothing written

        List<Map<String, Object>> lines = lines();
        assertThat(lines).hasSize(3);
        Map<String, Object> plain = lines.get(0);
        assertThat(plain).containsEntry("TrackingEvents", 7).containsEntry("DuplicateEvents", 2)
                .containsEntry("AlertLatencyMs", List.of(120, 80));
        Map<String, Object> directive = ((List<Map<String, Object>>) ((Map<String, Object>) plain.get("_aws")).get("CloudWatchMetrics")).get(0);
        assertThat(directive).containsEntry("Namespace", "Handoff").containsEntry("Dimensions", List.of(List.of()));
        assertThat((List<Object>) directive.get("Metrics")).contains(
                Map.of("Name", "TrackingEvents", "Unit", "Count"), Map.of("Name", "AlertLatencyMs", "Unit", "Milliseconds"));
        assertThat(((Map<String, Object>) plain.get("_aws")).get("Timestamp")).isInstanceOf(Number.class);

        assertThat(lines.get(1)).containsEntry("to", "marketingqualifiedlead").containsEntry("StageMoves", 1);
        assertThat(lines.get(2)).containsEntry("to", "salesqualifiedlead").containsEntry("StageMoves", 2);
        Map<String, Object> dimensioned = ((List<Map<String, Object>>) ((Map<String, Object>) lines.get(2).get("_aws")).get("CloudWatchMetrics")).get(0);
        assertThat(dimensioned).containsEntry("Dimensions", List.of(List.of("to")));
    }

    @Test
    void a_metric_with_a_dimension_needs_its_value_and_one_without_takes_none() {
        Metrics metrics = log.metrics();
        assertThatThrownBy(() -> metrics.count(Metric.SqlAlerts)).hasMessageContaining("reason");
        assertThatThrownBy(() -> metrics.count(Metric.FormsAccepted, "x")).hasMessageContaining("no dimension");
    }

    @Test
    void the_metrics_are_exactly_those_product_section_8_names() {
        assertThat(Arrays.stream(Metric.values()).map(Metric::name)).containsExactly("FormsAccepted", "FormsRejected",
                "HoneypotCaught", "TrackingEvents", "DuplicateEvents", "StageMoves", "SqlAlerts", "AlertLatencyMs",
                "HubSpotSynced", "HubSpotFailed");
        assertThat(Metric.StageMoves.dimension()).isEqualTo("to");
        assertThat(Metric.SqlAlerts.dimension()).isEqualTo("reason");
    }

    @Test
    void on_lambda_a_function_without_its_hash_key_does_not_start() {
        assertThatThrownBy(() -> new Env(Map.of("AWS_LAMBDA_FUNCTION_NAME", "handoff-form")).contactHash())
                .hasMessageContaining(Env.CONTACT_HASH_SECRET_ARN);
        assertThat(new Env(Map.of(Env.CONTACT_HASH_KEY, "a-key-for-this-test-only")).contactHash().of("ana@acme.com"))
                .isEqualTo(log.contact("ana@acme.com"));
    }
}
