package dev.handoff.core;

import static dev.handoff.core.Fixtures.NOW;
import static dev.handoff.core.Fixtures.days;
import static dev.handoff.core.Fixtures.download;
import static dev.handoff.core.Fixtures.lowFitContact;
import static dev.handoff.core.Fixtures.pricing;
import static dev.handoff.core.Fixtures.session;
import static dev.handoff.core.Fixtures.withDecay;
import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.policy.Policy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Score decay, PRODUCT §5.1. */
class DecayTest {
    private static final Policy HALF_LIFE_30 = withDecay("score-threshold", 30);

    private static Decision engage(Policy policy, List<Signal> signals) {
        return policy.evaluate(lowFitContact().withSignals(signals), NOW);
    }

    private static Contribution line(Decision d, String rule) {
        return d.engagementBreakdown().stream().filter(c -> c.rule().equals(rule)).findFirst().orElseThrow();
    }

    @Test
    void pricing_views_today_30_and_60_days_ago_make_10_plus_5_plus_2_5_rounded_up_to_18() {
        Decision d = engage(HALF_LIFE_30, List.of(pricing(days(0)), pricing(days(30)), pricing(days(60))));
        assertThat(d.engagement()).isEqualTo(18);
        Contribution pricing = line(d, "pricing-page-views");
        assertThat(pricing.points()).isEqualTo(18);
        assertThat(pricing.matched()).isEqualTo(3);
        assertThat(pricing.halfLifeDays()).isEqualTo(30);
    }

    @Test
    void the_age_is_counted_in_whole_utc_days() {
        // NOW is noon: 30 days and 11 hours back is still the day 30 days back; 30 days and 13 hours is 31.
        assertThat(engage(HALF_LIFE_30, List.of(pricing(days(30).plusHours(11)))).engagement()).isEqualTo(5);
        assertThat(engage(HALF_LIFE_30, List.of(pricing(days(30).plusHours(13)))).engagement()).isEqualTo(5); // 4.89 → 5
        assertThat(engage(HALF_LIFE_30, List.of(pricing(days(90)))).engagement()).isEqualTo(1); // 1.25 → 1
    }

    @Test
    void the_cap_applies_to_the_decayed_sum() {
        // 4 views today and 4 thirty days ago: 40 + 20 decayed, capped at 30.
        List<Signal> s = new java.util.ArrayList<>(Fixtures.times(4, () -> pricing(days(0))));
        s.addAll(Fixtures.times(4, () -> pricing(days(30))));
        assertThat(line(engage(HALF_LIFE_30, s), "pricing-page-views").points()).isEqualTo(30);
        // 2 views 30 days ago: 10, under the cap.
        assertThat(line(engage(HALF_LIFE_30, Fixtures.times(2, () -> pricing(days(30)))), "pricing-page-views").points()).isEqualTo(10);
    }

    @Test
    void a_min_count_rule_decays_with_the_age_of_the_signal_that_completed_its_count() {
        // Three gated downloads, 0, 30 and 60 days back: the third most recent is 60 days old, so 20 × 0.25 = 5.
        List<Signal> s = List.of(download("ebook", true, days(0)), download("ebook", true, days(30)), download("ebook", true, days(60)));
        Decision d = engage(HALF_LIFE_30, s);
        assertThat(line(d, "gated-content-3-times").points()).isEqualTo(5);
        // A fourth, today, completes the count with the one 30 days old: 20 × 0.5 = 10.
        Decision more = engage(HALF_LIFE_30, List.of(s.get(0), s.get(1), s.get(2), download("ebook", true, days(0))));
        assertThat(line(more, "gated-content-3-times").points()).isEqualTo(10);
    }

    @Test
    void a_rules_own_half_life_wins_and_0_turns_decay_off_for_it() {
        Policy policy = withDecay("score-threshold", 30, "pricing-page-views", 0, "sessions", 10);
        Decision d = engage(policy, List.of(pricing(days(60)), session(days(10)), session(days(20))));
        Contribution pricing = line(d, "pricing-page-views");
        assertThat(pricing.points()).isEqualTo(10);
        assertThat(pricing.halfLifeDays()).isNull();
        Contribution sessions = line(d, "sessions");
        assertThat(sessions.points()).isEqualTo(1); // 0.5 + 0.25 = 0.75 → 1
        assertThat(sessions.halfLifeDays()).isEqualTo(10);
    }

    @Test
    void the_window_still_applies_with_decay() {
        assertThat(engage(HALF_LIFE_30, List.of(pricing(days(91)))).engagement()).isZero();
    }

    @Test
    void decayed_lines_add_up_exactly_to_the_engagement_score() {
        List<Signal> s = new java.util.ArrayList<>();
        for (int age = 0; age < 90; age += 7) {
            s.add(pricing(days(age)));
            s.add(session(days(age)));
            s.add(download("datasheet", false, days(age)));
        }
        Decision d = engage(HALF_LIFE_30, s);
        assertThat(Fixtures.sum(d.engagementBreakdown())).isEqualTo(d.engagement());
        assertThat(d.engagementBreakdown()).filteredOn(c -> !c.isClamp()).allMatch(c -> c.halfLifeDays() != null);
    }

    @Test
    void without_decay_no_line_names_a_half_life() {
        Decision d = engage(Fixtures.SCORE_THRESHOLD, List.of(pricing(days(60))));
        assertThat(line(d, "pricing-page-views").halfLifeDays()).isNull();
        assertThat(line(d, "pricing-page-views").points()).isEqualTo(10);
    }
}
