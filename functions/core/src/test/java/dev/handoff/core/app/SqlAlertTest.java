package dev.handoff.core.app;

import static dev.handoff.core.Fixtures.NOW;
import static dev.handoff.core.Fixtures.SCORE_THRESHOLD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.handoff.core.EmailAddress;
import dev.handoff.core.Contribution;
import dev.handoff.core.FormType;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** PRODUCT §3: an alert's id is unique per move, and its top signals are the rules that counted most, with kind. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqlAlertTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String ANA = "ana@northwind.example";

    private final InMemoryContactStore store = new InMemoryContactStore();
    private final Qualifier qualifier = new Qualifier(store, SCORE_THRESHOLD, CLOCK);

    /** A demo request from an ICP contact: a fast track to SQL. */
    private void demoRequest(String email, String submissionId, Map<String, String> properties) {
        store.recordSubmission(new FormSubmission(submissionId, "demo-request", FormType.DEMO_REQUEST, EmailAddress.parse(email), properties,
                null, NOW.minusSeconds(60)));
    }

    private static Map<String, String> icp() {
        return Map.of("jobtitle", "VP Engineering", "numberofemployees", "500", "budget", "60000");
    }

    @Test
    void a_contact_erased_and_created_again_gets_a_new_alert_id_for_the_same_move() {
        demoRequest(ANA, "sub-1", icp());
        SqlAlert first = ((Qualifier.Outcome.Moved) qualifier.qualify(ANA)).alert();
        assertThat(store.erase(ANA)).isPositive();

        // The same person, the same form, the same version and the same move: only the id is new.
        demoRequest(ANA, "sub-1", icp());
        SqlAlert second = ((Qualifier.Outcome.Moved) qualifier.qualify(ANA)).alert();

        assertThat(second.from()).isEqualTo(first.from());
        assertThat(second.to()).isEqualTo(first.to());
        assertThat(second.alertId()).isNotEqualTo(first.alertId());
    }

    @Test
    void the_same_change_delivered_again_records_no_second_alert() {
        demoRequest(ANA, "sub-1", icp());
        SqlAlert alert = ((Qualifier.Outcome.Moved) qualifier.qualify(ANA)).alert();

        assertThat(qualifier.qualify(ANA)).isInstanceOf(Qualifier.Outcome.Unchanged.class);
        assertThat(store.alertsRecorded).extracting(SqlAlert::alertId).containsExactly(alert.alertId());
    }

    @Test
    void the_top_signals_are_the_rules_that_counted_most_fit_and_engagement_alike_each_with_its_kind() {
        // Fit 55: 200-999 employees 25 + senior title 25 + budget 50k+ 25 - free mail 20; engagement: the form 5.
        demoRequest("ana@gmail.com", "sub-2", icp());
        SqlAlert alert = ((Qualifier.Outcome.Moved) qualifier.qualify("ana@gmail.com")).alert();

        assertThat(alert.fit()).isEqualTo(55);
        // Best first, fit first on a tie; the free-mail penalty took points away and is no reason to call.
        assertThat(alert.topSignals()).extracting(SqlAlert.TopSignal::rule, SqlAlert.TopSignal::kind, SqlAlert.TopSignal::points)
                .containsExactly(
                        tuple("employees-200-999", Contribution.Kind.FIT, 25),
                        tuple("senior-title", Contribution.Kind.FIT, 25),
                        tuple("budget-50k-plus", Contribution.Kind.FIT, 25),
                        tuple("form-submissions", Contribution.Kind.ENGAGEMENT, 5));
    }
}
