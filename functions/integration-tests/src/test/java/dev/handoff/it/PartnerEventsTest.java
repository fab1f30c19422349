package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.Signal;
import dev.handoff.core.Stage;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PRODUCT §2.5 on the engines: Segment, RudderStack and SES events as their EventBridge envelopes reach the tracking
 * queue, decoded by the tracking function; what is of no use is ignored, not failed.
 */
@ExtendWith(StackExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PartnerEventsTest {
    private static final String NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();

    private static String envelope(String source, String detailType, String detail) {
        return "{\"version\":\"0\",\"id\":\"" + java.util.UUID.randomUUID() + "\",\"detail-type\":\"" + detailType
                + "\",\"source\":\"" + source + "\",\"account\":\"123456789012\",\"time\":\"" + NOW
                + "\",\"region\":\"us-east-1\",\"resources\":[],\"detail\":" + detail + "}";
    }

    private static String segment(String detail) {
        return envelope("aws.partner/segment.com/sj9kd83nhq", "page", detail);
    }

    @Test
    void a_segment_identify_links_the_visitor_creates_a_lead_without_form_points_and_counts_its_page_views(Stack stack) {
        String email = Stack.email("segment");
        String anonymousId = Stack.visitorId("segment");
        stack.enqueueEnvelopes(
                segment("{\"type\":\"page\",\"anonymousId\":\"" + anonymousId + "\",\"messageId\":\"m-" + anonymousId + "-1\","
                        + "\"timestamp\":\"" + NOW + "\",\"properties\":{\"url\":\"https://northwind.example/pricing\"}}"),
                segment("{\"type\":\"page\",\"anonymousId\":\"" + anonymousId + "\",\"messageId\":\"m-" + anonymousId + "-2\","
                        + "\"timestamp\":\"" + NOW + "\",\"context\":{\"page\":{\"url\":\"https://northwind.example/docs\"}}}"));
        stack.settle();
        stack.enqueueEnvelopes(segment("{\"type\":\"identify\",\"anonymousId\":\"" + anonymousId + "\",\"messageId\":\"m-"
                + anonymousId + "-3\",\"timestamp\":\"" + NOW + "\",\"traits\":{\"email\":\"" + email.toUpperCase() + "\"}}"));
        stack.settle();

        var contact = stack.load(email).contact();
        assertThat(contact.stage()).isEqualTo(Stage.LEAD);
        assertThat(contact.history()).singleElement().satisfies(m -> {
            assertThat(m.from()).isNull();
            assertThat(m.note()).isEqualTo("identified by segment");
        });
        assertThat(contact.signals()).hasSize(2).allMatch(s -> s instanceof Signal.PageViewed);
        assertThat(stack.evaluate(email).engagement()).isEqualTo(15); // 10 for pricing, 5 for docs; no form points

        // The same identify again, and one for a contact that is further along, move nobody.
        stack.enqueueEnvelopes(segment("{\"type\":\"identify\",\"anonymousId\":\"" + anonymousId + "\",\"messageId\":\"m-"
                + anonymousId + "-3\",\"timestamp\":\"" + NOW + "\",\"traits\":{\"email\":\"" + email + "\"}}"));
        stack.settle();
        assertThat(stack.load(email).contact().history()).hasSize(1);
    }

    @Test
    void an_ses_click_counts_for_every_address_the_mail_went_to_once_however_often_it_is_delivered(Stack stack) {
        String ana = Stack.email("ses-a");
        String bo = Stack.email("ses-b");
        String click = envelope("aws.ses", "Email Clicked", "{\"eventType\":\"Click\",\"mail\":{\"timestamp\":\"" + NOW + "\","
                + "\"messageId\":\"0100-ses-" + ana + "\",\"destination\":[\"" + ana + "\",\"Bo <" + bo + ">\"],"
                + "\"tags\":{\"campaign\":[\"nov-launch\"],\"ses:configuration-set\":[\"marketing\"]}},"
                + "\"click\":{\"timestamp\":\"" + NOW + "\",\"link\":\"https://northwind.example/docs\",\"ipAddress\":\"192.0.2.1\"}}");
        stack.enqueueEnvelopes(click, click);
        stack.settle();
        for (String email : new String[] {ana, bo}) {
            assertThat(stack.load(email).contact().signals()).singleElement().isInstanceOfSatisfying(Signal.EmailClicked.class, c -> {
                assertThat(c.campaignId()).isEqualTo("nov-launch");
                assertThat(c.link()).isEqualTo("https://northwind.example/docs");
            });
        }
    }

    @Test
    void events_of_no_use_to_handoff_are_ignored_not_failed_and_go_to_no_dead_letter_queue(Stack stack) {
        String visitor = Stack.visitorId("ignored");
        String[] unrelated = {
            segment("{\"type\":\"track\",\"event\":\"Plan Compared\",\"anonymousId\":\"" + visitor + "\",\"messageId\":\"t-" + visitor + "\"}"),
            envelope("rudderstack", "RudderStack Event", "{\"type\":\"alias\",\"previousId\":\"a\",\"userId\":\"b\",\"messageId\":\"al-" + visitor + "\"}"),
            segment("{\"type\":\"identify\",\"anonymousId\":\"" + visitor + "\",\"messageId\":\"i-" + visitor + "\",\"traits\":{\"plan\":\"pro\"}}"),
            segment("{\"type\":\"page\",\"userId\":\"u-1\",\"messageId\":\"p-" + visitor + "\",\"properties\":{\"url\":\"https://n.example/\"}}"),
            envelope("aws.ses", "Email Delivered", "{\"eventType\":\"Delivery\",\"mail\":{\"messageId\":\"d-" + visitor + "\"}}"),
        };
        int callsBefore = stack.tracking.calls().size();
        stack.enqueueEnvelopes(unrelated);
        // A page from these tools that cannot be understood (no url at all) is not ignored: it is a failure.
        String broken = segment("{\"type\":\"page\",\"anonymousId\":\"" + visitor + "\",\"messageId\":\"b-" + visitor + "\"}");
        stack.enqueueEnvelopes(broken);
        stack.settle();

        Map<String, Boolean> failedByBody = new java.util.HashMap<>();
        for (var call : stack.tracking.calls().subList(callsBefore, stack.tracking.calls().size())) {
            var failed = call.response().getBatchItemFailures().stream().map(f -> f.getItemIdentifier()).toList();
            for (var m : call.event().getRecords()) failedByBody.merge(m.getBody(), failed.contains(m.getMessageId()), Boolean::logicalOr);
        }
        for (String body : unrelated) assertThat(failedByBody).containsEntry(body, false);
        assertThat(failedByBody).containsEntry(broken, true);
        for (String body : unrelated) assertThat(stack.deadLetters.all()).noneMatch(m -> m.body().equals(body));
    }
}
