package dev.handoff.it;

import static dev.handoff.it.Tracking.visitor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.Stage;
import dev.handoff.core.StageMove;
import dev.handoff.core.app.StoredContact;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** PRODUCT §2.2: a visitor's anonymous events count for the contact once a form carries that visitorId. */
@ExtendWith(StackExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AnonymousVisitorTest {

    @Test
    void anonymous_visitor_events_count_once_a_form_links_the_visitorId_and_the_visitors_later_events_go_to_the_contact(Stack stack) {
        String email = Stack.email("anon");
        String visitorId = Stack.visitorId("anon");
        var who = visitor(visitorId);

        // Before any form: 30 (three pricing views) + 15 (a datasheet) = 45 points waiting on the visitor.
        stack.putEvents(
                Tracking.pageViewed(who, "https://northwind.example/pricing"),
                Tracking.pageViewed(who, "https://northwind.example/pricing/team"),
                Tracking.pageViewed(who, "https://northwind.example/pricing/enterprise"),
                Tracking.contentDownloaded(who, "ds-1", "datasheet", true));
        stack.settle();
        assertThat(stack.exists(email)).isFalse();

        // A plain HTML form carrying the tracking cookie: fit 50 (senior title 25, 200-999 employees 25).
        Map<String, String> form = new LinkedHashMap<>();
        form.put("email", email);
        form.put("jobtitle", "Director of Operations");
        form.put("numberofemployees", "250");
        form.put("visitorId", visitorId);
        assertThat(stack.submit(Forms.urlEncoded("ebook-download", form)).getStatusCode()).isEqualTo(202);
        stack.settle();

        StoredContact linked = stack.load(email);
        assertThat(linked.contact().visitorIds()).containsExactly(visitorId);
        assertThat(linked.tally().total()).isEqualTo(5); // the visitor's four and the form
        assertThat(stack.evaluate(email).engagement()).isEqualTo(50); // 45 + 5 for the form
        assertThat(linked.contact().stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
        assertThat(stack.alertsFor(email)).isEmpty();

        // The visitor's next event (still anonymous on the page) counts for the contact directly: 50 + 15 = 65.
        stack.putEvents(Tracking.contentDownloaded(who, "ds-2", "datasheet", true));
        stack.settle();

        StoredContact qualified = stack.load(email);
        assertThat(qualified.contact().stage()).isEqualTo(Stage.SALES_QUALIFIED_LEAD);
        assertThat(qualified.contact().history()).last().extracting(mv -> mv.reason().code()).isEqualTo("score-threshold");
        assertThat(qualified.contact().history()).extracting(StageMove::to)
                .containsExactly(Stage.LEAD, Stage.MARKETING_QUALIFIED_LEAD, Stage.SALES_QUALIFIED_LEAD);
        var alerts = stack.alertsFor(email);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).message().path("scores").path("engagement").asInt()).isEqualTo(65);
        assertThat(alerts.get(0).message().path("reason").path("code").asText()).isEqualTo("score-threshold");
    }
}
