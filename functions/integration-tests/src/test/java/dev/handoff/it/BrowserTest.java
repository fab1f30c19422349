package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.aws.DynamoDbContacts;
import dev.handoff.aws.EventBridgeBeacons;
import dev.handoff.core.Signal;
import dev.handoff.core.app.FormIntake;
import dev.handoff.core.app.Ingest;
import dev.handoff.core.policy.Policy;
import dev.handoff.core.policy.PolicyLoader;
import dev.handoff.functions.beacon.ApiGatewayBeaconHandler;
import dev.handoff.functions.form.ApiGatewayFormSubmissionHandler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PRODUCT §2.1 and §2.4 from the browser's side: beacons through the real bus (moto's EventBridge, its rule, the
 * tracking queue), refused beacons leaving nothing behind, no-script forms sent on to a thank-you page, and
 * attribution kept latest and first.
 */
@ExtendWith(StackExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private static ApiGatewayBeaconHandler beacons(Stack stack) {
        return new ApiGatewayBeaconHandler(new EventBridgeBeacons(stack.eventBridge, Stack.BUS), Clock.fixed(NOW, ZoneOffset.UTC),
                dev.handoff.aws.Log.stdoutWithoutContacts());
    }

    private static String error(APIGatewayV2HTTPResponse r) throws Exception {
        var e = JSON.readTree(r.getBody()).path("errors").get(0);
        return e.path("field").asText() + ": " + e.path("message").asText();
    }

    @Test
    void a_refused_beacon_is_answered_with_its_status_and_error_and_puts_nothing_on_the_bus(Stack stack) throws Exception {
        var handler = beacons(stack);
        String email = Stack.email("beacon-refused");
        String visitor = Stack.visitorId("beacon-refused").replace(".", "_");
        String ok = "\"visitorId\":\"" + visitor + "\",\"eventId\":\"ev-refused-1\",\"url\":\"https://northwind.example/pricing\"";
        record Case(String contentType, String body, int status, String error) {}
        List<Case> cases = List.of(
                new Case("application/x-www-form-urlencoded", "type=PageViewed", 415, "Content-Type: must be application/json or text/plain"),
                new Case("text/plain", "{\"type\":\"PageViewed\"," + ok + ",\"referrer\":\"" + "x".repeat(5000) + "\"}", 413, "body: must be at most 4 KiB"),
                new Case("text/plain", "[1, 2]", 400, "body: must be a JSON object"),
                new Case("application/json", "", 400, "body: must be a JSON object"),
                new Case("text/plain", "{\"type\":\"PageViewed\"," + ok + ",\"email\":\"ana@acme.com\"}", 400,
                        "email: is not accepted from a browser: a visitor is identified by a form post"),
                new Case("text/plain", "{\"type\":\"PageViewed\"," + ok + ",\"score\":100}", 400,
                        "score: unknown field (a beacon has type, visitorId, eventId, url and referrer)"),
                new Case("text/plain", "{\"type\":\"MeetingBooked\"," + ok + "}", 400, "type: must be PageViewed or SessionStarted"),
                new Case("text/plain", "{\"type\":\"PageViewed\",\"visitorId\":\"short\",\"eventId\":\"ev-refused-2\",\"url\":\"https://n.example/\"}",
                        400, "visitorId: must be 8 to 128 letters, digits, '_' or '-'"),
                new Case("text/plain", "{\"type\":\"PageViewed\",\"visitorId\":\"" + visitor + "\",\"eventId\":\"ev-refused-3\"}",
                        400, "url: is required for PageViewed"),
                new Case("text/plain", "{\"type\":\"PageViewed\",\"visitorId\":\"" + visitor + "\",\"eventId\":\"ev-refused-4\","
                        + "\"url\":\"javascript:alert(1)\"}", 400, "url: must be an absolute http:// or https:// URL"),
                new Case("application/json", "{\"type\":\"SessionStarted\",\"visitorId\":12345678,\"eventId\":\"ev-refused-5\"}",
                        400, "visitorId: must be a string"));
        for (Case c : cases) {
            APIGatewayV2HTTPResponse r = handler.handleRequest(Beacons.post(c.contentType(), c.body()), null);
            assertThat(r.getStatusCode()).as(c.body().length() > 80 ? c.body().substring(0, 80) : c.body()).isEqualTo(c.status());
            assertThat(error(r)).isEqualTo(c.error());
        }
        APIGatewayV2HTTPResponse notJson = handler.handleRequest(Beacons.post("text/plain", "{nope"), null);
        assertThat(notJson.getStatusCode()).isEqualTo(400);
        assertThat(error(notJson)).startsWith("body: is not valid JSON");
        stack.settle();

        // The visitor is identified: of everything above, nothing reached the bus, so only the form counts.
        assertThat(stack.submit(Forms.urlEncoded("ebook-download", Map.of("email", email, "visitorId", visitor))).getStatusCode())
                .isEqualTo(202);
        stack.settle();
        assertThat(stack.load(email).contact().signals()).singleElement().isInstanceOf(Signal.FormSubmitted.class);
    }

    @Test
    void an_accepted_beacon_becomes_a_tracking_event_on_the_bus_stamped_with_the_servers_time(Stack stack) throws Exception {
        var handler = beacons(stack);
        String email = Stack.email("beacon");
        String visitor = Stack.visitorId("beacon").replace(".", "_");
        String body = "{\"type\":\"PageViewed\",\"visitorId\":\"" + visitor + "\",\"eventId\":\"ev-" + visitor + "\","
                + "\"url\":\"https://northwind.example/pricing?plan=team\",\"referrer\":\"https://www.google.com/\"}";
        APIGatewayV2HTTPResponse accepted = handler.handleRequest(Beacons.post("text/plain;charset=UTF-8", body), null);
        assertThat(accepted.getStatusCode()).isEqualTo(204);
        assertThat(accepted.getBody()).isNull();
        // The same beacon again (a browser's retry) is the same event.
        assertThat(handler.handleRequest(Beacons.post("application/json", body), null).getStatusCode()).isEqualTo(204);
        stack.settle();

        assertThat(stack.submit(Forms.urlEncoded("ebook-download", Map.of("email", email, "visitorId", visitor))).getStatusCode())
                .isEqualTo(202);
        stack.settle();
        List<Signal> signals = stack.load(email).contact().signals();
        assertThat(signals).filteredOn(s -> s instanceof Signal.PageViewed).singleElement().satisfies(s -> {
            assertThat(((Signal.PageViewed) s).path()).isEqualTo("/pricing");
            assertThat(s.occurredAt()).isEqualTo(NOW);
        });
    }

    @Test
    void the_snippet_is_served_as_javascript_of_at_most_8_KiB(Stack stack) {
        APIGatewayV2HTTPResponse r = beacons(stack).handleRequest(Beacons.script(), null);
        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(r.getHeaders()).containsEntry("Content-Type", "text/javascript; charset=utf-8");
        assertThat(r.getBody().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(8 * 1024);
        assertThat(r.getBody()).contains("handoff_vid").contains("SameSite=Lax");
    }

    @Test
    void a_plain_html_form_with_a_redirect_lands_on_the_thank_you_page_and_a_script_still_gets_202(Stack stack) throws Exception {
        String yaml;
        try (var in = PolicyLoader.class.getClassLoader().getResourceAsStream("policies/score-threshold.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        yaml = yaml.replace("  demo-request: demo-request\n",
                        "  demo-request: {type: demo-request, redirect: \"https://www.northwind.example/thanks\"}\n");
        Policy policy = PolicyLoader.parse(yaml, "redirect-policy.yaml");
        var forms = new ApiGatewayFormSubmissionHandler(new FormIntake(policy),
                new Ingest(new DynamoDbContacts(stack.dynamoDb, Stack.TABLE, policy.engagementWindowDays())), Clock.systemUTC(),
                new dev.handoff.aws.Env(Map.of()).log());

        APIGatewayV2HTTPResponse plain = forms.handleRequest(Forms.urlEncoded("demo-request", Map.of("email", Stack.email("thanks"))), null);
        assertThat(plain.getStatusCode()).isEqualTo(303);
        assertThat(plain.getHeaders()).containsEntry("Location", "https://www.northwind.example/thanks");

        APIGatewayV2HTTPResponse script = forms.handleRequest(Forms.json("demo-request", Map.of("email", Stack.email("thanks"))), null);
        assertThat(script.getStatusCode()).isEqualTo(202);
        assertThat(JSON.readTree(script.getBody()).has("submissionId")).isTrue();

        // Errors are answered as ever, and a form without a redirect (the old `formId: type`) answers 202.
        assertThat(forms.handleRequest(Forms.urlEncoded("demo-request", Map.of("email", "nope")), null).getStatusCode()).isEqualTo(400);
        assertThat(forms.handleRequest(Forms.urlEncoded("contact-sales", Map.of("email", Stack.email("thanks"))), null)
                .getStatusCode()).isEqualTo(202);
    }

    @Test
    void attribution_is_kept_as_properties_the_latest_values_and_the_first_ones_beside_them(Stack stack) {
        String email = Stack.email("utm");
        Map<String, String> first = new LinkedHashMap<>();
        first.put("email", email);
        first.put("utm_source", "google");
        first.put("utm_medium", "cpc");
        first.put("utm_campaign", "brand");
        first.put("pageUrl", "https://northwind.example/ebook?utm_source=google");
        first.put("referrer", "https://www.google.com/");
        assertThat(stack.submit(Forms.urlEncoded("ebook-download", first)).getStatusCode()).isEqualTo(202);
        Map<String, String> second = new LinkedHashMap<>();
        second.put("email", email);
        second.put("utm_source", "linkedin");
        second.put("utm_content", "carousel");
        second.put("pageUrl", "https://northwind.example/pricing");
        second.put("first_utm_source", "forged");
        assertThat(stack.submit(Forms.json("contact-sales", second)).getStatusCode()).isEqualTo(202);
        stack.settle();

        var contact = stack.load(email).contact();
        assertThat(contact.properties())
                .containsEntry("utm_source", "linkedin").containsEntry("first_utm_source", "google")
                .containsEntry("utm_medium", "cpc").containsEntry("first_utm_medium", "cpc")
                .containsEntry("utm_content", "carousel")
                .containsEntry("pageUrl", "https://northwind.example/pricing")
                .containsEntry("first_pageUrl", "https://northwind.example/ebook?utm_source=google")
                .containsEntry("referrer", "https://www.google.com/").containsEntry("first_referrer", "https://www.google.com/")
                .doesNotContainEntry("first_utm_source", "forged");
    }
}
