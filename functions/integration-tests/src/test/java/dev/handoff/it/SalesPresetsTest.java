package dev.handoff.it;

import static dev.handoff.it.Tracking.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.handoff.core.Reason;
import dev.handoff.core.Signal;
import dev.handoff.core.Stage;
import dev.handoff.core.StageMove;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PRODUCT §4's other presets end to end, each deployed with its own table: {@code sales-accepted} through the sales
 * API and through the tracking events (the same signals either way), {@code sdr-meeting-booked} through a
 * {@code MeetingBooked} tracking event.
 */
@ExtendWith(StackExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SalesPresetsTest {

    @Test
    void sales_accepted_through_the_API_a_logged_activity_and_an_acceptance_make_an_SQL_with_one_alert(Stack stack) {
        PresetStack preset = PresetStack.of(stack, "sales-accepted");
        String email = Stack.email("accepted-api");

        assertThat(preset.sales.activity(email, "{\"type\": \"meeting\", \"actor\": \"sam\"}").status()).isEqualTo(202);
        preset.settle();
        assertThat(preset.load(email).contact().stage()).isEqualTo(Stage.LEAD);
        assertThat(stack.alertsFor(email)).isEmpty();

        assertThat(preset.sales.accept(email, "{\"actor\": \"sam\"}", "accept-" + email.hashCode()).status()).isEqualTo(202);
        assertThat(preset.sales.accept(email, "{\"actor\": \"sam\"}", "accept-" + email.hashCode()).status()).isEqualTo(202);
        preset.settle();
        preset.settle();

        assertThat(preset.load(email).contact().history()).extracting(StageMove::to, StageMove::reason)
                .containsExactly(tuple(Stage.LEAD, Reason.SALES_ACTION), tuple(Stage.SALES_QUALIFIED_LEAD, Reason.SALES_ACCEPTED));
        List<Stack.Published> alerts = stack.alertsFor(email);
        assertThat(alerts).hasSize(1);
        JsonNode alert = alerts.get(0).message();
        assertThat(alert.path("reason").path("code").asText()).isEqualTo("sales-accepted");
        assertThat(alert.path("policyVersion").asText()).isEqualTo(preset.policy.version());
        assertThat(alerts.get(0).attribute("reason")).isEqualTo("sales-accepted");
        assertThat(alerts.get(0).attribute("owner")).isEqualTo("sam");

        SalesApi.Answer view = preset.sales.get(email);
        assertThat(view.json().path("lifecycleStage").asText()).isEqualTo("salesqualifiedlead");
        assertThat(view.json().path("qualification").path("reason").asText()).isEqualTo("sales-accepted");
        assertThat(view.json().path("deals")).hasSize(1);
    }

    @Test
    void sales_accepted_through_tracking_events_gives_the_same_result_from_the_same_signals(Stack stack) {
        PresetStack preset = PresetStack.of(stack, "sales-accepted");
        String byApi = Stack.email("accepted-api-twin");
        String byEvents = Stack.email("accepted-events");

        preset.sales.activity(byApi, "{\"type\": \"call\", \"actor\": \"kim\"}");
        preset.sales.accept(byApi, "{\"actor\": \"kim\"}", null);
        preset.enqueue(Tracking.salesActivityLogged(email(byEvents), "call", "kim"), Tracking.salesAccepted(email(byEvents), "kim"));
        preset.settle();

        for (String email : List.of(byApi, byEvents)) {
            var contact = preset.load(email).contact();
            assertThat(contact.stage()).as(email).isEqualTo(Stage.SALES_QUALIFIED_LEAD);
            assertThat(contact.signals()).as(email).extracting(s -> s.type().id(), SalesPresetsTest::owner)
                    .containsExactlyInAnyOrder(tuple("sales-activity-logged", "kim"), tuple("sales-accepted", "kim"));
            List<Stack.Published> alerts = stack.alertsFor(email);
            assertThat(alerts).as(email).hasSize(1);
            assertThat(alerts.get(0).message().path("reason").path("code").asText()).isEqualTo("sales-accepted");
        }
    }

    @Test
    void sdr_meeting_booked_a_MeetingBooked_tracking_event_makes_an_SQL_with_reason_meeting_booked_and_one_alert(Stack stack) {
        PresetStack preset = PresetStack.of(stack, "sdr-meeting-booked");
        String email = Stack.email("meeting");
        assertThat(preset.forms.apply(Forms.urlEncoded("ebook-download",
                java.util.Map.of("email", email, "jobtitle", "Engineer"))).getStatusCode()).isEqualTo(202);
        preset.settle();
        assertThat(preset.load(email).contact().stage()).isEqualTo(Stage.LEAD);

        Tracking.Event booked = Tracking.meetingBooked(email(email), "sam", Instant.now().plusSeconds(86_400));
        preset.enqueue(booked);
        preset.enqueue(booked); // a producer's retry: the same eventId
        preset.settle();
        preset.settle();

        assertThat(preset.load(email).contact().history()).extracting(StageMove::to, StageMove::reason)
                .containsExactly(tuple(Stage.LEAD, Reason.FORM_SUBMISSION), tuple(Stage.SALES_QUALIFIED_LEAD, Reason.MEETING_BOOKED));
        List<Stack.Published> alerts = stack.alertsFor(email);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).message().path("reason").path("code").asText()).isEqualTo("meeting-booked");
        assertThat(alerts.get(0).attribute("owner")).isEqualTo("sam");
        SalesApi.Answer view = preset.sales.get(email);
        assertThat(view.json().path("deals")).hasSize(1);
        assertThat(view.json().path("qualification").path("reason").asText()).isEqualTo("meeting-booked");
    }

    private static String owner(Signal s) {
        return switch (s) {
            case Signal.SalesActivityLogged a -> a.owner();
            case Signal.SalesAccepted a -> a.owner();
            default -> null;
        };
    }
}
