package dev.handoff.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.FormType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/** PRODUCT §4-5: the three presets ship in policies/ and in the jar, load, and differ only in the SQL mode. */
class PresetsTest {

    private static Path policiesDir() {
        String dir = System.getProperty("handoff.policies.dir");
        assertThat(dir).as("surefire sets handoff.policies.dir").isNotBlank();
        return Path.of(dir);
    }

    private static String classpathText(String name) throws IOException {
        try (InputStream in = PresetsTest.class.getClassLoader().getResourceAsStream("policies/" + name + ".yaml")) {
            assertThat(in).as("policies/%s.yaml on the classpath", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void the_presets_are_the_three_of_the_product() {
        assertThat(PolicyLoader.PRESETS).containsExactly("score-threshold", "sales-accepted", "sdr-meeting-booked");
        try (var files = Files.list(policiesDir())) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted())
                    .containsExactly("sales-accepted.yaml", "score-threshold.yaml", "sdr-meeting-booked.yaml");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "{0} loads from the classpath and from policies/")
    @ValueSource(strings = {"score-threshold", "sales-accepted", "sdr-meeting-booked"})
    void every_preset_loads_from_the_classpath_and_from_the_policies_directory(String name) throws Exception {
        Policy fromJar = PolicyLoader.preset(name);
        Policy fromFile = PolicyLoader.load(policiesDir().resolve(name + ".yaml"));
        assertThat(fromJar.name()).isEqualTo(name);
        assertThat(fromFile.name()).isEqualTo(name);
        assertThat(fromJar.version()).isEqualTo(fromFile.version()).isEqualTo(name + "/2026-11-22");
        assertThat(fromJar.sqlMode().id()).isEqualTo(name);
        assertThat(classpathText(name)).isEqualTo(Files.readString(policiesDir().resolve(name + ".yaml")));
    }

    @Test
    void the_presets_differ_only_in_name_version_and_sql_mode() throws Exception {
        Map<String, Object> reference = null;
        for (String name : PolicyLoader.PRESETS) {
            Map<String, Object> tree = new LinkedHashMap<>(new Yaml().<Map<String, Object>>load(Files.readString(policiesDir().resolve(name + ".yaml"))));
            assertThat(tree.remove("name")).isEqualTo(name);
            assertThat(tree.remove("version")).isEqualTo(name + "/2026-11-22");
            Object sql = tree.remove("sql");
            if (name.equals("score-threshold")) assertThat(sql).isEqualTo(Map.of("mode", name, "minEngagement", 60));
            else assertThat(sql).isEqualTo(Map.of("mode", name));
            if (reference == null) reference = tree;
            else assertThat(tree).as(name).isEqualTo(reference);
        }
    }

    @Test
    void the_loaded_presets_share_everything_but_the_sql_rule() throws Exception {
        Policy st = PolicyLoader.preset("score-threshold");
        for (String name : List.of("sales-accepted", "sdr-meeting-booked")) {
            Policy p = PolicyLoader.preset(name);
            assertThat(p.forms()).isEqualTo(st.forms());
            assertThat(p.honeypotField()).isEqualTo(st.honeypotField());
            assertThat(p.targetAccounts()).isEqualTo(st.targetAccounts());
            assertThat(p.competitors()).isEqualTo(st.competitors());
            assertThat(p.freeMailDomains()).isEqualTo(st.freeMailDomains());
            assertThat(p.pageCategories()).isEqualTo(st.pageCategories());
            assertThat(p.fitRules()).extracting(FitRule::id, FitRule::points, FitRule::unless)
                    .isEqualTo(st.fitRules().stream().map(r -> org.assertj.core.groups.Tuple.tuple(r.id(), r.points(), r.unless())).toList());
            assertThat(p.knockouts()).extracting(Knockout::id).isEqualTo(st.knockouts().stream().map(Knockout::id).toList());
            assertThat(p.engagementWindowDays()).isEqualTo(st.engagementWindowDays());
            assertThat(p.engagementRules()).isEqualTo(st.engagementRules());
            assertThat(p.mqlMinFit()).isEqualTo(st.mqlMinFit());
            assertThat(p.fastTrack()).isEqualTo(st.fastTrack());
            assertThat(p.sqlMinEngagement()).isEmpty();
        }
        assertThat(st.sqlMinEngagement()).contains(60);
    }

    @Test
    void the_presets_carry_the_reference_catalogue() throws Exception {
        Policy p = PolicyLoader.preset("score-threshold");
        assertThat(p.forms()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "newsletter", FormType.NEWSLETTER, "ebook-download", FormType.CONTENT, "contact-sales", FormType.CONTACT_SALES,
                "demo-request", FormType.DEMO_REQUEST, "quote-request", FormType.QUOTE_REQUEST,
                "webinar-registration", FormType.EVENT_REGISTRATION));
        assertThat(p.honeypotField()).isEqualTo("website_confirm");
        assertThat(p.targetAccounts()).containsExactlyInAnyOrder("acme.com", "globex.com", "initech.com");
        assertThat(p.competitors()).containsExactly("rival.io");
        assertThat(p.freeMailDomains()).contains("gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com",
                "live.com", "icloud.com", "aol.com", "proton.me", "protonmail.com", "gmx.com", "mail.com");
        assertThat(p.categoryOf("/pricing/enterprise")).isEqualTo("pricing");
        assertThat(p.categoryOf("/docs")).isEqualTo("docs");
        assertThat(p.categoryOf("/demo")).isEqualTo("demo");
        assertThat(p.categoryOf("/blog")).isNull();
        assertThat(p.engagementWindowDays()).isEqualTo(90);
        assertThat(p.mqlMinFit()).isEqualTo(40);
        assertThat(p.fastTrack().highIntentForm())
                .isEqualTo(new FastTrack.HighIntentForm(java.util.Set.of(FormType.CONTACT_SALES, FormType.DEMO_REQUEST, FormType.QUOTE_REQUEST), 40));
        assertThat(p.fastTrack().targetAccountPageViews())
                .isEqualTo(new FastTrack.TargetAccountPageViews(java.util.Set.of("pricing", "docs", "demo"), 3, 7));
        assertThat(p.fitRules()).extracting(FitRule::id, FitRule::points).containsExactly(
                org.assertj.core.groups.Tuple.tuple("employees-1000-plus", 30), org.assertj.core.groups.Tuple.tuple("employees-200-999", 25),
                org.assertj.core.groups.Tuple.tuple("employees-50-199", 15), org.assertj.core.groups.Tuple.tuple("employees-10-49", 5),
                org.assertj.core.groups.Tuple.tuple("senior-title", 25), org.assertj.core.groups.Tuple.tuple("manager-title", 15),
                org.assertj.core.groups.Tuple.tuple("budget-50k-plus", 25), org.assertj.core.groups.Tuple.tuple("budget-10k-50k", 15),
                org.assertj.core.groups.Tuple.tuple("target-industry", 10), org.assertj.core.groups.Tuple.tuple("revenue-10m-plus", 10),
                org.assertj.core.groups.Tuple.tuple("target-account", 20), org.assertj.core.groups.Tuple.tuple("free-mail", -20));
        assertThat(p.knockouts()).extracting(Knockout::id).containsExactly("student-or-intern", "under-10-employees", "competitor");
    }
}
