package dev.handoff.it;

import static dev.handoff.it.Tracking.email;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.core.Stage;
import dev.handoff.core.StageMove;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The score-threshold preset (PRODUCT §4): an MQL becomes an SQL when its engagement reaches 60, not before. */
@ExtendWith(StackExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ScorePathTest {

    @Test
    void a_contact_with_fit_40_whose_tracking_events_push_engagement_to_60_becomes_an_SQL_for_score_threshold_and_below_60_stays_an_MQL(Stack stack) {
        String email = Stack.email("score");
        // fit: manager title 15 + 200-999 employees 25 = 40, the MQL threshold exactly; a content form is not high-intent.
        var response = stack.submit(Forms.json("ebook-download", Map.of(
                "email", email, "firstname", "Bo", "lastname", "Berg", "company", "Northwind",
                "jobtitle", "Engineering Manager", "numberofemployees", 250)));
        assertThat(response.getStatusCode()).isEqualTo(202);
        stack.settle();
        assertThat(stack.load(email).contact().stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);

        // 5 (form) + 30 (three pricing views) + 20 (two webinars) = 55: below 60, so still an MQL and no alert.
        var who = email(email);
        stack.putEvents(
                Tracking.pageViewed(who, "https://northwind.example/pricing"),
                Tracking.pageViewed(who, "https://northwind.example/pricing/enterprise"),
                Tracking.pageViewed(who, "https://northwind.example/pricing?plan=team"),
                Tracking.webinarAttended(who, "wb-101"),
                Tracking.webinarAttended(who, "wb-102"));
        stack.settle();
        assertThat(stack.evaluate(email).engagement()).isEqualTo(55);
        assertThat(stack.load(email).contact().stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
        assertThat(stack.alertsFor(email)).isEmpty();
        assertThat(stack.items(email, "ALERT#")).isEmpty();

        // A datasheet download (15) makes 70: over the threshold.
        stack.putEvents(Tracking.contentDownloaded(who, "ds-7", "datasheet", false));
        stack.settle();

        List<StageMove> history = stack.load(email).contact().history();
        assertThat(history).extracting(StageMove::to)
                .containsExactly(Stage.LEAD, Stage.MARKETING_QUALIFIED_LEAD, Stage.SALES_QUALIFIED_LEAD);
        assertThat(history.get(2).reason().code()).isEqualTo("score-threshold");
        assertThat(history.get(2).policyVersion()).isEqualTo(stack.policy.version());

        List<Stack.Published> alerts = stack.alertsFor(email);
        assertThat(alerts).hasSize(1);
        JsonNode m = alerts.get(0).message();
        assertThat(m.path("reason").path("code").asText()).isEqualTo("score-threshold");
        assertThat(m.path("stage")).isEqualTo(QueueLog.json("{\"from\": \"marketingqualifiedlead\", \"to\": \"salesqualifiedlead\"}"));
        assertThat(m.path("scores")).isEqualTo(QueueLog.json("{\"fit\": 40, \"engagement\": 70}"));
        // The rules that counted most, fit and engagement alike (fit first on a tie).
        assertThat(m.path("topSignals")).isEqualTo(QueueLog.json("""
                [{"rule": "pricing-page-views", "kind": "engagement", "points": 30},
                 {"rule": "employees-200-999", "kind": "fit", "points": 25},
                 {"rule": "webinars-attended", "kind": "engagement", "points": 20},
                 {"rule": "manager-title", "kind": "fit", "points": 15},
                 {"rule": "datasheet-downloads", "kind": "engagement", "points": 15}]"""));
        assertThat(alerts.get(0).attribute("reason")).isEqualTo("score-threshold");
        assertThat(stack.qualificationEventsFor(email)).hasSize(1);
        assertThat(stack.items(email, "DEAL#")).hasSize(1);
    }
}
