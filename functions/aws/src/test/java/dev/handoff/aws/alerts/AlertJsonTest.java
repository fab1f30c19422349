package dev.handoff.aws.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.aws.AlertJson;
import dev.handoff.core.Contribution;
import dev.handoff.core.Stage;
import dev.handoff.core.app.SqlAlert;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertJsonTest {

    @Test
    void the_default_json_is_the_shape_of_product_section_3_in_its_order() {
        assertThat(AlertJson.toJson(Alerts.full())).isEqualTo("""
                {"alertId":"alert-7f3a","type":"SalesQualifiedLead","occurredAt":"2025-03-04T09:30:00Z",\
                "policyVersion":"score-threshold@3",\
                "contact":{"email":"ana@acme.com","firstname":"Ana","lastname":"Silva","company":"Acme",\
                "jobtitle":"VP Engineering"},\
                "stage":{"from":"marketingqualifiedlead","to":"salesqualifiedlead"},\
                "reason":{"code":"fast-track","detail":"demo-request form from an ICP fit contact"},\
                "scores":{"fit":85,"engagement":35},\
                "topSignals":[{"rule":"pricing-page-views","kind":"engagement","points":30},\
                {"rule":"senior-title","kind":"fit","points":25}],\
                "owner":"sam.seller","deal":{"amount":50000}}""");
    }

    @Test
    void unknown_contact_fields_and_amount_are_left_out_and_from_and_owner_are_null() {
        String text = AlertJson.toJson(Alerts.sparse());
        Map<String, Object> json = JsonTree.read(text);

        assertThat(text).contains("\"contact\":{\"email\":\"bo@globex.com\"}");
        assertThat(text).contains("\"stage\":{\"from\":null,\"to\":\"salesqualifiedlead\"}");
        assertThat(text).contains("\"reason\":{\"code\":\"import\",\"detail\":null}");
        assertThat(JsonTree.object(json, "/stage")).containsEntry("from", null);
        assertThat(JsonTree.at(json, "/reason/code")).isEqualTo("import");
        assertThat(json.get("topSignals")).isEqualTo(List.of());
        assertThat(json).containsEntry("owner", null).doesNotContainKey("deal");
    }

    @Test
    void parse_is_the_reverse_of_toJson() {
        assertThat(AlertJson.parse(AlertJson.toJson(Alerts.full()))).isEqualTo(Alerts.full());
        assertThat(AlertJson.parse(AlertJson.toJson(Alerts.sparse()))).isEqualTo(Alerts.sparse());
    }

    @Test
    void parse_keeps_sub_second_times_and_ignores_extra_fields() {
        SqlAlert precise = new SqlAlert("a", Instant.parse("2025-03-04T09:30:00.123456Z"), "v",
                new SqlAlert.ContactCard("x@y.com", null, null, null, null), Stage.LEAD, Stage.SALES_QUALIFIED_LEAD,
                "manual", "set by sam", 0, 0, List.of(), null, null);
        Map<String, Object> tree = AlertJson.toMap(precise);
        tree.put("dealId", "deal-1");
        tree.put("future", true);
        String withExtras = AlertJson.write(tree);

        assertThat(AlertJson.parse(withExtras)).isEqualTo(precise);
    }

    @Test
    void parse_refuses_what_is_not_an_alert() {
        String good = AlertJson.toJson(Alerts.full());
        assertThatThrownBy(() -> AlertJson.parse("not json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> AlertJson.parse(good.replace("SalesQualifiedLead", "Other")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("type is Other");
        assertThatThrownBy(() -> AlertJson.parse(good.replace("\"to\":\"salesqualifiedlead\"", "\"to\":\"sql\"")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stage.to 'sql'");
        assertThatThrownBy(() -> AlertJson.parse(good.replace("\"alertId\":\"alert-7f3a\",", "")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alertId missing");
        assertThatThrownBy(() -> AlertJson.parse(good.replace("\"fit\":85", "\"fit\":\"high\"")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scores.fit");
        assertThatThrownBy(() -> AlertJson.parse(good.replace("2025-03-04T09:30:00Z", "yesterday")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("occurredAt 'yesterday'");
    }

    @Test
    void a_top_signal_of_an_unknown_kind_is_refused() {
        String good = AlertJson.toJson(Alerts.full());
        assertThatThrownBy(() -> AlertJson.parse(good.replace("\"kind\":\"fit\"", "\"kind\":\"luck\"")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topSignals[].kind 'luck'");
    }

    @Test
    void an_alert_recorded_before_top_signals_had_a_kind_reads_them_as_engagement_rules_which_they_were() {
        String old = AlertJson.toJson(Alerts.full()).replace("\"kind\":\"fit\",", "").replace("\"kind\":\"engagement\",", "");
        assertThat(AlertJson.parse(old).topSignals()).extracting(SqlAlert.TopSignal::kind)
                .containsOnly(Contribution.Kind.ENGAGEMENT);
    }

    @Test
    void the_email_text_says_who_why_and_what_in_a_few_lines() {
        assertThat(AlertJson.emailText(Alerts.full())).isEqualTo("""
                New SQL: Ana Silva, Acme

                Why: fast-track - demo-request form from an ICP fit contact
                Scores: fit 85, engagement 35
                Top signals:
                  - pricing-page-views (engagement): +30
                  - senior-title (fit): +25
                Stage: marketingqualifiedlead -> salesqualifiedlead

                Contact: Ana Silva
                Job title: VP Engineering
                Company: Acme
                Email: ana@acme.com
                Owner: sam.seller
                Deal amount: 50000

                Policy version: score-threshold@3
                Alert id: alert-7f3a
                """);
    }

    @Test
    void the_email_text_of_a_sparse_alert_leaves_out_what_is_unknown() {
        assertThat(AlertJson.emailText(Alerts.sparse())).isEqualTo("""
                New SQL: bo@globex.com

                Why: import
                Scores: fit 10, engagement 0
                Top signals: none
                Stage: (new contact) -> salesqualifiedlead

                Email: bo@globex.com

                Policy version: score-threshold@3
                Alert id: alert-0001
                """);
    }

    @Test
    void form_text_cannot_forge_lines_in_the_email() {
        SqlAlert a = Alerts.full();
        SqlAlert forged = new SqlAlert(a.alertId(), a.occurredAt(), a.policyVersion(),
                new SqlAlert.ContactCard("ana@acme.com", "Ana\nWhy: free money", "Silva", "Acme\r\n\tInc", "VP\u2028CEO"),
                a.from(), a.to(), a.reasonCode(), a.reasonDetail(), a.fit(), a.engagement(), a.topSignals(),
                null, null);

        String text = AlertJson.emailText(forged);

        assertThat(text).startsWith("New SQL: Ana Why: free money Silva, Acme Inc\n");
        assertThat(text).contains("\nJob title: VP CEO\n");
        assertThat(text.lines().filter(l -> l.startsWith("Why:"))).hasSize(1);
    }

    @Test
    void the_subject_is_ascii_on_one_line_and_at_most_100_characters() {
        SqlAlert a = Alerts.full();
        assertThat(AlertJson.subject(a)).isEqualTo("New SQL: Ana Silva, Acme");

        SqlAlert accented = withContact(a, new SqlAlert.ContactCard("j@x.fr", "José\n", "Müller-Ørsted",
                "Société Générale 株式会社", null));
        assertThat(AlertJson.subject(accented)).isEqualTo("New SQL: Jose Muller-Orsted, Societe Generale");

        SqlAlert nonLatin = withContact(a, new SqlAlert.ContactCard("li@x.cn", "李", "王", null, null));
        assertThat(AlertJson.subject(nonLatin)).isEqualTo("New SQL: li@x.cn");

        SqlAlert longName = withContact(a, new SqlAlert.ContactCard("l@x.com", "A".repeat(80), "B".repeat(80),
                "C", null));
        String subject = AlertJson.subject(longName);
        assertThat(subject).hasSize(100).startsWith("New SQL: AAAA").endsWith("...");
        assertThat(subject).matches("[\\x20-\\x7e]+");
    }

    private static SqlAlert withContact(SqlAlert a, SqlAlert.ContactCard contact) {
        return new SqlAlert(a.alertId(), a.occurredAt(), a.policyVersion(), contact, a.from(), a.to(),
                a.reasonCode(), a.reasonDetail(), a.fit(), a.engagement(), a.topSignals(), a.owner(), a.dealAmount());
    }
}
