package dev.handoff.core;

import static dev.handoff.core.Fixtures.NOW;
import static dev.handoff.core.Fixtures.SCORE_THRESHOLD;
import static dev.handoff.core.Fixtures.contact;
import static dev.handoff.core.Fixtures.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.handoff.core.policy.Policy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PRODUCT §5, fit score: every rule with its exact points, band edges, whole-word titles and clamping. */
class FitScoringTest {

    private static Decision fitOf(Contact c) {
        return SCORE_THRESHOLD.evaluate(c, NOW);
    }

    private static int fit(String... pairs) {
        return fitOf(contact("pat@example.org", pairs)).fit();
    }

    @ParameterizedTest(name = "{0} employees score {1} fit points")
    @CsvSource({
        "10, 5", "49, 5",
        "50, 15", "199, 15",
        "200, 25", "999, 25",
        "1000, 30", "250000, 30",
        "'1,000', 30", "' 500 ', 25",
        "9, 0", "0, 0",
    })
    void the_employee_bands_score_30_25_15_and_5_with_their_edges(String employees, int points) {
        assertThat(fit("numberofemployees", employees)).isEqualTo(points);
    }

    @Test
    void a_missing_or_unreadable_employee_count_scores_nothing() {
        assertThat(fit()).isZero();
        assertThat(fit("numberofemployees", "")).isZero();
        assertThat(fit("numberofemployees", "lots")).isZero();
    }

    @ParameterizedTest(name = "\"{0}\" is a senior title worth 25")
    @ValueSource(strings = {
        "Chief Revenue Officer", "CEO", "cto", "CFO & co-founder", "COO", "CMO", "VP Engineering", "vp of sales",
        "Vice President", "Vice  President, Marketing", "Head of Growth", "Director of IT", "Co-Head of Data",
        "Senior Director", "Engineering Manager and Head of Platform",
    })
    void senior_titles_score_25_and_beat_the_manager_rule(String title) {
        Decision d = fitOf(contact("pat@example.org", "jobtitle", title));
        assertThat(d.fit()).isEqualTo(25);
        assertThat(d.fitBreakdown()).extracting(Contribution::rule).containsExactly("senior-title");
    }

    @ParameterizedTest(name = "\"{0}\" is a manager title worth 15")
    @ValueSource(strings = {"Marketing Manager", "manager", "Team Lead", "Lead Engineer", "Product MANAGER", "Tech-Lead"})
    void manager_titles_score_15(String title) {
        Decision d = fitOf(contact("pat@example.org", "jobtitle", title));
        assertThat(d.fit()).isEqualTo(15);
        assertThat(d.fitBreakdown()).extracting(Contribution::rule).containsExactly("manager-title");
    }

    @ParameterizedTest(name = "\"{0}\" matches no title rule")
    @ValueSource(strings = {
        "Team Leader", "Headhunter", "Leadership coach", "Managerial accountant", "Directory admin", "Chiefly engineer",
        "Vice chair", "President", "Software Engineer", "Vicepresident", "VPN administrator", "Forehead model",
    })
    void titles_match_on_whole_words_only(String title) {
        assertThat(fit("jobtitle", title)).isZero();
    }

    @ParameterizedTest(name = "a budget of {0} scores {1}")
    @CsvSource({"9999, 0", "10000, 15", "49999, 15", "50000, 25", "2000000, 25", "'75,000', 25"})
    void the_budget_bands_score_25_and_15(String budget, int points) {
        assertThat(fit("budget", budget)).isEqualTo(points);
    }

    @ParameterizedTest(name = "industry \"{0}\" scores {1}")
    @CsvSource({
        "software, 10", "SaaS, 10", "' Fintech ', 10", "ecommerce, 10", "Telecommunications, 10",
        "software development, 0", "retail, 0", "e-commerce, 0",
    })
    void a_target_industry_scores_10(String industry, int points) {
        assertThat(fit("industry", industry)).isEqualTo(points);
    }

    @ParameterizedTest(name = "annual revenue {0} scores {1}")
    @CsvSource({"9999999, 0", "10000000, 10", "250000000, 10"})
    void an_annual_revenue_of_ten_million_or_more_scores_10(String revenue, int points) {
        assertThat(fit("annualrevenue", revenue)).isEqualTo(points);
    }

    @ParameterizedTest(name = "{0} is a target account")
    @ValueSource(strings = {"ana@acme.com", "bo@globex.com", "cy@INITECH.com"})
    void a_target_account_domain_scores_20(String email) {
        Decision d = fitOf(Contact.of(email));
        assertThat(d.fit()).isEqualTo(20);
        assertThat(d.fitBreakdown()).extracting(Contribution::rule).containsExactly("target-account");
    }

    @Test
    void only_the_exact_target_account_domain_counts_not_a_subdomain_or_lookalike() {
        assertThat(fitOf(Contact.of("ana@eu.acme.com")).fit()).isZero();
        assertThat(fitOf(Contact.of("ana@acme.com.evil.io")).fit()).isZero();
    }

    @Test
    void a_free_mail_domain_takes_20_points_away() {
        Decision d = fitOf(contact("pat@gmail.com", "jobtitle", "VP Sales", "numberofemployees", "300"));
        assertThat(d.fit()).isEqualTo(30);
        assertThat(d.fitBreakdown()).extracting(Contribution::rule, Contribution::points)
                .containsExactly(tuple("employees-200-999", 25), tuple("senior-title", 25), tuple("free-mail", -20));
    }

    @ParameterizedTest(name = "{0} is a free mail domain")
    @ValueSource(strings = {"gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com", "live.com",
            "icloud.com", "aol.com", "proton.me", "protonmail.com", "gmx.com", "mail.com"})
    void every_free_mail_domain_of_the_reference_catalogue_scores_minus_20(String domain) {
        Decision d = fitOf(contact("pat@" + domain, "jobtitle", "CTO"));
        assertThat(d.fit()).isEqualTo(5);
    }

    @Test
    void a_free_mail_address_alone_is_clamped_up_to_0_with_a_clamp_line() {
        Decision d = fitOf(Contact.of("pat@gmail.com"));
        assertThat(d.fit()).isZero();
        assertThat(d.fitBreakdown()).extracting(Contribution::rule, Contribution::points)
                .containsExactly(tuple("free-mail", -20), tuple(Contribution.CLAMP_RULE, 20));
        assertThat(sum(d.fitBreakdown())).isEqualTo(d.fit());
    }

    @Test
    void a_perfect_profile_is_clamped_down_to_100_with_a_clamp_line() {
        Decision d = fitOf(contact("ana@acme.com",
                "numberofemployees", "5000", "jobtitle", "Chief Technology Officer", "budget", "80000",
                "industry", "saas", "annualrevenue", "50000000"));
        // 30 + 25 + 25 + 10 + 10 + 20 = 120
        assertThat(d.fit()).isEqualTo(100);
        assertThat(d.fitBreakdown()).extracting(Contribution::rule, Contribution::points).containsExactly(
                tuple("employees-1000-plus", 30), tuple("senior-title", 25), tuple("budget-50k-plus", 25),
                tuple("target-industry", 10), tuple("revenue-10m-plus", 10), tuple("target-account", 20),
                tuple(Contribution.CLAMP_RULE, -20));
        assertThat(sum(d.fitBreakdown())).isEqualTo(100);
    }

    @Test
    void fit_lines_show_one_match_and_their_points_with_no_cap_or_window() {
        Decision d = fitOf(contact("pat@example.org", "budget", "12000"));
        assertThat(d.fitBreakdown()).containsExactly(
                new Contribution("budget-10k-50k", Contribution.Kind.FIT, 15, 1, 15, null, null, null));
    }

    @Test
    void fit_does_not_depend_on_signals_or_time() {
        Contact c = contact("pat@example.org", "jobtitle", "Head of Sales");
        Contact busy = c.withSignals(Fixtures.times(40, () -> Fixtures.pricing(Fixtures.days(1))));
        assertThat(SCORE_THRESHOLD.evaluate(busy, NOW).fit()).isEqualTo(fitOf(c).fit()).isEqualTo(25);
        assertThat(SCORE_THRESHOLD.evaluate(c, NOW.plusSeconds(86_400 * 400)).fit()).isEqualTo(25);
    }

    @Test
    void the_three_presets_score_fit_identically() {
        Contact c = contact("ana@acme.com", "jobtitle", "Director", "numberofemployees", "60", "industry", "fintech");
        for (Policy p : new Policy[] {Fixtures.SALES_ACCEPTED, Fixtures.SDR_MEETING_BOOKED}) {
            assertThat(p.evaluate(c, NOW).fitBreakdown()).isEqualTo(fitOf(c).fitBreakdown());
        }
        assertThat(fitOf(c).fit()).isEqualTo(15 + 25 + 10 + 20);
    }
}
