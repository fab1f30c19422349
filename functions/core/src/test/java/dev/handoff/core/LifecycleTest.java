package dev.handoff.core;

import static dev.handoff.core.Fixtures.NOW;
import static dev.handoff.core.Fixtures.SCORE_THRESHOLD;
import static dev.handoff.core.Fixtures.accepted;
import static dev.handoff.core.Fixtures.activity;
import static dev.handoff.core.Fixtures.click;
import static dev.handoff.core.Fixtures.days;
import static dev.handoff.core.Fixtures.form;
import static dev.handoff.core.Fixtures.icpContact;
import static dev.handoff.core.Fixtures.lowFitContact;
import static dev.handoff.core.Fixtures.meeting;
import static dev.handoff.core.Fixtures.pricing;
import static dev.handoff.core.Fixtures.session;
import static dev.handoff.core.Fixtures.times;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** PRODUCT §1: the ladder, entry stages, forward-only automatic moves, forced recycling, and recorded moves. */
class LifecycleTest {

    private static final String VERSION = "score-threshold/2026-11-22";

    private static Contact at(Stage stage, Contact c) {
        return c.withMove(new StageMove(null, stage, NOW.minus(days(30)), Reason.IMPORT, StageMove.IMPORT_ACTOR, "v0", null));
    }

    private static List<StageMove> automatic(Contact c) {
        return Lifecycle.automaticMoves(c, SCORE_THRESHOLD.evaluate(c, NOW), NOW);
    }

    @Test
    void the_ladder_runs_subscriber_to_evangelist_with_other_outside_it() {
        assertThat(Stage.values()).extracting(Stage::id).containsExactly("subscriber", "lead", "marketingqualifiedlead",
                "salesqualifiedlead", "opportunity", "customer", "evangelist", "other");
        for (int i = 0; i < 6; i++) {
            assertThat(Stage.values()[i + 1].isAfter(Stage.values()[i])).isTrue();
            assertThat(Stage.values()[i].isBefore(Stage.values()[i + 1])).isTrue();
        }
        for (Stage s : Stage.values()) {
            assertThat(Stage.OTHER.isAfter(s)).isFalse();
            assertThat(s.isAfter(Stage.OTHER)).isFalse();
        }
        assertThat(Stage.OTHER.onLadder()).isFalse();
        assertThat(Stage.fromId("marketingqualifiedlead")).contains(Stage.MARKETING_QUALIFIED_LEAD);
        assertThat(Stage.fromId("MQL")).isEmpty();
    }

    @Test
    void a_contact_first_seen_through_a_newsletter_form_starts_as_a_subscriber() {
        List<StageMove> moves = automatic(lowFitContact().withSignal(form(FormType.NEWSLETTER, Duration.ZERO)));
        assertThat(moves).containsExactly(new StageMove(null, Stage.SUBSCRIBER, NOW, Reason.FORM_SUBMISSION, "policy", VERSION, null));
    }

    @ParameterizedTest(name = "a {0} form starts a lead")
    @EnumSource(value = FormType.class, names = "NEWSLETTER", mode = EnumSource.Mode.EXCLUDE)
    void a_contact_first_seen_through_any_other_form_starts_as_a_lead(FormType type) {
        List<StageMove> moves = automatic(lowFitContact().withSignal(form(type, Duration.ZERO)));
        assertThat(moves).containsExactly(new StageMove(null, Stage.LEAD, NOW, Reason.FORM_SUBMISSION, "policy", VERSION, null));
    }

    @Test
    void a_contact_first_seen_through_a_sales_action_starts_as_a_lead() {
        for (Signal s : List.of(meeting("sam", days(1)), activity("call", days(1)), accepted("sam", days(1)))) {
            assertThat(Lifecycle.entryStage(s)).isEqualTo(Stage.LEAD);
            List<StageMove> moves = automatic(lowFitContact().withSignal(s));
            assertThat(moves).containsExactly(new StageMove(null, Stage.LEAD, NOW, Reason.SALES_ACTION, "policy", VERSION, null));
        }
    }

    @Test
    void a_contact_first_seen_through_a_tracking_event_starts_as_a_subscriber() {
        // PRODUCT is silent (a known email clicking a campaign link); the code makes a subscriber.
        assertThat(automatic(lowFitContact().withSignal(click(days(1)))))
                .containsExactly(new StageMove(null, Stage.SUBSCRIBER, NOW, Reason.TRACKING_EVENT, "policy", VERSION, null));
    }

    @Test
    void a_contact_first_seen_through_a_sales_form_starts_as_a_lead_even_with_earlier_anonymous_visits_linked() {
        // The visitor browsed anonymously for weeks, then posted contact-sales with that visitorId: the contact is
        // first seen through that form, and its earlier anonymous page views now count for it (PRODUCT §1, §2.2).
        Contact c = lowFitContact().withVisitorId("v-123")
                .withSignals(times(2, () -> Fixtures.view("/blog/a", days(20))))
                .withSignal(session(days(20)))
                .withSignal(form(FormType.CONTACT_SALES, Duration.ZERO));
        assertThat(automatic(c)).extracting(StageMove::to, StageMove::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Stage.LEAD, Reason.FORM_SUBMISSION));
    }

    @Test
    void a_contact_first_seen_through_a_newsletter_form_with_earlier_anonymous_visits_starts_as_a_subscriber() {
        Contact c = lowFitContact().withSignal(session(days(20))).withSignal(form(FormType.NEWSLETTER, Duration.ZERO));
        assertThat(automatic(c)).extracting(StageMove::to).containsExactly(Stage.SUBSCRIBER);
    }

    @Test
    void the_earliest_form_decides_the_entry_stage_when_several_arrive_together() {
        Contact c = lowFitContact().withSignal(form(FormType.CONTENT, days(1))).withSignal(form(FormType.NEWSLETTER, days(2)));
        assertThat(automatic(c)).extracting(StageMove::to).containsExactly(Stage.SUBSCRIBER);
    }

    @Test
    void a_contact_with_no_signal_and_no_stage_gets_no_automatic_move() {
        assertThat(automatic(icpContact())).isEmpty();
    }

    @Test
    void an_mql_contact_seen_for_the_first_time_enters_and_moves_up_in_the_same_evaluation() {
        List<StageMove> moves = automatic(icpContact().withSignal(form(FormType.NEWSLETTER, Duration.ZERO)));
        assertThat(moves).containsExactly(
                new StageMove(null, Stage.SUBSCRIBER, NOW, Reason.FORM_SUBMISSION, "policy", VERSION, null),
                new StageMove(Stage.SUBSCRIBER, Stage.MARKETING_QUALIFIED_LEAD, NOW, Reason.FIT_THRESHOLD, "policy", VERSION,
                        "fit 50 reached 40 with no knockout"));
    }

    @ParameterizedTest(name = "a contact in {0} is never moved back to mql automatically")
    @EnumSource(value = Stage.class, names = {"MARKETING_QUALIFIED_LEAD", "SALES_QUALIFIED_LEAD", "OPPORTUNITY", "CUSTOMER", "EVANGELIST"})
    void automatic_moves_never_go_backward(Stage stage) {
        Contact c = at(stage, icpContact().withSignal(form(FormType.CONTENT, days(1))));
        assertThat(SCORE_THRESHOLD.evaluate(c, NOW).qualification().stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
        assertThat(automatic(c)).isEmpty();
    }

    @Test
    void a_contact_that_no_longer_qualifies_keeps_its_stage() {
        Contact c = at(Stage.SALES_QUALIFIED_LEAD, lowFitContact());
        assertThat(SCORE_THRESHOLD.evaluate(c, NOW).qualified()).isEmpty();
        assertThat(automatic(c)).isEmpty();
    }

    @Test
    void automatic_moves_never_take_a_contact_out_of_other() {
        Contact c = at(Stage.OTHER, icpContact().withSignal(form(FormType.DEMO_REQUEST, Duration.ZERO)));
        assertThat(SCORE_THRESHOLD.evaluate(c, NOW).qualification().stage()).isEqualTo(Stage.SALES_QUALIFIED_LEAD);
        assertThat(automatic(c)).isEmpty();
    }

    @Test
    void an_automatic_move_records_from_to_at_reason_actor_policy_version_and_the_rule_detail() {
        Contact c = at(Stage.LEAD, icpContact().withSignal(form(FormType.DEMO_REQUEST, days(1))));
        assertThat(automatic(c)).containsExactly(new StageMove(Stage.LEAD, Stage.SALES_QUALIFIED_LEAD, NOW, Reason.FAST_TRACK,
                "policy", VERSION, "demo-request form from an ICP fit contact (fit 50)"));
    }

    @Test
    void a_person_may_move_a_contact_forward_without_force() {
        Contact c = at(Stage.LEAD, lowFitContact());
        Lifecycle.PersonMove m = Lifecycle.personMove(c, Stage.OPPORTUNITY, false, Reason.MANUAL, "sam@corp", "call went well", NOW, VERSION);
        assertThat(m).isEqualTo(new Lifecycle.PersonMove.Moved(
                new StageMove(Stage.LEAD, Stage.OPPORTUNITY, NOW, Reason.MANUAL, "sam@corp", VERSION, "call went well")));
    }

    @Test
    void a_person_moving_a_contact_backward_without_force_is_refused() {
        Contact c = at(Stage.SALES_QUALIFIED_LEAD, lowFitContact());
        Lifecycle.PersonMove m = Lifecycle.personMove(c, Stage.LEAD, false, Reason.MANUAL, "sam", "recycle", NOW, VERSION);
        assertThat(m).isEqualTo(new Lifecycle.PersonMove.Refused("moving salesqualifiedlead back to lead needs force: true and a reason"));
    }

    @Test
    void a_person_may_recycle_a_contact_backward_with_force_and_the_move_is_recorded() {
        Contact c = at(Stage.SALES_QUALIFIED_LEAD, lowFitContact());
        Lifecycle.PersonMove m = Lifecycle.personMove(c, Stage.LEAD, true, Reason.MANUAL, "sam", "no budget this year", NOW, VERSION);
        StageMove expected = new StageMove(Stage.SALES_QUALIFIED_LEAD, Stage.LEAD, NOW, Reason.MANUAL, "sam", VERSION, "no budget this year");
        assertThat(m).isEqualTo(new Lifecycle.PersonMove.Moved(expected));
        assertThat(expected.isBackward()).isTrue();
        Contact after = c.withMove(expected);
        assertThat(after.stage()).isEqualTo(Stage.LEAD);
        assertThat(after.history()).hasSize(2).last().isEqualTo(expected);
        // recycled, the contact can be qualified again automatically
        Contact requalified = after.withProperties(Map.of("jobtitle", "VP Sales", "numberofemployees", "300"));
        assertThat(automatic(requalified)).extracting(StageMove::to).containsExactly(Stage.MARKETING_QUALIFIED_LEAD);
    }

    @Test
    void a_person_moving_a_contact_to_its_current_stage_changes_nothing() {
        Contact c = at(Stage.LEAD, lowFitContact());
        assertThat(Lifecycle.personMove(c, Stage.LEAD, true, Reason.MANUAL, "sam", null, NOW, VERSION))
                .isEqualTo(new Lifecycle.PersonMove.Unchanged(Stage.LEAD));
    }

    @Test
    void moves_into_and_out_of_other_need_no_force() {
        Contact c = at(Stage.CUSTOMER, lowFitContact());
        assertThat(Lifecycle.personMove(c, Stage.OTHER, false, Reason.MANUAL, "sam", null, NOW, VERSION))
                .isInstanceOf(Lifecycle.PersonMove.Moved.class);
        Contact other = at(Stage.OTHER, lowFitContact());
        assertThat(Lifecycle.personMove(other, Stage.SUBSCRIBER, false, Reason.MANUAL, "sam", null, NOW, VERSION))
                .isInstanceOf(Lifecycle.PersonMove.Moved.class);
    }

    @Test
    void an_import_creating_a_contact_records_actor_import() {
        Lifecycle.PersonMove m = Lifecycle.personMove(lowFitContact(), Stage.CUSTOMER, false, Reason.IMPORT,
                StageMove.IMPORT_ACTOR, null, NOW, VERSION);
        assertThat(m).isEqualTo(new Lifecycle.PersonMove.Moved(
                new StageMove(null, Stage.CUSTOMER, NOW, Reason.IMPORT, "import", VERSION, null)));
    }

    @Test
    void a_move_needs_a_target_a_time_a_reason_and_an_actor() {
        assertThatThrownBy(() -> new StageMove(null, null, NOW, Reason.MANUAL, "sam", VERSION, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new StageMove(null, Stage.LEAD, null, Reason.MANUAL, "sam", VERSION, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new StageMove(null, Stage.LEAD, NOW, null, "sam", VERSION, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new StageMove(null, Stage.LEAD, NOW, Reason.MANUAL, null, VERSION, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void became_at_is_known_for_every_stage_reached_including_skipped_ones() {
        Instant t1 = NOW.minus(days(20));
        Instant t2 = NOW.minus(days(5));
        Instant t3 = NOW.minus(days(1));
        Contact c = lowFitContact()
                .withMove(new StageMove(null, Stage.SUBSCRIBER, t1, Reason.FORM_SUBMISSION, "policy", VERSION, null))
                .withMove(new StageMove(Stage.SUBSCRIBER, Stage.SALES_QUALIFIED_LEAD, t2, Reason.FAST_TRACK, "policy", VERSION, null))
                .withMove(new StageMove(Stage.SALES_QUALIFIED_LEAD, Stage.CUSTOMER, t3, Reason.MANUAL, "sam", VERSION, null));
        assertThat(c.becameAtByStage()).containsExactly(
                Map.entry(Stage.SUBSCRIBER, t1), Map.entry(Stage.LEAD, t2), Map.entry(Stage.MARKETING_QUALIFIED_LEAD, t2),
                Map.entry(Stage.SALES_QUALIFIED_LEAD, t2), Map.entry(Stage.OPPORTUNITY, t3), Map.entry(Stage.CUSTOMER, t3));
        assertThat(c.becameAt(Stage.EVANGELIST)).isEmpty();
        assertThat(c.becameAt(Stage.OTHER)).isEmpty();
    }

    @Test
    void became_at_keeps_the_first_time_after_a_recycle() {
        Instant t1 = NOW.minus(days(20));
        Instant t2 = NOW.minus(days(10));
        Instant t3 = NOW.minus(days(2));
        Contact c = lowFitContact()
                .withMove(new StageMove(null, Stage.MARKETING_QUALIFIED_LEAD, t1, Reason.IMPORT, "import", VERSION, null))
                .withMove(new StageMove(Stage.MARKETING_QUALIFIED_LEAD, Stage.LEAD, t2, Reason.MANUAL, "sam", VERSION, "recycle"))
                .withMove(new StageMove(Stage.LEAD, Stage.MARKETING_QUALIFIED_LEAD, t3, Reason.FIT_THRESHOLD, "policy", VERSION, null));
        assertThat(c.becameAt(Stage.MARKETING_QUALIFIED_LEAD)).contains(t1);
        assertThat(c.becameAt(Stage.LEAD)).contains(t2);
        assertThat(c.stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
    }

    @Test
    void a_contact_keys_on_its_lower_cased_email_and_dedupes_signals_by_id() {
        Signal s = pricing(days(1));
        Contact c = Contact.of("  Ana@ACME.com ").withSignal(s).withSignal(s)
                .withSignal(new Signal.SessionStarted(s.id(), NOW));
        assertThat(c.email()).isEqualTo("ana@acme.com");
        assertThat(c.emailDomain()).isEqualTo("acme.com");
        assertThat(c.signals()).containsExactly(s);
        assertThatThrownBy(() -> Contact.of(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
