package dev.handoff.core;

import static dev.handoff.core.Fixtures.NOW;
import static dev.handoff.core.Fixtures.SALES_ACCEPTED;
import static dev.handoff.core.Fixtures.SCORE_THRESHOLD;
import static dev.handoff.core.Fixtures.SDR_MEETING_BOOKED;
import static dev.handoff.core.Fixtures.accepted;
import static dev.handoff.core.Fixtures.activity;
import static dev.handoff.core.Fixtures.contact;
import static dev.handoff.core.Fixtures.days;
import static dev.handoff.core.Fixtures.form;
import static dev.handoff.core.Fixtures.meeting;
import static dev.handoff.core.Fixtures.pricing;
import static dev.handoff.core.Fixtures.times;
import static dev.handoff.core.Fixtures.webinar;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PRODUCT §5, knockouts: they never stop scoring, but block every automatic MQL and SQL. */
class KnockoutTest {

    /** Fit 100 before clamping, engagement 100: everything but the knockout says SQL. */
    private static Contact hot(String email, String jobtitle, String employees) {
        return contact(email, "jobtitle", jobtitle, "numberofemployees", employees, "budget", "90000",
                "industry", "software", "annualrevenue", "20000000")
                .withSignals(times(3, () -> pricing(days(1))))
                .withSignals(times(2, () -> webinar(days(3))))
                .withSignals(times(6, () -> Fixtures.download("datasheet", true, days(4))))
                .withSignal(form(FormType.DEMO_REQUEST, days(1)));
    }

    @ParameterizedTest(name = "\"{0}\" is knocked out")
    @ValueSource(strings = {"Student", "PhD student at MIT", "Marketing Intern", "intern", "Student Director of Sales"})
    void a_student_or_intern_title_is_a_knockout(String title) {
        Decision d = SCORE_THRESHOLD.evaluate(hot("kim@acme.com", title, "5000"), NOW);
        assertThat(d.knockouts()).containsExactly("student-or-intern");
        assertThat(d.knockedOut()).isTrue();
        assertThat(d.qualified()).isEmpty();
    }

    @ParameterizedTest(name = "\"{0}\" is not knocked out")
    @ValueSource(strings = {"International Sales Director", "Internal Audit Manager", "Students Union Head", "Internship coordinator"})
    void knockout_words_match_whole_words_only(String title) {
        Decision d = SCORE_THRESHOLD.evaluate(contact("kim@example.org", "jobtitle", title), NOW);
        assertThat(d.knockouts()).isEmpty();
    }

    @ParameterizedTest(name = "{0} employees is a knockout")
    @ValueSource(strings = {"9", "1", "0"})
    void fewer_than_10_employees_is_a_knockout(String employees) {
        Decision d = SCORE_THRESHOLD.evaluate(hot("kim@acme.com", "CEO", employees), NOW);
        assertThat(d.knockouts()).containsExactly("under-10-employees");
        assertThat(d.qualified()).isEmpty();
    }

    @Test
    void ten_employees_is_not_a_knockout() {
        Decision d = SCORE_THRESHOLD.evaluate(hot("kim@example.org", "CEO", "10"), NOW);
        assertThat(d.knockouts()).isEmpty();
        assertThat(d.qualified()).isPresent();
    }

    @Test
    void a_missing_employee_count_is_not_a_knockout() {
        Contact c = contact("kim@example.org", "jobtitle", "CEO", "budget", "60000");
        Decision d = SCORE_THRESHOLD.evaluate(c, NOW);
        assertThat(d.knockouts()).isEmpty();
        assertThat(d.fit()).isEqualTo(50);
        assertThat(d.qualification().stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
        assertThat(SCORE_THRESHOLD.evaluate(c.withProperties(java.util.Map.of("numberofemployees", "")), NOW).knockouts()).isEmpty();
        assertThat(SCORE_THRESHOLD.evaluate(c.withProperties(java.util.Map.of("numberofemployees", "n/a")), NOW).knockouts()).isEmpty();
    }

    @Test
    void a_competitor_domain_is_a_knockout() {
        Decision d = SCORE_THRESHOLD.evaluate(hot("spy@rival.io", "CEO", "5000"), NOW);
        assertThat(d.knockouts()).containsExactly("competitor");
        assertThat(d.qualified()).isEmpty();
    }

    @Test
    void a_knockout_does_not_change_the_scores() {
        Decision out = SCORE_THRESHOLD.evaluate(hot("kim@example.org", "Intern", "5000"), NOW);
        assertThat(out.fit()).isEqualTo(75);
        assertThat(out.engagement()).isEqualTo(100);
    }

    @Test
    void several_knockouts_are_all_listed() {
        Decision d = SCORE_THRESHOLD.evaluate(hot("kim@rival.io", "student", "3"), NOW);
        assertThat(d.knockouts()).containsExactly("student-or-intern", "under-10-employees", "competitor");
    }

    @Test
    void a_knocked_out_contact_with_the_fit_of_an_mql_is_not_an_mql() {
        Decision d = SCORE_THRESHOLD.evaluate(contact("kim@example.org", "jobtitle", "Intern to the CEO", "numberofemployees", "5000"), NOW);
        assertThat(d.fit()).isEqualTo(55);
        assertThat(d.qualified()).isEmpty();
    }

    @Test
    void a_knockout_blocks_the_target_account_fast_track() {
        Contact c = contact("kim@acme.com", "jobtitle", "Student").withSignals(times(5, () -> pricing(days(1))));
        assertThat(SCORE_THRESHOLD.evaluate(c, NOW).qualified()).isEmpty();
    }

    @Test
    void a_knockout_blocks_sql_in_the_sales_accepted_and_meeting_booked_presets_too() {
        Contact c = contact("kim@rival.io", "jobtitle", "CEO", "numberofemployees", "5000")
                .withSignals(List.of(activity("call", days(2)), accepted("sam", days(1)), meeting("sam", days(1))));
        assertThat(SALES_ACCEPTED.evaluate(c, NOW).qualified()).isEmpty();
        assertThat(SDR_MEETING_BOOKED.evaluate(c, NOW).qualified()).isEmpty();
    }

    @Test
    void a_person_can_still_move_a_knocked_out_contact_to_sql() {
        Contact c = hot("kim@rival.io", "CEO", "5000").withMove(
                new StageMove(null, Stage.LEAD, NOW.minusSeconds(60), Reason.FORM_SUBMISSION, "policy", "v", null));
        Decision d = SCORE_THRESHOLD.evaluate(c, NOW);
        assertThat(Lifecycle.automaticMoves(c, d, NOW)).isEmpty();
        Lifecycle.PersonMove m = Lifecycle.personMove(c, Stage.SALES_QUALIFIED_LEAD, false, Reason.MANUAL, "sam", "known buyer", NOW, d.policyVersion());
        assertThat(m).isInstanceOfSatisfying(Lifecycle.PersonMove.Moved.class,
                moved -> assertThat(moved.move().to()).isEqualTo(Stage.SALES_QUALIFIED_LEAD));
    }
}
