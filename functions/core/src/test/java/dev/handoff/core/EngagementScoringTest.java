package dev.handoff.core;

import static dev.handoff.core.Fixtures.NOW;
import static dev.handoff.core.Fixtures.SCORE_THRESHOLD;
import static dev.handoff.core.Fixtures.click;
import static dev.handoff.core.Fixtures.days;
import static dev.handoff.core.Fixtures.download;
import static dev.handoff.core.Fixtures.form;
import static dev.handoff.core.Fixtures.lowFitContact;
import static dev.handoff.core.Fixtures.open;
import static dev.handoff.core.Fixtures.pointsOf;
import static dev.handoff.core.Fixtures.pricing;
import static dev.handoff.core.Fixtures.session;
import static dev.handoff.core.Fixtures.sum;
import static dev.handoff.core.Fixtures.times;
import static dev.handoff.core.Fixtures.view;
import static dev.handoff.core.Fixtures.webinar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PRODUCT §5, engagement score: points per signal, per-rule caps, "3 times or more", the 90-day window. */
class EngagementScoringTest {

    private static Decision engage(List<? extends Signal> signals) {
        return SCORE_THRESHOLD.evaluate(lowFitContact().withSignals(signals), NOW);
    }

    private static int engagementFor(int n, Supplier<? extends Signal> make) {
        return engage(times(n, make)).engagement();
    }

    @ParameterizedTest(name = "{0} pricing page views score {1}")
    @CsvSource({"1, 10", "2, 20", "3, 30", "4, 30", "10, 30"})
    void pricing_page_views_score_10_each_capped_at_30(int views, int points) {
        assertThat(engagementFor(views, () -> pricing(days(20)))).isEqualTo(points);
    }

    @Test
    void any_path_under_pricing_is_a_pricing_page_view() {
        assertThat(engage(List.of(view("/pricing/teams", days(20)), view("/pricing", days(21)))).engagement()).isEqualTo(20);
        assertThat(engage(List.of(view("/blog/pricing", days(20)), view("/", days(20)), view("/about", days(20)))).engagement()).isZero();
    }

    @Test
    void a_page_view_keeps_only_the_url_path() {
        assertThat(Signal.PageViewed.pathOf("https://handoff.dev/pricing/teams?utm_source=x&email=a@b.c#top")).isEqualTo("/pricing/teams");
        assertThat(Signal.PageViewed.pathOf("/docs/start?x=1")).isEqualTo("/docs/start");
        assertThat(Signal.PageViewed.pathOf("https://handoff.dev")).isEqualTo("/");
    }

    @ParameterizedTest(name = "{0} docs and {1} demo views score {2}")
    @CsvSource({"1, 0, 5", "0, 1, 5", "1, 1, 10", "2, 1, 15", "3, 3, 15"})
    void docs_and_demo_page_views_score_5_each_capped_together_at_15(int docs, int demo, int points) {
        List<Signal> signals = new ArrayList<>(times(docs, () -> view("/docs/getting-started", days(30))));
        signals.addAll(times(demo, () -> view("/demo", days(30))));
        Decision d = engage(signals);
        assertThat(d.engagement()).isEqualTo(points);
        assertThat(d.engagementBreakdown()).extracting(Contribution::rule).containsExactly("docs-demo-page-views");
    }

    @ParameterizedTest(name = "{0} email clicks score {1}")
    @CsvSource({"1, 3", "4, 12", "5, 15", "6, 15", "50, 15"})
    void email_clicks_score_3_each_capped_at_15(int clicks, int points) {
        assertThat(engagementFor(clicks, () -> click(days(10)))).isEqualTo(points);
    }

    @Test
    void email_opens_score_nothing() {
        assertThat(engagementFor(20, () -> open(days(1)))).isZero();
    }

    @ParameterizedTest(name = "{0} sessions score {1}")
    @CsvSource({"1, 1", "9, 9", "10, 10", "11, 10", "100, 10"})
    void sessions_score_1_each_capped_at_10(int sessions, int points) {
        assertThat(engagementFor(sessions, () -> session(days(5)))).isEqualTo(points);
    }

    @ParameterizedTest(name = "{0} ungated {1} downloads score {2}")
    @CsvSource({"1, whitepaper, 5", "2, case-study, 10", "3, ebook, 15", "4, webinar-recording, 15", "1, '', 5", "2, datasheet, 30"})
    void content_downloads_score_5_each_capped_at_15_and_datasheets_15_each_capped_at_30(int n, String type, int points) {
        assertThat(engagementFor(n, () -> download(type, false, days(15)))).isEqualTo(points);
    }

    @ParameterizedTest(name = "{0} datasheet downloads score {1}")
    @CsvSource({"1, 15", "2, 30", "3, 30"})
    void datasheet_downloads_score_15_each_capped_at_30(int n, int points) {
        Decision d = engage(times(n, () -> download("Datasheet", false, days(15))));
        assertThat(d.engagement()).isEqualTo(points);
        assertThat(d.engagementBreakdown()).extracting(Contribution::rule).containsExactly("datasheet-downloads");
    }

    @Test
    void gated_content_downloaded_twice_earns_no_bonus() {
        Decision d = engage(times(2, () -> download("whitepaper", true, days(15))));
        assertThat(d.engagement()).isEqualTo(10);
        assertThat(pointsOf(d.engagementBreakdown(), "gated-content-3-times")).isZero();
    }

    @Test
    void gated_content_downloaded_3_times_earns_20_once_on_top_of_the_download_points() {
        Decision d = engage(List.of(download("whitepaper", true, days(15)), download("ebook", true, days(16)),
                download("datasheet", true, days(17))));
        assertThat(d.engagementBreakdown()).extracting(Contribution::rule, Contribution::points, Contribution::matched).containsExactly(
                tuple("content-downloads", 10, 2), tuple("datasheet-downloads", 15, 1), tuple("gated-content-3-times", 20, 3));
        assertThat(d.engagement()).isEqualTo(45);
    }

    @Test
    void gated_content_downloaded_many_times_still_earns_20_only_once() {
        Decision d = engage(times(7, () -> download("ebook", true, days(15))));
        assertThat(pointsOf(d.engagementBreakdown(), "gated-content-3-times")).isEqualTo(20);
        assertThat(d.engagement()).isEqualTo(15 + 20);
    }

    @Test
    void ungated_downloads_do_not_count_towards_the_gated_bonus() {
        List<Signal> signals = new ArrayList<>(times(2, () -> download("ebook", true, days(15))));
        signals.addAll(times(3, () -> download("ebook", false, days(15))));
        assertThat(pointsOf(engage(signals).engagementBreakdown(), "gated-content-3-times")).isZero();
    }

    @ParameterizedTest(name = "{0} webinars score {1}")
    @CsvSource({"1, 10", "2, 20", "3, 20"})
    void webinars_attended_score_10_each_capped_at_20(int n, int points) {
        assertThat(engagementFor(n, () -> webinar(days(40)))).isEqualTo(points);
    }

    @ParameterizedTest(name = "{0} forms score {1}")
    @CsvSource({"1, 5", "2, 10", "3, 15", "4, 15"})
    void form_submissions_of_any_type_score_5_each_capped_at_15(int n, int points) {
        FormType[] types = {FormType.NEWSLETTER, FormType.CONTENT, FormType.EVENT_REGISTRATION, FormType.CONTENT};
        List<Signal> forms = new ArrayList<>();
        for (int i = 0; i < n; i++) forms.add(form(types[i], days(50)));
        assertThat(engage(forms).engagement()).isEqualTo(points);
    }

    @Test
    void every_capped_rule_maxed_out_is_clamped_to_100_with_a_clamp_line() {
        List<Signal> s = new ArrayList<>();
        s.addAll(times(4, () -> pricing(days(10))));
        s.addAll(times(4, () -> view("/docs", days(10))));
        s.addAll(times(6, () -> click(days(10))));
        s.addAll(times(11, () -> session(days(10))));
        s.addAll(times(4, () -> download("ebook", true, days(10))));
        s.addAll(times(3, () -> download("datasheet", false, days(10))));
        s.addAll(times(3, () -> webinar(days(10))));
        s.addAll(times(4, () -> form(FormType.CONTENT, days(10))));
        Decision d = engage(s);
        // 30 + 15 + 15 + 10 + 15 + 30 + 20 + 20 + 15 = 170
        assertThat(d.engagementBreakdown()).extracting(Contribution::rule, Contribution::points).containsExactly(
                tuple("pricing-page-views", 30), tuple("docs-demo-page-views", 15), tuple("email-clicks", 15),
                tuple("sessions", 10), tuple("content-downloads", 15), tuple("datasheet-downloads", 30),
                tuple("gated-content-3-times", 20), tuple("webinars-attended", 20), tuple("form-submissions", 15),
                tuple(Contribution.CLAMP_RULE, -70));
        assertThat(d.engagement()).isEqualTo(100);
        assertThat(sum(d.engagementBreakdown())).isEqualTo(100);
    }

    @Test
    void an_engagement_line_shows_its_matches_points_each_cap_and_window() {
        Decision d = engage(times(5, () -> pricing(days(3))));
        assertThat(d.engagementBreakdown()).containsExactly(
                new Contribution("pricing-page-views", Contribution.Kind.ENGAGEMENT, 30, 5, 10, 30, null, 90));
        assertThat(d.engagementBreakdown().get(0).capped()).isTrue();
    }

    @Test
    void the_gated_content_line_shows_its_minimum_count() {
        Decision d = engage(times(3, () -> download("ebook", true, days(3))));
        assertThat(d.engagementBreakdown()).contains(
                new Contribution("gated-content-3-times", Contribution.Kind.ENGAGEMENT, 20, 3, 20, null, 3, 90));
    }

    @Test
    void an_uncapped_line_is_not_marked_capped() {
        Decision d = engage(times(2, () -> pricing(days(3))));
        assertThat(d.engagementBreakdown().get(0).capped()).isFalse();
    }

    @Test
    void a_signal_90_days_and_1_second_old_does_not_count() {
        Duration justOutside = days(90).plusSeconds(1);
        assertThat(engage(List.of(pricing(justOutside))).engagement()).isZero();
        assertThat(engage(List.of(webinar(justOutside), click(justOutside), session(justOutside),
                download("datasheet", true, justOutside), form(FormType.CONTENT, justOutside))).engagement()).isZero();
    }

    @Test
    void a_signal_just_inside_the_90_days_counts() {
        assertThat(engage(List.of(pricing(days(90).minusSeconds(1)))).engagement()).isEqualTo(10);
    }

    @Test
    void a_signal_exactly_90_days_old_still_counts() {
        // The window's start is inclusive (the code's reading of "within the last 90 days").
        assertThat(engage(List.of(pricing(days(90)))).engagement()).isEqualTo(10);
    }

    @Test
    void signals_age_out_of_the_window_as_time_passes() {
        Contact c = lowFitContact().withSignals(times(3, () -> pricing(days(80))));
        assertThat(SCORE_THRESHOLD.evaluate(c, NOW).engagement()).isEqualTo(30);
        assertThat(SCORE_THRESHOLD.evaluate(c, NOW.plus(days(10))).engagement()).isEqualTo(30);
        assertThat(SCORE_THRESHOLD.evaluate(c, NOW.plus(days(10)).plusSeconds(1)).engagement()).isZero();
    }

    @Test
    void gated_downloads_outside_the_window_do_not_count_towards_the_bonus() {
        List<Signal> s = new ArrayList<>(times(2, () -> download("ebook", true, days(10))));
        s.add(download("ebook", true, days(91)));
        assertThat(pointsOf(engage(s).engagementBreakdown(), "gated-content-3-times")).isZero();
    }

    @Test
    void sales_signals_score_no_engagement() {
        Decision d = engage(List.of(Fixtures.meeting("sam", days(1)), Fixtures.activity("call", days(1)), Fixtures.accepted("sam", days(1))));
        assertThat(d.engagement()).isZero();
        assertThat(d.engagementBreakdown()).isEmpty();
    }

    @Test
    void the_top_signals_are_the_best_lines_first() {
        List<Signal> s = new ArrayList<>(times(2, () -> pricing(days(1))));
        s.addAll(times(3, () -> click(days(1))));
        s.add(webinar(days(1)));
        s.add(download("datasheet", false, days(1)));
        Decision d = engage(s);
        // The low-fit contact's manager title (15) counts as much as the datasheet: fit lines come first on a tie.
        assertThat(d.topSignals(3)).extracting(Contribution::rule, Contribution::kind, Contribution::points)
                .containsExactly(tuple("pricing-page-views", Contribution.Kind.ENGAGEMENT, 20),
                        tuple("manager-title", Contribution.Kind.FIT, 15),
                        tuple("datasheet-downloads", Contribution.Kind.ENGAGEMENT, 15));
    }
}
