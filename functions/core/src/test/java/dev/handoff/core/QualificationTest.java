package dev.handoff.core;

import static dev.handoff.core.Fixtures.NOW;
import static dev.handoff.core.Fixtures.SALES_ACCEPTED;
import static dev.handoff.core.Fixtures.SCORE_THRESHOLD;
import static dev.handoff.core.Fixtures.SDR_MEETING_BOOKED;
import static dev.handoff.core.Fixtures.accepted;
import static dev.handoff.core.Fixtures.activity;
import static dev.handoff.core.Fixtures.click;
import static dev.handoff.core.Fixtures.contact;
import static dev.handoff.core.Fixtures.days;
import static dev.handoff.core.Fixtures.download;
import static dev.handoff.core.Fixtures.form;
import static dev.handoff.core.Fixtures.icpContact;
import static dev.handoff.core.Fixtures.lowFitContact;
import static dev.handoff.core.Fixtures.meeting;
import static dev.handoff.core.Fixtures.pricing;
import static dev.handoff.core.Fixtures.session;
import static dev.handoff.core.Fixtures.times;
import static dev.handoff.core.Fixtures.view;
import static dev.handoff.core.Fixtures.webinar;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.policy.Policy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** PRODUCT §4-5: the MQL rule, the fast tracks, the three SQL modes, and "several stages at once". */
class QualificationTest {

    private static final List<Policy> PRESETS = List.of(SCORE_THRESHOLD, SALES_ACCEPTED, SDR_MEETING_BOOKED);

    /** Fit exactly 40: senior title 25 + 50-199 employees 15. */
    private static Contact fit40() {
        return contact("lee@example.org", "jobtitle", "Director of Operations", "numberofemployees", "120");
    }

    /** Fit 35: senior title 25 + target industry 10. */
    private static Contact fit35() {
        return contact("lee@example.org", "jobtitle", "Director of Operations", "industry", "software");
    }

    /** Engagement 59: pricing 30 + datasheet 15 + three clicks 9 + five sessions 5. */
    private static List<Signal> engagement59() {
        List<Signal> s = new ArrayList<>(times(3, () -> pricing(days(20))));
        s.add(download("datasheet", false, days(30)));
        s.addAll(times(3, () -> click(days(5))));
        s.addAll(times(5, () -> session(days(2))));
        return s;
    }

    private static Qualification qualification(Policy p, Contact c) {
        return p.evaluate(c, NOW).qualification();
    }

    @Nested
    class Mql {
        @Test
        void a_contact_with_fit_40_and_no_knockout_is_an_mql() {
            for (Policy p : PRESETS) {
                Qualification q = qualification(p, fit40());
                assertThat(q.stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
                assertThat(q.reason()).isEqualTo(Reason.FIT_THRESHOLD);
                assertThat(q.rule()).isEqualTo("mql.min-fit");
                assertThat(q.detail()).isEqualTo("fit 40 reached 40 with no knockout");
            }
        }

        @Test
        void a_contact_with_fit_35_is_not_an_mql_whatever_its_engagement() {
            Contact c = fit35().withSignals(times(3, () -> pricing(days(1)))).withSignals(times(2, () -> webinar(days(1))))
                    .withSignals(times(2, () -> download("datasheet", true, days(1))));
            Decision d = SCORE_THRESHOLD.evaluate(c, NOW);
            assertThat(d.engagement()).isEqualTo(80);
            assertThat(d.qualified()).isEmpty();
        }

        @Test
        void engagement_is_not_needed_for_mql() {
            assertThat(SCORE_THRESHOLD.evaluate(fit40(), NOW).engagement()).isZero();
            assertThat(qualification(SCORE_THRESHOLD, fit40()).stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
        }
    }

    @Nested
    class HighIntentFormFastTrack {
        @ParameterizedTest(name = "a {0} form from a fit-40 contact fast-tracks to SQL in every preset")
        @EnumSource(value = FormType.class, names = {"CONTACT_SALES", "DEMO_REQUEST", "QUOTE_REQUEST"})
        void a_high_intent_form_from_an_icp_fit_contact_is_fast_tracked_to_sql(FormType type) {
            for (Policy p : PRESETS) {
                Qualification q = qualification(p, fit40().withSignal(form(type, Duration.ofMinutes(1))));
                assertThat(q.stage()).isEqualTo(Stage.SALES_QUALIFIED_LEAD);
                assertThat(q.reason()).isEqualTo(Reason.FAST_TRACK);
                assertThat(q.rule()).isEqualTo("fast-track.high-intent-form");
                assertThat(q.detail()).isEqualTo(type.id() + " form from an ICP fit contact (fit 40)");
            }
        }

        @Test
        void a_demo_request_from_an_icp_fit_contact_is_fast_tracked_to_sql() {
            Decision d = SCORE_THRESHOLD.evaluate(icpContact().withSignal(form(FormType.DEMO_REQUEST, Duration.ZERO)), NOW);
            assertThat(d.fit()).isEqualTo(50);
            assertThat(d.engagement()).isEqualTo(5);
            assertThat(d.qualification().stage()).isEqualTo(Stage.SALES_QUALIFIED_LEAD);
            assertThat(d.qualification().reason().code()).isEqualTo("fast-track");
        }

        @Test
        void a_demo_request_from_a_fit_35_contact_is_not_fast_tracked() {
            assertThat(qualification(SCORE_THRESHOLD, fit35().withSignal(form(FormType.DEMO_REQUEST, Duration.ZERO)))).isNull();
        }

        @ParameterizedTest(name = "a {0} form is not high intent")
        @EnumSource(value = FormType.class, names = {"NEWSLETTER", "CONTENT", "EVENT_REGISTRATION"})
        void other_forms_from_an_icp_fit_contact_only_make_an_mql(FormType type) {
            Qualification q = qualification(SCORE_THRESHOLD, fit40().withSignal(form(type, Duration.ZERO)));
            assertThat(q.stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
        }

        @Test
        void a_high_intent_form_outside_the_90_day_window_no_longer_fast_tracks() {
            // PRODUCT does not say; the code counts a high-intent form only while it is within the engagement window.
            Qualification q = qualification(SCORE_THRESHOLD, fit40().withSignal(form(FormType.DEMO_REQUEST, days(91))));
            assertThat(q.stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
        }

        @Test
        void a_free_mail_address_can_drop_a_contact_below_the_fast_track() {
            Contact c = contact("lee@gmail.com", "jobtitle", "Director of Operations", "numberofemployees", "120")
                    .withSignal(form(FormType.CONTACT_SALES, Duration.ZERO));
            Decision d = SCORE_THRESHOLD.evaluate(c, NOW);
            assertThat(d.fit()).isEqualTo(20);
            assertThat(d.qualified()).isEmpty();
        }
    }

    @Nested
    class TargetAccountFastTrack {
        /** A target-account contact with no other fit: fit 20, far below MQL. */
        private Contact targetAccount() {
            return contact("kai@globex.com", "jobtitle", "Software Engineer");
        }

        @Test
        void a_target_account_with_3_pricing_docs_or_demo_views_within_7_days_is_fast_tracked_to_sql() {
            Contact c = targetAccount().withSignals(List.of(
                    pricing(days(1)), view("/docs/api", days(3)), view("/demo", days(6))));
            for (Policy p : PRESETS) {
                Decision d = p.evaluate(c, NOW);
                assertThat(d.fit()).isEqualTo(20);
                assertThat(d.qualification().stage()).isEqualTo(Stage.SALES_QUALIFIED_LEAD);
                assertThat(d.qualification().reason()).isEqualTo(Reason.FAST_TRACK);
                assertThat(d.qualification().rule()).isEqualTo("fast-track.target-account-page-views");
                assertThat(d.qualification().detail()).isEqualTo("target account with 3 demo/docs/pricing page views in 7 days");
            }
        }

        @Test
        void three_such_views_8_days_ago_do_not_fast_track() {
            Contact c = targetAccount().withSignals(times(3, () -> pricing(days(8))));
            Decision d = SCORE_THRESHOLD.evaluate(c, NOW);
            assertThat(d.engagement()).isEqualTo(30);
            assertThat(d.qualified()).isEmpty();
        }

        @Test
        void a_view_7_days_and_1_second_old_is_outside_the_7_days() {
            List<Signal> s = new ArrayList<>(times(2, () -> pricing(days(1))));
            s.add(pricing(days(7).plusSeconds(1)));
            assertThat(qualification(SCORE_THRESHOLD, targetAccount().withSignals(s))).isNull();
            assertThat(qualification(SCORE_THRESHOLD, targetAccount().withSignals(s).withSignal(pricing(days(7).minusSeconds(1)))).reason())
                    .isEqualTo(Reason.FAST_TRACK);
        }

        @Test
        void two_views_within_7_days_are_not_enough() {
            Contact c = targetAccount().withSignals(times(2, () -> pricing(days(1)))).withSignal(view("/blog/why", days(1)));
            assertThat(qualification(SCORE_THRESHOLD, c)).isNull();
        }

        @Test
        void the_same_views_from_a_domain_that_is_not_a_target_account_do_not_fast_track() {
            Contact c = contact("kai@example.org", "jobtitle", "Software Engineer").withSignals(times(5, () -> pricing(days(1))));
            assertThat(qualification(SCORE_THRESHOLD, c)).isNull();
        }
    }

    @Nested
    class ScoreThresholdPreset {
        @Test
        void an_mql_with_engagement_59_stays_an_mql() {
            Decision d = SCORE_THRESHOLD.evaluate(icpContact().withSignals(engagement59()), NOW);
            assertThat(d.engagement()).isEqualTo(59);
            assertThat(d.qualification().stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
        }

        @Test
        void an_mql_whose_engagement_reaches_60_becomes_an_sql() {
            Decision d = SCORE_THRESHOLD.evaluate(icpContact().withSignals(engagement59()).withSignal(session(days(1))), NOW);
            assertThat(d.engagement()).isEqualTo(60);
            Qualification q = d.qualification();
            assertThat(q.stage()).isEqualTo(Stage.SALES_QUALIFIED_LEAD);
            assertThat(q.reason()).isEqualTo(Reason.SCORE_THRESHOLD);
            assertThat(q.rule()).isEqualTo("sql.score-threshold");
            assertThat(q.detail()).isEqualTo("engagement 60 reached 60 with fit 50");
        }

        @Test
        void the_score_path_walks_lead_to_mql_to_sql_as_engagement_crosses_60() {
            List<StageMove> log = new ArrayList<>();
            Contact c = apply(icpContact().withSignal(form(FormType.CONTENT, days(30))), NOW.minus(days(29)), log);
            assertThat(c.stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
            // engagement59() without its five sessions (54), plus the content form's 5: 59
            List<Signal> more = engagement59().subList(0, 7);
            c = apply(c.withSignals(more), NOW, log);
            assertThat(SCORE_THRESHOLD.evaluate(c, NOW).engagement()).isEqualTo(59);
            assertThat(c.stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
            c = apply(c.withSignal(session(Duration.ZERO)), NOW, log);
            assertThat(SCORE_THRESHOLD.evaluate(c, NOW).engagement()).isEqualTo(60);
            assertThat(c.stage()).isEqualTo(Stage.SALES_QUALIFIED_LEAD);
            assertThat(log).extracting(StageMove::from, StageMove::to, StageMove::reason).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(null, Stage.LEAD, Reason.FORM_SUBMISSION),
                    org.assertj.core.groups.Tuple.tuple(Stage.LEAD, Stage.MARKETING_QUALIFIED_LEAD, Reason.FIT_THRESHOLD),
                    org.assertj.core.groups.Tuple.tuple(Stage.MARKETING_QUALIFIED_LEAD, Stage.SALES_QUALIFIED_LEAD, Reason.SCORE_THRESHOLD));
        }

        private Contact apply(Contact c, java.time.Instant at, List<StageMove> log) {
            for (StageMove m : Lifecycle.automaticMoves(c, SCORE_THRESHOLD.evaluate(c, at), at)) {
                log.add(m);
                c = c.withMove(m);
            }
            return c;
        }

        @Test
        void engagement_60_without_mql_fit_is_not_an_sql() {
            Decision d = SCORE_THRESHOLD.evaluate(fit35().withSignals(engagement59()).withSignal(session(days(1))), NOW);
            assertThat(d.engagement()).isEqualTo(60);
            assertThat(d.qualified()).isEmpty();
        }

        @Test
        void in_the_other_presets_engagement_alone_never_makes_an_sql() {
            Contact c = icpContact().withSignals(engagement59()).withSignals(times(2, () -> webinar(days(1))));
            assertThat(SCORE_THRESHOLD.evaluate(c, NOW).engagement()).isEqualTo(79);
            assertThat(qualification(SALES_ACCEPTED, c).stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
            assertThat(qualification(SDR_MEETING_BOOKED, c).stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
        }
    }

    @Nested
    class SalesAcceptedPreset {
        @Test
        void a_logged_activity_and_sales_acceptance_make_an_sql() {
            Contact c = icpContact().withSignals(List.of(activity("call", days(3)), accepted("sam", days(1))));
            Qualification q = qualification(SALES_ACCEPTED, c);
            assertThat(q.stage()).isEqualTo(Stage.SALES_QUALIFIED_LEAD);
            assertThat(q.reason()).isEqualTo(Reason.SALES_ACCEPTED);
            assertThat(q.rule()).isEqualTo("sql.sales-accepted");
            assertThat(q.owner()).isEqualTo("sam");
            assertThat(q.detail()).isEqualTo("sales logged a call and accepted the lead");
        }

        @Test
        void a_logged_activity_alone_is_not_enough() {
            assertThat(qualification(SALES_ACCEPTED, icpContact().withSignal(activity("meeting", days(1)))).stage())
                    .isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
            assertThat(qualification(SALES_ACCEPTED, lowFitContact().withSignal(activity("meeting", days(1))))).isNull();
        }

        @Test
        void sales_acceptance_alone_is_not_enough() {
            assertThat(qualification(SALES_ACCEPTED, icpContact().withSignal(accepted("sam", days(1)))).stage())
                    .isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
            assertThat(qualification(SALES_ACCEPTED, lowFitContact().withSignal(accepted("sam", days(1))))).isNull();
        }

        @Test
        void activity_and_acceptance_make_an_sql_even_below_mql_fit_and_long_ago() {
            Contact c = lowFitContact().withSignals(List.of(activity("email", days(200)), accepted("ria", days(150))));
            Qualification q = qualification(SALES_ACCEPTED, c);
            assertThat(q.stage()).isEqualTo(Stage.SALES_QUALIFIED_LEAD);
            assertThat(q.owner()).isEqualTo("ria");
        }

        @Test
        void the_latest_acceptance_names_the_owner() {
            Contact c = icpContact().withSignals(List.of(activity("call", days(9)), accepted("old-owner", days(8)), accepted("new-owner", days(2))));
            assertThat(qualification(SALES_ACCEPTED, c).owner()).isEqualTo("new-owner");
        }

        @Test
        void activity_and_acceptance_do_nothing_in_the_score_threshold_preset() {
            Contact c = icpContact().withSignals(List.of(activity("call", days(3)), accepted("sam", days(1))));
            assertThat(qualification(SCORE_THRESHOLD, c).stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
        }
    }

    @Nested
    class SdrMeetingBookedPreset {
        @Test
        void a_booked_meeting_makes_an_sql_with_its_owner() {
            Qualification q = qualification(SDR_MEETING_BOOKED, icpContact().withSignal(meeting("sasha", days(1))));
            assertThat(q.stage()).isEqualTo(Stage.SALES_QUALIFIED_LEAD);
            assertThat(q.reason()).isEqualTo(Reason.MEETING_BOOKED);
            assertThat(q.rule()).isEqualTo("sql.sdr-meeting-booked");
            assertThat(q.owner()).isEqualTo("sasha");
            assertThat(q.reason().code()).isEqualTo("meeting-booked");
        }

        @Test
        void a_booked_meeting_makes_an_sql_below_mql_fit_and_outside_the_window() {
            assertThat(qualification(SDR_MEETING_BOOKED, lowFitContact().withSignal(meeting("sasha", days(120)))).stage())
                    .isEqualTo(Stage.SALES_QUALIFIED_LEAD);
        }

        @Test
        void without_a_meeting_an_mql_stays_an_mql() {
            Contact c = icpContact().withSignals(List.of(activity("call", days(3)), accepted("sam", days(1))));
            assertThat(qualification(SDR_MEETING_BOOKED, c).stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
        }

        @Test
        void a_booked_meeting_does_nothing_in_the_score_threshold_and_sales_accepted_presets() {
            Contact c = icpContact().withSignal(meeting("sasha", days(1)));
            assertThat(qualification(SCORE_THRESHOLD, c).stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
            assertThat(qualification(SALES_ACCEPTED, c).stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
        }
    }

    @Nested
    class SeveralStagesAtOnce {
        @Test
        void a_new_contact_qualifying_for_mql_and_sql_at_once_goes_straight_to_sql() {
            Contact c = icpContact().withSignal(form(FormType.DEMO_REQUEST, Duration.ZERO));
            Decision d = SCORE_THRESHOLD.evaluate(c, NOW);
            List<StageMove> moves = Lifecycle.automaticMoves(c, d, NOW);
            assertThat(moves).extracting(StageMove::from, StageMove::to).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(null, Stage.LEAD),
                    org.assertj.core.groups.Tuple.tuple(Stage.LEAD, Stage.SALES_QUALIFIED_LEAD));
            assertThat(moves.get(1).reason()).isEqualTo(Reason.FAST_TRACK);
        }

        @Test
        void a_subscriber_qualifying_for_mql_and_sql_by_score_moves_in_one_step_to_sql() {
            Contact c = icpContact().withSignals(engagement59()).withSignal(session(days(1)))
                    .withMove(new StageMove(null, Stage.SUBSCRIBER, NOW.minus(days(60)), Reason.FORM_SUBMISSION, "policy", "v0", null));
            List<StageMove> moves = Lifecycle.automaticMoves(c, SCORE_THRESHOLD.evaluate(c, NOW), NOW);
            assertThat(moves).hasSize(1);
            assertThat(moves.get(0).from()).isEqualTo(Stage.SUBSCRIBER);
            assertThat(moves.get(0).to()).isEqualTo(Stage.SALES_QUALIFIED_LEAD);
            assertThat(moves.get(0).reason()).isEqualTo(Reason.SCORE_THRESHOLD);
            Contact after = c.withMove(moves.get(0));
            assertThat(after.becameAt(Stage.MARKETING_QUALIFIED_LEAD)).contains(NOW);
            assertThat(after.becameAt(Stage.LEAD)).contains(NOW);
        }

        @Test
        void when_a_fast_track_and_the_score_both_qualify_the_fast_track_is_named() {
            Contact c = icpContact().withSignals(engagement59()).withSignal(form(FormType.QUOTE_REQUEST, days(1)));
            Decision d = SCORE_THRESHOLD.evaluate(c, NOW);
            assertThat(d.engagement()).isEqualTo(64);
            assertThat(d.qualification().reason()).isEqualTo(Reason.FAST_TRACK);
            assertThat(d.qualification().rule()).isEqualTo("fast-track.high-intent-form");
        }

        @Test
        void when_both_fast_tracks_qualify_the_high_intent_form_is_named() {
            Contact c = contact("ana@acme.com", "jobtitle", "CTO").withSignals(times(3, () -> pricing(days(1))))
                    .withSignal(form(FormType.CONTACT_SALES, Duration.ZERO));
            assertThat(qualification(SCORE_THRESHOLD, c).rule()).isEqualTo("fast-track.high-intent-form");
        }

        @Test
        void when_mql_and_a_booked_meeting_both_qualify_the_meeting_makes_it_an_sql() {
            assertThat(qualification(SDR_MEETING_BOOKED, icpContact().withSignal(meeting("sasha", days(1)))).stage())
                    .isEqualTo(Stage.SALES_QUALIFIED_LEAD);
        }
    }

    @Test
    void every_decision_carries_its_policy_version() {
        assertThat(SCORE_THRESHOLD.evaluate(icpContact(), NOW).policyVersion()).isEqualTo("score-threshold/2026-11-22");
        assertThat(SALES_ACCEPTED.evaluate(icpContact(), NOW).policyVersion()).isEqualTo("sales-accepted/2026-11-22");
        assertThat(SDR_MEETING_BOOKED.evaluate(icpContact(), NOW).policyVersion()).isEqualTo("sdr-meeting-booked/2026-11-22");
    }

    @Test
    void a_contact_with_nothing_known_qualifies_for_nothing() {
        Decision d = SCORE_THRESHOLD.evaluate(Contact.of("x@example.org"), NOW);
        assertThat(d.fit()).isZero();
        assertThat(d.engagement()).isZero();
        assertThat(d.qualified()).isEmpty();
        assertThat(d.signals()).isEmpty();
    }
}
