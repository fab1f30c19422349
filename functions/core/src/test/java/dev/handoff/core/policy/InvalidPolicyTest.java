package dev.handoff.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PRODUCT §4: an invalid policy is refused as a whole, with every error naming its path in the file. Each case is a
 * small YAML file or a preset with one edit, and asserts the exact error list.
 */
class InvalidPolicyTest {

    private static final String FORM_TYPES = "newsletter, content, contact-sales, demo-request, quote-request, event-registration";
    private static final String SIGNALS = "page-viewed, session-started, email-opened, email-clicked, content-downloaded, "
            + "webinar-attended, meeting-booked, sales-activity-logged, sales-accepted, form-submitted";

    /** The smallest valid policy. */
    static final String MINIMAL = """
            name: tiny
            version: "1"
            forms:
              newsletter: newsletter
            pageCategories:
              - category: pricing
                pathPrefixes: [/pricing]
            fit:
              rules:
                - id: senior
                  property: jobtitle
                  containsWord: [ceo]
                  points: 25
            engagement:
              windowDays: 90
              rules:
                - id: pricing-views
                  signal: page-viewed
                  categories: [pricing]
                  points: 10
                  cap: 30
            mql:
              minFit: 40
            sql:
              mode: sdr-meeting-booked
            """;

    private static String preset(String name) {
        try (InputStream in = InvalidPolicyTest.class.getClassLoader().getResourceAsStream("policies/" + name + ".yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The score-threshold preset with one edit: {@code from} must occur exactly once. */
    private static String edit(String text, String from, String to) {
        int at = text.indexOf(from);
        assertThat(at).as("'%s' in the policy text", from).isNotNegative();
        assertThat(text.indexOf(from, at + 1)).as("'%s' occurs once", from).isNegative();
        return text.substring(0, at) + to + text.substring(at + from.length());
    }

    private static String scoreThreshold(String from, String to) {
        return edit(preset("score-threshold"), from, to);
    }

    private static List<String> errorsOf(String yaml) {
        InvalidPolicyException e = catchThrowableOfType(InvalidPolicyException.class, () -> PolicyLoader.parse(yaml, "test.yaml"));
        assertThat(e).as("the policy is refused").isNotNull();
        assertThat(e.source()).isEqualTo("test.yaml");
        assertThat(e.getMessage()).isEqualTo("invalid policy test.yaml:\n  " + String.join("\n  ", e.errors()));
        return e.errors();
    }

    @Test
    void the_minimal_policy_and_the_unedited_preset_are_valid() {
        assertThatCode(() -> PolicyLoader.parse(MINIMAL, "test.yaml")).doesNotThrowAnyException();
        assertThatCode(() -> PolicyLoader.parse(preset("score-threshold"), "test.yaml")).doesNotThrowAnyException();
    }

    // --- the file as a whole ---

    @Test
    void text_that_is_not_yaml_is_refused_with_its_line_and_column() {
        assertThat(errorsOf("name: [unclosed")).containsExactly(
                "line 1, column 16: not valid YAML: expected ',' or ']', but got <stream end>");
    }

    @Test
    void a_tab_used_for_indentation_is_refused() {
        assertThat(errorsOf("name: tiny\n\tversion: \"1\"\n")).containsExactly(
                "line 2, column 1: not valid YAML: found character '\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for indentation)");
    }

    @Test
    void a_duplicate_key_is_refused_rather_than_the_last_one_winning() {
        assertThat(errorsOf(edit(MINIMAL, "version: \"1\"\n", "version: \"1\"\nversion: \"2\"\n"))).containsExactly(
                "line 3, column 1: duplicate key version");
    }

    @Test
    void a_duplicate_key_deep_in_the_preset_is_refused() {
        assertThat(errorsOf(scoreThreshold("      points: 1\n", "      points: 1\n      points: 2\n"))).containsExactly(
                "line 122, column 7: duplicate key points");
    }

    @Test
    void two_yaml_documents_in_one_file_are_refused() {
        assertThat(errorsOf(MINIMAL + "---\nname: second\n")).containsExactly(
                "line 26, column 1: not valid YAML: but found another document");
    }

    @Test
    void a_yaml_tag_that_would_build_a_java_object_is_refused() {
        assertThat(errorsOf("name: !!java.lang.Object {}\n")).containsExactly(
                "line 1, column 7: not valid YAML: Global tag is not allowed: tag:yaml.org,2002:java.lang.Object");
    }

    @Test
    void a_file_that_is_not_a_mapping_is_refused() {
        String expected = "(top level): must be a mapping with name, version, forms, fit, engagement, mql and sql";
        assertThat(errorsOf("- name: tiny\n- version: 1\n")).containsExactly(expected);
        assertThat(errorsOf("just a sentence")).containsExactly(expected);
        assertThat(errorsOf("")).containsExactly(expected);
        assertThat(errorsOf("# only a comment\n")).containsExactly(expected);
    }

    @Test
    void an_empty_mapping_lists_every_required_field() {
        assertThat(errorsOf("{}")).containsExactly("name: is required", "version: is required", "forms: is required",
                "fit: is required", "engagement: is required", "mql: is required", "sql: is required");
    }

    @Test
    void an_unknown_top_level_field_is_refused() {
        assertThat(errorsOf(MINIMAL + "colour: blue\n")).containsExactly("colour: unknown field");
    }

    @Test
    void a_misspelt_top_level_section_is_refused_not_ignored() {
        assertThat(errorsOf(scoreThreshold("fastTrack:\n", "fastTrak:\n"))).containsExactly("fastTrak: unknown field");
    }

    // --- version and name ---

    @Test
    void a_missing_version_is_refused() {
        assertThat(errorsOf(scoreThreshold("version: \"score-threshold/2026-11-22\"\n", ""))).containsExactly("version: is required");
    }

    @Test
    void a_numeric_version_must_be_quoted() {
        assertThat(errorsOf(edit(MINIMAL, "version: \"1\"", "version: 3"))).containsExactly("version: must be text (quote it: \"3\")");
        assertThat(errorsOf(edit(MINIMAL, "version: \"1\"", "version: 1.5"))).containsExactly("version: must be text (quote it: \"1.5\")");
    }

    @Test
    void an_unquoted_date_as_version_is_refused() {
        assertThat(errorsOf(edit(MINIMAL, "version: \"1\"", "version: 2026-11-22"))).containsExactly("version: must be text");
    }

    @Test
    void a_blank_version_is_refused() {
        assertThat(errorsOf(edit(MINIMAL, "version: \"1\"", "version: \"  \""))).containsExactly("version: must not be empty");
    }

    // --- forms and honeypot ---

    @Test
    void an_unknown_form_type_is_refused() {
        assertThat(errorsOf(scoreThreshold("  webinar-registration: event-registration", "  webinar-registration: webinar")))
                .containsExactly("forms.webinar-registration: must be one of " + FORM_TYPES);
    }

    @Test
    void a_form_entry_with_a_redirect_is_read_beside_the_plain_form_id_to_type_entries() throws Exception {
        Policy p = PolicyLoader.parse(scoreThreshold("  demo-request: demo-request",
                "  demo-request: {type: demo-request, redirect: \"https://www.example.com/thanks?from=demo\"}"), "test.yaml");
        assertThat(p.formType("demo-request")).contains(dev.handoff.core.FormType.DEMO_REQUEST);
        assertThat(p.formRedirect("demo-request")).hasValueSatisfying(u -> assertThat(u.toString())
                .isEqualTo("https://www.example.com/thanks?from=demo"));
        assertThat(p.formType("newsletter")).isPresent();
        assertThat(p.formRedirect("newsletter")).isEmpty();
    }

    @Test
    void a_redirect_that_is_not_an_absolute_web_url_or_an_entry_without_type_is_refused() {
        assertThat(errorsOf(scoreThreshold("  demo-request: demo-request",
                "  demo-request: {type: demo-request, redirect: \"javascript:alert(1)\"}")))
                .containsExactly("forms.demo-request.redirect: must be an absolute http:// or https:// URL");
        assertThat(errorsOf(scoreThreshold("  demo-request: demo-request", "  demo-request: {redirect: \"/thanks\"}")))
                .containsExactly("forms.demo-request.type: is required",
                        "forms.demo-request.redirect: must be an absolute http:// or https:// URL");
        assertThat(errorsOf(scoreThreshold("  demo-request: demo-request", "  demo-request: {type: demo, thanks: x}")))
                .containsExactly("forms.demo-request.thanks: unknown field", "forms.demo-request.type: must be one of " + FORM_TYPES);
    }

    @Test
    void a_form_id_that_cannot_be_a_url_segment_is_refused() {
        assertThat(errorsOf(scoreThreshold("  newsletter: newsletter", "  news/letter: newsletter")))
                .containsExactly("forms.news/letter: a form id may use letters, digits, '-' and '_' only");
        assertThat(errorsOf(scoreThreshold("  newsletter: newsletter", "  \"news letter\": newsletter")))
                .containsExactly("forms.news letter: a form id may use letters, digits, '-' and '_' only");
    }

    @Test
    void an_empty_form_catalogue_is_refused() {
        assertThat(errorsOf(edit(MINIMAL, "forms:\n  newsletter: newsletter\n", "forms: {}\n"))).containsExactly("forms: must list at least one form");
        assertThat(errorsOf(edit(MINIMAL, "forms:\n  newsletter: newsletter\n", "forms: [newsletter]\n")))
                .containsExactly("forms: must be a mapping of form id to form type, or to {type, redirect}");
    }

    @Test
    void a_honeypot_named_like_a_form_field_is_refused() {
        assertThat(errorsOf(scoreThreshold("honeypotField: website_confirm", "honeypotField: email")))
                .containsExactly("honeypotField: must not be a field forms use (email)");
        assertThat(errorsOf(scoreThreshold("honeypotField: website_confirm", "honeypotField: visitorId")))
                .containsExactly("honeypotField: must not be a field forms use (visitorId)");
    }

    // --- domains and page categories ---

    @Test
    void a_bad_domain_is_refused_with_its_index() {
        assertThat(errorsOf(scoreThreshold("targetAccounts: [acme.com, globex.com, initech.com]",
                "targetAccounts: [acme.com, https://globex.com, initech, 42]"))).containsExactly(
                "domains.targetAccounts[1]: must be a domain like example.com",
                "domains.targetAccounts[2]: must be a domain like example.com",
                "domains.targetAccounts[3]: must be a domain like example.com");
    }

    @Test
    void an_unknown_domain_list_is_refused() {
        assertThat(errorsOf(scoreThreshold("  competitors: [rival.io]\n", "  competitors: [rival.io]\n  partners: [ally.com]\n")))
                .containsExactly("domains.partners: unknown field");
        assertThat(errorsOf(scoreThreshold("    emailDomainIn: competitors", "    emailDomainIn: rivals")))
                .containsExactly("knockouts[2].emailDomainIn: must be one of targetAccounts, competitors, freeMail");
    }

    @Test
    void a_category_path_prefix_without_a_leading_slash_is_refused() {
        assertThat(errorsOf(scoreThreshold("    pathPrefixes: [/docs]", "    pathPrefixes: [docs]")))
                .containsExactly("pageCategories[1].pathPrefixes[0]: must be a URL path starting with /");
    }

    @Test
    void a_page_category_defined_twice_is_refused() {
        assertThat(errorsOf(scoreThreshold("  - category: demo\n", "  - category: docs\n")))
                .containsExactly("pageCategories[2].category: 'docs' is defined twice",
                        // with demo renamed, the rules naming demo are wrong too
                        "engagement.rules[1].categories[1]: no page category 'demo' in pageCategories",
                        "fastTrack.targetAccountPageViews.categories[2]: no page category 'demo' in pageCategories");
    }

    @Test
    void an_unknown_page_category_referenced_by_a_rule_is_refused() {
        assertThat(errorsOf(scoreThreshold("      categories: [docs, demo]", "      categories: [docs, demos]")))
                .containsExactly("engagement.rules[1].categories[1]: no page category 'demos' in pageCategories");
    }

    @Test
    void an_unknown_page_category_referenced_by_the_fast_track_is_refused() {
        assertThat(errorsOf(scoreThreshold("    categories: [pricing, docs, demo]", "    categories: [pricing, docs, blog]")))
                .containsExactly("fastTrack.targetAccountPageViews.categories[2]: no page category 'blog' in pageCategories");
    }

    // --- fit rules and knockouts ---

    @Test
    void two_conditions_in_one_rule_are_refused() {
        assertThat(errorsOf(scoreThreshold("      oneOf: [software, saas, fintech, ecommerce, telecommunications]\n",
                "      oneOf: [software, saas, fintech, ecommerce, telecommunications]\n      atLeast: 5\n")))
                .containsExactly("fit.rules[8]: give one condition, not several (atLeast/atMost/below, oneOf)");
    }

    @Test
    void a_rule_with_no_condition_is_refused() {
        assertThat(errorsOf(edit(MINIMAL, "      containsWord: [ceo]\n", ""))).containsExactly(
                "fit.rules[0]: needs a condition: atLeast/atMost/below, containsWord or oneOf with a property, or emailDomainIn");
    }

    @Test
    void a_condition_without_its_property_is_refused() {
        assertThat(errorsOf(edit(MINIMAL, "      property: jobtitle\n", ""))).containsExactly("fit.rules[0].property: is required with containsWord");
    }

    @Test
    void unless_naming_an_unknown_rule_is_refused() {
        assertThat(errorsOf(scoreThreshold("unless: [senior-title]", "unless: [senior-titles]")))
                .containsExactly("fit.rules[5].unless[0]: no fit rule has id 'senior-titles'");
    }

    @Test
    void unless_naming_the_rule_itself_is_refused() {
        assertThat(errorsOf(scoreThreshold("unless: [senior-title]", "unless: [senior-title, manager-title]")))
                .containsExactly("fit.rules[5].unless[1]: a rule cannot cancel itself");
    }

    @Test
    void unless_naming_a_rule_that_is_itself_invalid_reports_only_that_rule() {
        String text = scoreThreshold("      containsWord: [chief, ceo, cto, cfo, coo, cmo, vp, vice president, head, director]\n      points: 25",
                "      containsWord: [chief, ceo, cto, cfo, coo, cmo, vp, vice president, head, director]\n      points: lots");
        assertThat(errorsOf(text)).containsExactly("fit.rules[4].points: must be a number");
    }

    @Test
    void a_duplicate_rule_id_is_refused() {
        assertThat(errorsOf(scoreThreshold("    - id: sessions\n", "    - id: email-clicks\n")))
                .containsExactly("engagement.rules[3].id: 'email-clicks' is used by another rule");
    }

    @Test
    void a_rule_id_shared_by_a_fit_and_an_engagement_rule_is_refused() {
        assertThat(errorsOf(edit(MINIMAL, "    - id: pricing-views\n", "    - id: senior\n")))
                .containsExactly("engagement.rules[0].id: 'senior' is used by another rule");
    }

    @Test
    void at_least_above_at_most_is_refused() {
        assertThat(errorsOf(scoreThreshold("      atLeast: 1000\n", "      atLeast: 2000\n      atMost: 999\n")))
                .containsExactly("fit.rules[0]: atLeast (2000) must not exceed atMost (999)");
    }

    @Test
    void at_least_not_below_below_is_refused() {
        assertThat(errorsOf(scoreThreshold("      atLeast: 200\n      below: 1000", "      atLeast: 2000\n      below: 1000")))
                .containsExactly("fit.rules[1]: atLeast (2000) must be less than below (1000)");
    }

    @Test
    void a_bound_that_is_not_a_number_is_refused() {
        assertThat(errorsOf(scoreThreshold("\n    below: 10\n", "\n    below: ten\n")))
                .containsExactly("knockouts[1].below: must be a number");
    }

    @Test
    void a_bound_that_is_not_a_finite_number_is_refused() {
        assertThat(errorsOf(scoreThreshold("\n    below: 10\n", "\n    below: .nan\n")))
                .containsExactly("knockouts[1].below: must be a number");
    }

    @Test
    void fit_points_beyond_100_are_refused() {
        assertThat(errorsOf(scoreThreshold("      points: 30\n", "      points: 130\n")))
                .containsExactly("fit.rules[0].points: must be between -100 and 100");
    }

    // --- engagement rules ---

    @Test
    void an_unknown_signal_is_refused() {
        assertThat(errorsOf(scoreThreshold("      signal: email-clicked", "      signal: email-click")))
                .containsExactly("engagement.rules[2].signal: must be one of " + SIGNALS);
    }

    @Test
    void points_that_are_not_a_number_are_refused() {
        assertThat(errorsOf(scoreThreshold("      signal: session-started\n      points: 1\n", "      signal: session-started\n      points: one\n")))
                .containsExactly("engagement.rules[3].points: must be a number");
    }

    @Test
    void points_given_as_a_quoted_number_or_a_boolean_are_refused() {
        assertThat(errorsOf(scoreThreshold("      signal: session-started\n      points: 1\n", "      signal: session-started\n      points: \"1\"\n")))
                .containsExactly("engagement.rules[3].points: must be a number");
        assertThat(errorsOf(scoreThreshold("      signal: session-started\n      points: 1\n", "      signal: session-started\n      points: true\n")))
                .containsExactly("engagement.rules[3].points: must be a number");
    }

    @Test
    void points_that_are_not_finite_are_refused_not_a_crash() {
        assertThat(errorsOf(scoreThreshold("      signal: session-started\n      points: 1\n", "      signal: session-started\n      points: .nan\n")))
                .containsExactly("engagement.rules[3].points: must be a number");
        assertThat(errorsOf(scoreThreshold("      signal: session-started\n      points: 1\n", "      signal: session-started\n      points: .inf\n")))
                .containsExactly("engagement.rules[3].points: must be a number");
        assertThat(errorsOf(scoreThreshold("mql:\n  minFit: 40", "mql:\n  minFit: -.inf")))
                .containsExactly("mql.minFit: must be a number");
    }

    @Test
    void fractional_points_are_refused() {
        assertThat(errorsOf(scoreThreshold("      signal: session-started\n      points: 1\n", "      signal: session-started\n      points: 2.5\n")))
                .containsExactly("engagement.rules[3].points: must be a whole number");
    }

    @Test
    void a_huge_number_is_refused() {
        assertThat(errorsOf(scoreThreshold("  windowDays: 90", "  windowDays: 99999999999999999999")))
                .containsExactly("engagement.windowDays: is too large");
    }

    @Test
    void a_window_of_zero_days_is_refused() {
        assertThat(errorsOf(scoreThreshold("  windowDays: 90", "  windowDays: 0")))
                .containsExactly("engagement.windowDays: must be between 1 and 3650");
    }

    @Test
    void a_cap_below_the_points_is_refused() {
        assertThat(errorsOf(scoreThreshold("      points: 15\n      cap: 30", "      points: 15\n      cap: 10")))
                .containsExactly("engagement.rules[5].cap: is below the rule's points (15), so the rule could never award them");
    }

    @Test
    void categories_on_a_rule_that_is_not_about_page_views_are_refused() {
        assertThat(errorsOf(scoreThreshold("      signal: email-clicked\n", "      signal: email-clicked\n      categories: [pricing]\n")))
                .containsExactly("engagement.rules[2].categories: only applies to signal page-viewed");
    }

    @Test
    void gated_on_a_rule_that_is_not_about_downloads_is_refused() {
        assertThat(errorsOf(scoreThreshold("      signal: webinar-attended\n", "      signal: webinar-attended\n      gated: true\n")))
                .containsExactly("engagement.rules[7].gated: only applies to signal content-downloaded");
    }

    @Test
    void a_misspelt_rule_field_is_refused_and_the_missing_one_reported() {
        assertThat(errorsOf(scoreThreshold("      signal: session-started\n      points: 1\n", "      signal: session-started\n      pionts: 1\n")))
                .containsExactly("engagement.rules[3].pionts: unknown field", "engagement.rules[3].points: is required");
    }

    @Test
    void a_rule_that_is_not_a_mapping_is_refused() {
        assertThat(errorsOf(edit(MINIMAL, "    - id: pricing-views\n      signal: page-viewed\n      categories: [pricing]\n      points: 10\n      cap: 30\n",
                "    - pricing-views\n"))).containsExactly("engagement.rules[0]: must be a mapping with id, signal and points");
    }

    @Test
    void an_unknown_form_type_in_a_fast_track_is_refused() {
        assertThat(errorsOf(scoreThreshold("    formTypes: [contact-sales, demo-request, quote-request]",
                "    formTypes: [contact-sales, demo, quote-request]")))
                .containsExactly("fastTrack.highIntentForm.formTypes[1]: must be one of " + FORM_TYPES);
    }

    // --- mql and sql ---

    @Test
    void a_bad_sql_mode_is_refused() {
        assertThat(errorsOf(edit(preset("sdr-meeting-booked"), "  mode: sdr-meeting-booked", "  mode: meeting-booked")))
                .containsExactly("sql.mode: must be one of score-threshold, sales-accepted, sdr-meeting-booked");
    }

    @Test
    void min_engagement_is_required_in_mode_score_threshold() {
        assertThat(errorsOf(scoreThreshold("  minEngagement: 60\n", ""))).containsExactly("sql.minEngagement: is required");
    }

    @Test
    void min_engagement_is_refused_in_the_other_modes() {
        assertThat(errorsOf(edit(preset("sales-accepted"), "  mode: sales-accepted\n", "  mode: sales-accepted\n  minEngagement: 60\n")))
                .containsExactly("sql.minEngagement: only used by mode score-threshold");
        assertThat(errorsOf(edit(MINIMAL, "  mode: sdr-meeting-booked\n", "  mode: sdr-meeting-booked\n  minEngagement: 60\n")))
                .containsExactly("sql.minEngagement: only used by mode score-threshold");
    }

    @Test
    void min_engagement_out_of_range_is_refused() {
        assertThat(errorsOf(scoreThreshold("  minEngagement: 60", "  minEngagement: 160")))
                .containsExactly("sql.minEngagement: must be between 0 and 100");
    }

    @Test
    void mql_min_fit_out_of_range_is_refused() {
        assertThat(errorsOf(scoreThreshold("mql:\n  minFit: 40", "mql:\n  minFit: 101"))).containsExactly("mql.minFit: must be between 0 and 100");
        assertThat(errorsOf(scoreThreshold("mql:\n  minFit: 40", "mql:\n  minFit: -1"))).containsExactly("mql.minFit: must be between 0 and 100");
        assertThat(errorsOf(scoreThreshold("    minFit: 40", "    minFit: 140")))
                .containsExactly("fastTrack.highIntentForm.minFit: must be between 0 and 100");
    }

    @Test
    void several_errors_are_reported_together_in_the_order_of_the_file() {
        String text = preset("score-threshold")
                .replace("version: \"score-threshold/2026-11-22\"\n", "")
                .replace("honeypotField: website_confirm", "honeypotField: email")
                .replace("      signal: session-started\n      points: 1\n", "      signal: session-started\n      points: ten\n")
                .replace("mql:\n  minFit: 40", "mql:\n  minFit: 400")
                .replace("  mode: score-threshold", "  mode: threshold");
        assertThat(errorsOf(text)).containsExactly(
                "version: is required",
                "honeypotField: must not be a field forms use (email)",
                "engagement.rules[3].points: must be a number",
                "mql.minFit: must be between 0 and 100",
                "sql.mode: must be one of score-threshold, sales-accepted, sdr-meeting-booked");
    }

    @Test
    void a_missing_file_is_refused_with_its_name() {
        java.nio.file.Path missing = java.nio.file.Path.of("no-such-dir", "policy.yaml");
        InvalidPolicyException e = catchThrowableOfType(InvalidPolicyException.class, () -> PolicyLoader.load(missing));
        assertThat(e.source()).isEqualTo(missing.toString());
        assertThat(e.errors()).singleElement().asString().startsWith("cannot read the file: ");
    }

    @Test
    void an_unknown_preset_is_refused_with_the_list_of_presets() {
        InvalidPolicyException e = catchThrowableOfType(InvalidPolicyException.class, () -> PolicyLoader.preset("aggressive"));
        assertThat(e.source()).isEqualTo("policies/aggressive.yaml");
        assertThat(e.errors()).containsExactly("no such preset; the presets are score-threshold, sales-accepted, sdr-meeting-booked");
    }

    // ---- decay (PRODUCT §5.1)

    @Test
    void a_negative_or_non_numeric_half_life_is_refused_with_its_path() {
        assertThat(errorsOf(scoreThreshold("  windowDays: 90", "  windowDays: 90\n  halfLifeDays: -1")))
                .containsExactly("engagement.halfLifeDays: must be between 0 and 3650");
        assertThat(errorsOf(scoreThreshold("  windowDays: 90", "  windowDays: 90\n  halfLifeDays: soon")))
                .containsExactly("engagement.halfLifeDays: must be a number");
        assertThat(errorsOf(scoreThreshold("      cap: 10\n", "      cap: 10\n      halfLifeDays: 1.5\n")))
                .containsExactly("engagement.rules[3].halfLifeDays: must be a whole number");
    }

    @Test
    void a_half_life_on_the_policy_and_on_rules_is_accepted_and_0_turns_decay_off() {
        assertThatCode(() -> PolicyLoader.parse(scoreThreshold("      cap: 10\n", "      cap: 10\n      halfLifeDays: 0\n")
                .replace("  windowDays: 90", "  windowDays: 90\n  halfLifeDays: 30"), "decay.yaml")).doesNotThrowAnyException();
    }

    @Test
    void a_cap_on_a_min_count_rule_is_refused_since_such_a_rule_awards_once() {
        assertThat(errorsOf(scoreThreshold("      minCount: 3\n", "      minCount: 3\n      cap: 40\n")))
                .containsExactly("engagement.rules[6].cap: not used with minCount: such a rule awards its points once");
    }
}
