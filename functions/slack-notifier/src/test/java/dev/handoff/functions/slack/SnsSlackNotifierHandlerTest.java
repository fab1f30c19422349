package dev.handoff.functions.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import com.fasterxml.jackson.jr.ob.JSON;
import dev.handoff.aws.ContactHash;
import dev.handoff.aws.Log;
import dev.handoff.aws.AlertJson;
import dev.handoff.core.app.SqlAlert;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/** The handler against a local HTTP server standing in for Slack's incoming webhook. */
class SnsSlackNotifierHandlerTest {

    private RecordingSlack slack;
    private final List<Duration> waits = new ArrayList<>();
    private SnsSlackNotifierHandler handler;

    @BeforeEach
    void start() throws IOException {
        slack = new RecordingSlack();
        handler = new SnsSlackNotifierHandler(slack::url, SlackWebhook.defaultHttpClient(), waits::add,
                Log.stdout(ContactHash.withKey("slack-notifier-test-key")));
    }

    @AfterEach
    void stop() {
        slack.close();
    }

    // ------------------------------------------------------------------------------------------- the message

    @Test
    void the_sample_alert_is_posted_as_one_block_kit_message_with_a_plain_text_fallback() throws Exception {
        handler.handleRequest(event(Samples.alertMessage()), null);

        assertThat(slack.requests()).hasSize(1);
        RecordingSlack.Request request = slack.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo(RecordingSlack.PATH);
        assertThat(request.contentType()).isEqualTo("application/json; charset=utf-8");

        Map<String, Object> payload = JSON.std.mapFrom(request.body());
        assertThat(payload.keySet()).containsExactly("text", "blocks");
        assertThat(payload.get("text")).isEqualTo("New SQL: Ana Lima, Acme (fast-track)");
        assertThat(payload.get("blocks")).isEqualTo(List.of(
                Map.of("type", "header",
                        "text", Map.of("type", "plain_text", "text", "New SQL: Ana Lima, Acme", "emoji", false)),
                Map.of("type", "section", "fields", List.of(
                        mrkdwn("*Job title*\nVP Engineering"),
                        mrkdwn("*Company*\nAcme"),
                        mrkdwn("*Reason*\nfast-track: demo-request form from an ICP fit contact (fit 100)"),
                        mrkdwn("*Scores*\nfit 100 · engagement 5"),
                        mrkdwn("*Stage*\nlead → salesqualifiedlead"))),
                Map.of("type", "section", "text", mrkdwn("*Top signals*\n• employees-200-999 +25 (fit)\n• senior-title +25 (fit)"
                        + "\n• budget-50k-plus +25 (fit)\n• target-account +20 (fit)\n• target-industry +10 (fit)")),
                Map.of("type", "context", "elements", List.of(
                        mrkdwn("Alert 2abbea5c-26b7-3455-8113-736c37a07bf7 · policy score-threshold/2026-11-22")))));
    }

    @Test
    void the_contacts_email_address_is_not_posted_when_there_is_a_name() {
        handler.handleRequest(event(Samples.alertMessage()), null);

        assertThat(slack.requests().get(0).body()).doesNotContain("ana@acme.com");
    }

    @Test
    void contact_text_can_neither_ping_nor_link_nor_forge_lines() throws Exception {
        handler.handleRequest(event(AlertJson.toJson(Samples.hostile())), null);

        String body = slack.requests().get(0).body();
        // No '<' or '>' at all: nothing Slack could read as <!channel>, <@U123>, <#C99>, <!subteam^..> or <url|text>.
        assertThat(body).doesNotContain("<", ">");
        assertThat(body).doesNotContain("@here", "@channel", "@everyone");

        Map<String, Object> payload = JSON.std.mapFrom(body);
        String zwj = SlackText.ZERO_WIDTH_JOINER;
        String name = "&lt;!channel&gt; @" + zwj + "here &lt;@U123&gt; *Reason* manual";
        assertThat(header(payload)).isEqualTo("New SQL: " + name + ", AT&amp;T &lt;https://x|y&gt;");
        assertThat(payload.get("text")).isEqualTo("New SQL: " + name + ", AT&amp;T &lt;https://x|y&gt; (fast-track)");
        assertThat(fieldTexts(payload)).contains(
                "*Job title*\n@" + zwj + "channel lead &amp; &lt;!subteam^S42&gt; &lt;#C99&gt; @" + zwj + "everyone",
                "*Company*\nAT&amp;T &lt;https://x|y&gt;");
        assertThat(topSignals(payload)).isEqualTo("*Top signals*\n• pricing-page-views +30 (engagement)\n• rule&lt;with&gt;&amp; -5 (fit)");
    }

    @Test
    void every_mrkdwn_text_is_verbatim_so_slack_links_no_bare_url_or_channel_name() throws Exception {
        handler.handleRequest(event(AlertJson.toJson(Samples.hostile())), null);

        Map<String, Object> payload = JSON.std.mapFrom(slack.requests().get(0).body());
        List<Map<?, ?>> texts = new ArrayList<>();
        collectTextObjects(payload.get("blocks"), texts);
        assertThat(texts).hasSize(8).allSatisfy(t -> {
            if ("mrkdwn".equals(t.get("type"))) assertThat(t.get("verbatim")).isEqualTo(true);
            else assertThat(t.get("type")).isEqualTo("plain_text");
        });
    }

    @Test
    void a_name_too_long_for_a_header_is_cut_to_slacks_150_characters() throws Exception {
        SqlAlert a = Samples.alert();
        SqlAlert longName = new SqlAlert(a.alertId(), a.occurredAt(), a.policyVersion(),
                new SqlAlert.ContactCard(null, "&".repeat(400), "Lima", "Acme", null),
                a.from(), a.to(), a.reasonCode(), a.reasonDetail(), a.fit(), a.engagement(), a.topSignals(), null, null);

        handler.handleRequest(event(AlertJson.toJson(longName)), null);

        Map<String, Object> payload = JSON.std.mapFrom(slack.requests().get(0).body());
        assertThat(header(payload)).hasSizeLessThanOrEqualTo(150).startsWith("New SQL: &amp;&amp;").endsWith("&amp;…");
        assertThat(fieldTexts(payload)).contains("*Job title*\n—");
    }

    @ParameterizedTest
    @Event(value = "events/slack-notifier-sns-event.json", type = SNSEvent.class)
    void the_sns_sample_event_carries_the_sample_alert_and_is_posted(SNSEvent event) throws Exception {
        assertThat(event.getRecords()).hasSize(1);
        assertThat(AlertJson.parse(event.getRecords().get(0).getSNS().getMessage())).isEqualTo(Samples.alert());

        handler.handleRequest(event, null);

        assertThat(slack.requests()).hasSize(1);
        assertThat(header(JSON.std.mapFrom(slack.requests().get(0).body()))).isEqualTo("New SQL: Ana Lima, Acme");
    }

    @Test
    void each_record_of_an_event_is_posted() {
        SNSEvent event = new SNSEvent().withRecords(List.of(
                record("m-1", Samples.alertMessage()), record("m-2", AlertJson.toJson(Samples.hostile()))));

        handler.handleRequest(event, null);

        assertThat(slack.requests()).hasSize(2);
    }

    @Test
    void a_message_that_is_not_an_alert_fails_the_invocation_without_quoting_it() {
        SNSEvent event = new SNSEvent().withRecords(List.of(record("m-7", "Ana Lima, ana@acme.com, call her")));

        assertThatThrownBy(() -> handler.handleRequest(event, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("m-7")
                .hasMessageNotContaining("Ana")
                .hasNoCause();
        assertThat(slack.requests()).isEmpty();
    }

    @Test
    void the_logs_carry_ids_and_statuses_but_no_name_address_or_webhook_url() {
        slack.answer(503, "").answer(200, "ok").answer(400, "invalid_payload");
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            handler.handleRequest(event(Samples.alertMessage()), null);
            assertThatThrownBy(() -> handler.handleRequest(event(AlertJson.toJson(Samples.hostile())), null));
        } finally {
            System.setOut(stdout);
        }

        String logs = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(logs).contains("2abbea5c-26b7-3455-8113-736c37a07bf7", "\"status\":200", "HTTP 400 invalid_payload")
                .doesNotContain("Ana", "Lima", "Acme", "ana@acme.com", "mallory", "AT&T", "U123",
                        RecordingSlack.TOKEN, "/services/", "127.0.0.1");
    }

    // -------------------------------------------------------------------------------------------- retries

    @Test
    void a_429_with_retry_after_1_is_waited_out_then_the_message_is_posted_once_more() {
        slack.answer(429, Map.of("Retry-After", "1"), "rate_limited");

        handler.handleRequest(event(Samples.alertMessage()), null);

        assertThat(waits).containsExactly(Duration.ofSeconds(1));
        assertThat(slack.requests()).hasSize(2);
        assertThat(slack.requests().get(1).body()).isEqualTo(slack.requests().get(0).body());
    }

    @Test
    void a_server_error_without_retry_after_is_retried_after_one_second() {
        slack.answer(503, "");

        handler.handleRequest(event(Samples.alertMessage()), null);

        assertThat(waits).containsExactly(Duration.ofSeconds(1));
        assertThat(slack.requests()).hasSize(2);
    }

    @Test
    void a_500_three_times_fails_the_invocation_after_three_attempts_so_that_it_is_retried() {
        slack.answer(500, "").answer(500, "").answer(500, "");

        assertThatThrownBy(() -> handler.handleRequest(event(Samples.alertMessage()), null))
                .isInstanceOfSatisfying(SlackDeliveryException.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.attempts()).isEqualTo(3);
                })
                .hasMessageContaining("3 attempts").hasMessageContaining("HTTP 500")
                .hasMessageNotContaining(RecordingSlack.TOKEN).hasMessageNotContaining("127.0.0.1");
        assertThat(slack.requests()).hasSize(3);
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void a_400_fails_at_once_naming_the_status_and_slacks_error_but_not_the_url() {
        slack.answer(400, "invalid_payload");

        assertThatThrownBy(() -> handler.handleRequest(event(Samples.alertMessage()), null))
                .isInstanceOf(SlackDeliveryException.class)
                .hasMessageContaining("HTTP 400 invalid_payload")
                .hasMessageNotContaining(RecordingSlack.TOKEN).hasMessageNotContaining("/services/");
        assertThat(slack.requests()).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void a_404_no_service_is_not_retried_either() {
        slack.answer(404, "no_service");

        assertThatThrownBy(() -> handler.handleRequest(event(Samples.alertMessage()), null))
                .isInstanceOf(SlackDeliveryException.class).hasMessageContaining("HTTP 404 no_service");
        assertThat(slack.requests()).hasSize(1);
    }

    @Test
    void a_retry_after_beyond_the_wait_budget_fails_now_rather_than_wait() {
        slack.answer(429, Map.of("Retry-After", "30"), "rate_limited");

        assertThatThrownBy(() -> handler.handleRequest(event(Samples.alertMessage()), null))
                .isInstanceOf(SlackDeliveryException.class)
                .hasMessageContaining("HTTP 429").hasMessageContaining("30 s");
        assertThat(slack.requests()).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void no_wait_is_taken_that_would_leave_the_invocation_too_little_time() {
        slack.answer(503, Map.of("Retry-After", "1"), "");

        assertThatThrownBy(() -> handler.handleRequest(event(Samples.alertMessage()), new RemainingTime(6_500)))
                .isInstanceOf(SlackDeliveryException.class).hasMessageContaining("no time left");
        assertThat(slack.requests()).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void an_unreachable_webhook_is_tried_three_times_and_named_only_by_the_kind_of_failure() throws IOException {
        URI closed;
        try (RecordingSlack gone = new RecordingSlack()) {
            closed = gone.url();
        }
        SnsSlackNotifierHandler unreachable =
                new SnsSlackNotifierHandler(() -> closed, SlackWebhook.defaultHttpClient(), waits::add,
                Log.stdout(ContactHash.withKey("slack-notifier-test-key")));

        assertThatThrownBy(() -> unreachable.handleRequest(event(Samples.alertMessage()), null))
                .isInstanceOfSatisfying(SlackDeliveryException.class, e -> assertThat(e.status()).isZero())
                .hasMessageContaining("no answer (ConnectException)")
                .hasMessageNotContaining(RecordingSlack.TOKEN)
                .hasNoCause();
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    // ------------------------------------------------------------------------------------------- helpers

    static SNSEvent event(String message) {
        return new SNSEvent().withRecords(List.of(record("6a1f3c52-8d4e-5b7a-9c0d-2e3f4a5b6c7d", message)));
    }

    static SNSEvent.SNSRecord record(String messageId, String message) {
        return new SNSEvent.SNSRecord()
                .withEventSource("aws:sns")
                .withSns(new SNSEvent.SNS().withMessageId(messageId).withType("Notification").withMessage(message));
    }

    private static Map<String, Object> mrkdwn(String text) {
        return Map.of("type", "mrkdwn", "text", text, "verbatim", true);
    }

    private static List<?> blocks(Map<String, Object> payload) {
        return (List<?>) payload.get("blocks");
    }

    static String header(Map<String, Object> payload) {
        return (String) ((Map<?, ?>) ((Map<?, ?>) blocks(payload).get(0)).get("text")).get("text");
    }

    private static List<String> fieldTexts(Map<String, Object> payload) {
        List<String> out = new ArrayList<>();
        for (Object f : (List<?>) ((Map<?, ?>) blocks(payload).get(1)).get("fields")) out.add((String) ((Map<?, ?>) f).get("text"));
        return out;
    }

    private static String topSignals(Map<String, Object> payload) {
        return (String) ((Map<?, ?>) ((Map<?, ?>) blocks(payload).get(2)).get("text")).get("text");
    }

    /** Every text object (a map with "type" plain_text or mrkdwn) in a block tree. */
    private static void collectTextObjects(Object node, List<Map<?, ?>> out) {
        if (node instanceof Map<?, ?> m) {
            if ("plain_text".equals(m.get("type")) || "mrkdwn".equals(m.get("type"))) out.add(m);
            m.values().forEach(v -> collectTextObjects(v, out));
        } else if (node instanceof List<?> l) {
            l.forEach(v -> collectTextObjects(v, out));
        }
    }

    /** A Lambda context with a fixed time left; nothing else of it is used. */
    record RemainingTime(int millis) implements Context {
        @Override public int getRemainingTimeInMillis() { return millis; }
        @Override public String getAwsRequestId() { return "test"; }
        @Override public String getLogGroupName() { return "test"; }
        @Override public String getLogStreamName() { return "test"; }
        @Override public String getFunctionName() { return "slack-notifier"; }
        @Override public String getFunctionVersion() { return "1"; }
        @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:slack-notifier:live"; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getMemoryLimitInMB() { return 1024; }
        @Override public LambdaLogger getLogger() { return null; }
    }
}
