package dev.handoff.core.app;

import static dev.handoff.core.Fixtures.NOW;
import static dev.handoff.core.Fixtures.SALES_ACCEPTED;
import static dev.handoff.core.Fixtures.SCORE_THRESHOLD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.handoff.core.EmailAddress;
import dev.handoff.core.VisitorId;
import dev.handoff.core.ActivityType;
import dev.handoff.core.Contact;
import dev.handoff.core.FormType;
import dev.handoff.core.Reason;
import dev.handoff.core.Signal;
import dev.handoff.core.Stage;
import dev.handoff.core.StageMove;
import dev.handoff.core.policy.Policy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** PRODUCT §2.3 in the core: what the sales API does, on a store of our own. */
class SalesDeskTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String ANA = "ana@northwind.example";

    private final InMemoryContactStore store = new InMemoryContactStore();
    private final SalesDesk desk = new SalesDesk(store, SCORE_THRESHOLD, CLOCK);

    /** A contact that came through a content form: a lead, or an MQL with ICP properties. */
    private Contact throughForm(String email, Map<String, String> properties) {
        store.recordSubmission(new FormSubmission("sub-" + email, "ebook-download", FormType.CONTENT, EmailAddress.parse(email), properties,
                null, NOW.minusSeconds(3600)));
        new Qualifier(store, SCORE_THRESHOLD, CLOCK).qualify(email);
        return store.load(email).orElseThrow().contact();
    }

    private Contact lead(String email) {
        return throughForm(email, Map.of("jobtitle", "Engineer"));
    }

    private static Map<String, Object> icp() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("firstname", "Ana");
        p.put("jobtitle", "VP Engineering");
        p.put("numberofemployees", 500);
        return p;
    }

    private Contact stored(String email) {
        return store.load(email).orElseThrow().contact();
    }

    @Nested
    class View {
        @Test
        void an_unknown_email_has_no_view() {
            assertThat(desk.view(EmailAddress.parse("nobody@northwind.example"))).isEmpty();
        }

        @Test
        void the_view_holds_the_contact_the_policys_decision_now_and_the_deals() {
            throughForm(ANA, Map.of("jobtitle", "VP Engineering", "numberofemployees", "500"));
            Deal deal = new Deal("d-1", "default", "qualification", 60000L, NOW);
            store.addDeal(ANA, deal);

            SalesDesk.ContactView view = desk.view(EmailAddress.parse("  Ana@Northwind.example ")).orElseThrow();

            assertThat(view.contact().email()).isEqualTo(ANA);
            assertThat(view.contact().stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
            assertThat(view.decision()).isEqualTo(SCORE_THRESHOLD.evaluate(view.contact(), NOW));
            assertThat(view.decision().fit()).isEqualTo(50);
            assertThat(view.deals()).containsExactly(deal);
        }
    }

    @Nested
    class ManualMoves {
        @Test
        void a_person_moves_a_contact_forward_with_reason_manual_their_name_and_their_words() {
            lead(ANA);

            var change = desk.moveStage(EmailAddress.parse(ANA), Stage.MARKETING_QUALIFIED_LEAD, false, "met her at the fair", "sam");

            assertThat(change).isInstanceOf(SalesDesk.StageChange.Moved.class);
            StageMove move = ((SalesDesk.StageChange.Moved) change).move();
            assertThat(move).isEqualTo(new StageMove(Stage.LEAD, Stage.MARKETING_QUALIFIED_LEAD, NOW, Reason.MANUAL, "sam",
                    SCORE_THRESHOLD.version(), "met her at the fair"));
            assertThat(stored(ANA).stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
            assertThat(stored(ANA).history()).last().isEqualTo(move);
            assertThat(((SalesDesk.StageChange.Moved) change).alert()).isNull();
        }

        @Test
        void moving_back_without_force_is_refused_and_writes_nothing() {
            lead(ANA);
            desk.moveStage(EmailAddress.parse(ANA), Stage.CUSTOMER, false, "signed", "sam");
            int writes = store.writeCount();

            var change = desk.moveStage(EmailAddress.parse(ANA), Stage.LEAD, false, "recycle", "sam");

            assertThat(change).isInstanceOf(SalesDesk.StageChange.Refused.class);
            assertThat(((SalesDesk.StageChange.Refused) change).message()).contains("force");
            assertThat(store.writeCount()).isEqualTo(writes);
            assertThat(stored(ANA).stage()).isEqualTo(Stage.CUSTOMER);
        }

        @Test
        void moving_back_with_force_recycles_the_contact_and_records_the_move_like_any_other() {
            lead(ANA);
            desk.moveStage(EmailAddress.parse(ANA), Stage.OPPORTUNITY, false, "qualified on the call", "sam");

            var change = desk.moveStage(EmailAddress.parse(ANA), Stage.LEAD, true, "budget frozen until Q3", "kim");

            assertThat(change).isInstanceOf(SalesDesk.StageChange.Moved.class);
            assertThat(stored(ANA).stage()).isEqualTo(Stage.LEAD);
            assertThat(stored(ANA).history()).last().satisfies(m -> {
                assertThat(m.isBackward()).isTrue();
                assertThat(m.reason()).isEqualTo(Reason.MANUAL);
                assertThat(m.actor()).isEqualTo("kim");
                assertThat(m.note()).isEqualTo("budget frozen until Q3");
            });
        }

        @Test
        void asking_for_the_stage_the_contact_is_in_changes_nothing() {
            lead(ANA);
            int writes = store.writeCount();

            var change = desk.moveStage(EmailAddress.parse(ANA), Stage.LEAD, false, "just checking", "sam");

            assertThat(change).isInstanceOf(SalesDesk.StageChange.Unchanged.class);
            assertThat(store.writeCount()).isEqualTo(writes);
        }

        @Test
        void a_move_for_an_unknown_email_is_not_found_and_writes_nothing() {
            assertThat(desk.moveStage(EmailAddress.parse("nobody@northwind.example"), Stage.LEAD, false, "x", "sam"))
                    .isInstanceOf(SalesDesk.StageChange.NotFound.class);
            assertThat(store.writeCount()).isZero();
        }

        @Test
        void a_manual_move_into_SQL_records_one_alert_with_reason_manual_and_the_persons_words_as_its_detail() {
            throughForm(ANA, Map.of("firstname", "Ana", "jobtitle", "VP Engineering", "numberofemployees", "500", "budget", "60000"));

            var change = (SalesDesk.StageChange.Moved) desk.moveStage(EmailAddress.parse(ANA), Stage.SALES_QUALIFIED_LEAD, false,
                    "asked for a quote on the phone", "sam");

            SqlAlert alert = change.alert();
            assertThat(alert).isNotNull();
            assertThat(store.alertsRecorded).containsExactly(alert);
            assertThat(alert.reasonCode()).isEqualTo("manual");
            assertThat(alert.reasonDetail()).isEqualTo("asked for a quote on the phone");
            assertThat(alert.from()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
            assertThat(alert.to()).isEqualTo(Stage.SALES_QUALIFIED_LEAD);
            assertThat(alert.contact().firstname()).isEqualTo("Ana");
            assertThat(alert.fit()).isEqualTo(75);
            assertThat(alert.dealAmount()).isEqualTo(60000L);
            assertThat(alert.policyVersion()).isEqualTo(SCORE_THRESHOLD.version());
        }

        @Test
        void a_contact_that_changes_during_the_move_is_read_again_and_the_move_and_its_alert_are_recorded_once() {
            lead(ANA);
            store.changeBeforeNextMove(() -> store.recordProperties(ANA, Map.of("company", "Northwind")));

            var change = desk.moveStage(EmailAddress.parse(ANA), Stage.SALES_QUALIFIED_LEAD, false, "demo went well", "sam");

            assertThat(change).isInstanceOf(SalesDesk.StageChange.Moved.class);
            assertThat(store.movesRecorded).filteredOn(m -> m.reason() == Reason.MANUAL).hasSize(1);
            assertThat(store.alertsRecorded).singleElement()
                    .satisfies(a -> assertThat(a.contact().company()).isEqualTo("Northwind"));
        }
    }

    @Nested
    class SalesSignals {
        @Test
        void acceptance_and_activities_are_recorded_as_the_tracking_events_record_them_and_count_once_per_id() {
            lead(ANA);
            Instant at = NOW.minusSeconds(600);

            SalesDesk.Recorded accepted = desk.accept(EmailAddress.parse(ANA), "sam", at, "key-1");
            SalesDesk.Recorded again = desk.accept(EmailAddress.parse(ANA), "sam", at, "key-1");
            SalesDesk.Recorded call = desk.logActivity(EmailAddress.parse(ANA), ActivityType.parse("call"), "sam", null, null);

            assertThat(accepted).isEqualTo(new SalesDesk.Recorded("key-1", true));
            assertThat(again).isEqualTo(new SalesDesk.Recorded("key-1", false));
            assertThat(call.fresh()).isTrue();
            assertThat(call.eventId()).isNotBlank();
            assertThat(stored(ANA).signals()).contains(
                    new Signal.SalesAccepted("key-1", at, "sam"),
                    new Signal.SalesActivityLogged(call.eventId(), NOW, "call", "sam"));
        }

        @Test
        void with_the_sales_accepted_preset_an_activity_and_an_acceptance_make_an_SQL_with_reason_sales_accepted() {
            SalesDesk sales = new SalesDesk(store, SALES_ACCEPTED, CLOCK);
            Qualifier qualifier = new Qualifier(store, SALES_ACCEPTED, CLOCK);
            throughForm(ANA, Map.of("jobtitle", "Engineer"));

            sales.logActivity(EmailAddress.parse(ANA), ActivityType.parse("meeting"), "sam", null, null);
            assertThat(qualifier.qualify(ANA)).isInstanceOf(Qualifier.Outcome.Unchanged.class);
            sales.accept(EmailAddress.parse(ANA), "sam", null, null);
            var outcome = (Qualifier.Outcome.Moved) qualifier.qualify(ANA);

            assertThat(outcome.alert().reasonCode()).isEqualTo("sales-accepted");
            assertThat(outcome.alert().owner()).isEqualTo("sam");
            assertThat(stored(ANA).stage()).isEqualTo(Stage.SALES_QUALIFIED_LEAD);
        }

        @Test
        void a_sales_action_on_an_email_not_yet_known_makes_a_lead() {
            desk.accept(EmailAddress.parse(ANA), "sam", null, null);
            new Qualifier(store, SCORE_THRESHOLD, CLOCK).qualify(ANA);

            assertThat(stored(ANA).history()).extracting(StageMove::from, StageMove::to, StageMove::reason)
                    .containsExactly(tuple(null, Stage.LEAD, Reason.SALES_ACTION));
        }

        @Test
        void an_activity_type_other_than_call_meeting_or_email_is_refused() {
            assertThatThrownBy(() -> desk.logActivity(EmailAddress.parse(ANA), ActivityType.parse("lunch"), "sam", null, null))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(store.writeCount()).isZero();
        }
    }

    @Nested
    class Imports {
        private List<SalesDesk.ImportRow> rows(SalesDesk.ImportRow... rows) {
            return List.of(rows);
        }

        private SalesDesk.ImportRow row(String email, Map<String, ?> properties, String stage) {
            return new SalesDesk.ImportRow(email, properties, stage);
        }

        @Test
        void more_than_500_rows_are_refused_whole_and_nothing_is_written() {
            List<SalesDesk.ImportRow> many = new ArrayList<>();
            for (int i = 0; i < 501; i++) many.add(row("c" + i + "@northwind.example", Map.of(), null));

            assertThatThrownBy(() -> desk.importContacts(many))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("501");
            assertThat(store.writeCount()).isZero();
        }

        @Test
        void good_rows_apply_while_bad_rows_are_rejected_with_every_reason() {
            var result = desk.importContacts(rows(
                    row(ANA, icp(), null),
                    row("not-an-email", Map.of("numberofemployees", "many"), "boss"),
                    row("bo@northwind.example", Map.of("budget", -5, "phone", "call me"), null),
                    row("cy@northwind.example", Map.of("jobtitle", List.of("a")), "LEAD")));

            assertThat(result.rows()).extracting(SalesDesk.RowResult::row, SalesDesk.RowResult::status)
                    .containsExactly(tuple(0, SalesDesk.RowStatus.CREATED), tuple(1, SalesDesk.RowStatus.REJECTED),
                            tuple(2, SalesDesk.RowStatus.REJECTED), tuple(3, SalesDesk.RowStatus.REJECTED));
            assertThat(result.rows().get(1).errors()).extracting(FormIntake.FieldError::field)
                    .containsExactly("email", "properties.numberofemployees", "stage");
            assertThat(result.rows().get(1).errors().get(2).message()).contains("subscriber, lead, marketingqualifiedlead");
            assertThat(result.rows().get(2).errors()).extracting(FormIntake.FieldError::field)
                    .containsExactly("properties.budget", "properties.phone");
            assertThat(result.rows().get(3).errors()).extracting(FormIntake.FieldError::field)
                    .containsExactly("properties.jobtitle");
            assertThat(store.load("bo@northwind.example")).isEmpty();
            assertThat(store.load("cy@northwind.example")).isEmpty();
            assertThat(stored(ANA).properties()).containsEntry("numberofemployees", "500");
        }

        @Test
        void a_new_contact_without_a_stage_enters_as_a_lead_by_import_and_its_fit_makes_it_an_MQL() {
            var result = desk.importContacts(rows(row(ANA, icp(), null)));

            assertThat(result.rows().get(0).status()).isEqualTo(SalesDesk.RowStatus.CREATED);
            assertThat(result.rows().get(0).stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
            assertThat(stored(ANA).history()).extracting(StageMove::from, StageMove::to, StageMove::reason, StageMove::actor)
                    .containsExactly(
                            tuple(null, Stage.LEAD, Reason.IMPORT, "import"),
                            tuple(Stage.LEAD, Stage.MARKETING_QUALIFIED_LEAD, Reason.FIT_THRESHOLD, "policy"));
        }

        @Test
        void a_stage_set_by_import_is_recorded_with_actor_import_and_a_move_into_SQL_alerts_with_reason_import() {
            lead(ANA);

            var result = desk.importContacts(rows(row(ANA, icp(), "salesqualifiedlead")));

            assertThat(result.rows().get(0).status()).isEqualTo(SalesDesk.RowStatus.UPDATED);
            assertThat(result.rows().get(0).stage()).isEqualTo(Stage.SALES_QUALIFIED_LEAD);
            assertThat(stored(ANA).history()).last().satisfies(m -> {
                assertThat(m.from()).isEqualTo(Stage.LEAD);
                assertThat(m.reason()).isEqualTo(Reason.IMPORT);
                assertThat(m.actor()).isEqualTo(StageMove.IMPORT_ACTOR);
            });
            assertThat(store.alertsRecorded).singleElement().satisfies(a -> {
                assertThat(a.reasonCode()).isEqualTo("import");
                assertThat(a.reasonDetail()).isEqualTo("lifecycle stage set by a CRM import");
                assertThat(a.from()).isEqualTo(Stage.LEAD);
                assertThat(a.contact().firstname()).isEqualTo("Ana");
                assertThat(a.fit()).isEqualTo(50);
            });
        }

        @Test
        void a_stage_from_the_CRM_applies_backward_too_as_the_CRM_is_the_source_of_truth() {
            lead(ANA);
            desk.moveStage(EmailAddress.parse(ANA), Stage.OPPORTUNITY, false, "call", "sam");

            var result = desk.importContacts(rows(row(ANA, Map.of(), "lead")));

            assertThat(result.rows().get(0).status()).isEqualTo(SalesDesk.RowStatus.UPDATED);
            assertThat(stored(ANA).stage()).isEqualTo(Stage.LEAD);
            assertThat(stored(ANA).history()).last().extracting(StageMove::isBackward).isEqualTo(true);
        }

        @Test
        void a_contact_the_CRM_moves_back_is_not_moved_up_again_by_the_policy_in_the_same_import() {
            SalesDesk sales = new SalesDesk(store, SALES_ACCEPTED, CLOCK);
            sales.logActivity(EmailAddress.parse(ANA), ActivityType.parse("call"), "sam", null, null);
            sales.accept(EmailAddress.parse(ANA), "sam", null, null);
            new Qualifier(store, SALES_ACCEPTED, CLOCK).qualify(ANA);
            assertThat(stored(ANA).stage()).isEqualTo(Stage.SALES_QUALIFIED_LEAD);

            var result = sales.importContacts(rows(row(ANA, Map.of(), "lead")));

            assertThat(result.rows().get(0).stage()).isEqualTo(Stage.LEAD);
            assertThat(stored(ANA).stage()).isEqualTo(Stage.LEAD);
            assertThat(store.alertsRecorded).hasSize(1);
        }

        @Test
        void an_imported_lead_whose_signals_qualify_it_moves_on_in_the_same_write_and_alerts_with_the_policys_reason() {
            SalesDesk sales = new SalesDesk(store, SALES_ACCEPTED, CLOCK);
            sales.logActivity(EmailAddress.parse(ANA), ActivityType.parse("call"), "sam", null, null);
            sales.accept(EmailAddress.parse(ANA), "sam", null, null);

            var result = sales.importContacts(rows(row(ANA, Map.of("firstname", "Ana"), "lead")));

            assertThat(result.rows().get(0).stage()).isEqualTo(Stage.SALES_QUALIFIED_LEAD);
            assertThat(stored(ANA).history()).extracting(StageMove::to, StageMove::reason)
                    .containsExactly(tuple(Stage.LEAD, Reason.IMPORT), tuple(Stage.SALES_QUALIFIED_LEAD, Reason.SALES_ACCEPTED));
            assertThat(store.alertsRecorded).singleElement().satisfies(a -> {
                assertThat(a.reasonCode()).isEqualTo("sales-accepted");
                assertThat(a.contact().firstname()).isEqualTo("Ana");
            });
        }

        @Test
        void rows_applied_several_at_a_time_give_the_same_results_in_the_order_given() {
            SalesDesk parallel = new SalesDesk(store, SCORE_THRESHOLD, CLOCK, 4);
            List<SalesDesk.ImportRow> many = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                many.add(row("c" + i + "@northwind.example", i % 2 == 0 ? icp() : Map.of("jobtitle", "Engineer"),
                        i % 3 == 0 ? "salesqualifiedlead" : null));
            }
            many.add(row("bad", Map.of(), null));

            var result = parallel.importContacts(many);

            assertThat(result.rows()).extracting(SalesDesk.RowResult::row).containsExactlyElementsOf(
                    java.util.stream.IntStream.rangeClosed(0, 60).boxed().toList());
            assertThat(result.count(SalesDesk.RowStatus.CREATED)).isEqualTo(60);
            assertThat(result.rows().get(60).status()).isEqualTo(SalesDesk.RowStatus.REJECTED);
            for (int i = 0; i < 60; i++) {
                Stage expected = i % 3 == 0 ? Stage.SALES_QUALIFIED_LEAD : i % 2 == 0 ? Stage.MARKETING_QUALIFIED_LEAD : Stage.LEAD;
                assertThat(result.rows().get(i).stage()).as("row %d", i).isEqualTo(expected);
                assertThat(stored("c" + i + "@northwind.example").stage()).isEqualTo(expected);
            }
            assertThat(store.alertsRecorded).hasSize(20);
            assertThat(parallel.importContacts(many).count(SalesDesk.RowStatus.UNCHANGED)).isEqualTo(60);
        }

        @Test
        void only_the_properties_whose_values_differ_are_written() {
            throughForm(ANA, Map.of("firstname", "Ana", "jobtitle", "VP Engineering"));
            store.propertyWrites.clear();

            desk.importContacts(rows(row(ANA, Map.of("firstname", "Ana", "jobtitle", "CTO", "company", "Northwind"), null)));

            assertThat(store.propertyWrites).containsExactly(Map.of("jobtitle", "CTO", "company", "Northwind"));
        }

        @Test
        void the_same_import_twice_leaves_every_row_unchanged_the_second_time_and_alerts_once() {
            lead("bo@northwind.example");
            List<SalesDesk.ImportRow> rows = rows(
                    row(ANA, icp(), null),
                    row("bo@northwind.example", Map.of("company", "Northwind"), "salesqualifiedlead"),
                    row("cy@northwind.example", Map.of("jobtitle", "Student"), "lead"),
                    row("bad", Map.of(), null));

            var first = desk.importContacts(rows);
            int writes = store.writeCount();
            var second = desk.importContacts(rows);

            assertThat(first.rows()).extracting(SalesDesk.RowResult::status).containsExactly(SalesDesk.RowStatus.CREATED,
                    SalesDesk.RowStatus.UPDATED, SalesDesk.RowStatus.CREATED, SalesDesk.RowStatus.REJECTED);
            assertThat(second.rows()).extracting(SalesDesk.RowResult::status).containsExactly(SalesDesk.RowStatus.UNCHANGED,
                    SalesDesk.RowStatus.UNCHANGED, SalesDesk.RowStatus.UNCHANGED, SalesDesk.RowStatus.REJECTED);
            assertThat(second.rows()).extracting(SalesDesk.RowResult::stage).containsExactly(
                    Stage.MARKETING_QUALIFIED_LEAD, Stage.SALES_QUALIFIED_LEAD, Stage.LEAD, null);
            assertThat(store.writeCount()).isEqualTo(writes);
            assertThat(store.alertsRecorded).hasSize(1);
        }

        @Test
        void a_sync_restating_the_stage_it_set_does_not_pull_back_a_contact_the_policy_or_a_person_moved_on() {
            desk.importContacts(rows(row(ANA, Map.of("jobtitle", "Engineer"), "lead")));
            desk.moveStage(EmailAddress.parse(ANA), Stage.OPPORTUNITY, false, "demo", "sam");

            var result = desk.importContacts(rows(row(ANA, Map.of("jobtitle", "Engineer"), "lead")));

            assertThat(result.rows().get(0).status()).isEqualTo(SalesDesk.RowStatus.UNCHANGED);
            assertThat(stored(ANA).stage()).isEqualTo(Stage.OPPORTUNITY);

            var changed = desk.importContacts(rows(row(ANA, Map.of("jobtitle", "Engineer"), "customer")));
            assertThat(changed.rows().get(0).status()).isEqualTo(SalesDesk.RowStatus.UPDATED);
            assertThat(stored(ANA).stage()).isEqualTo(Stage.CUSTOMER);
        }

        @Test
        void the_same_email_twice_in_one_import_is_rejected_the_second_time() {
            var result = desk.importContacts(rows(row(ANA, icp(), null), row(" ANA@northwind.example", Map.of(), "customer")));

            assertThat(result.rows().get(1).status()).isEqualTo(SalesDesk.RowStatus.REJECTED);
            assertThat(result.rows().get(1).errors()).singleElement()
                    .satisfies(e -> assertThat(e.message()).contains("row 0"));
            assertThat(stored(ANA).stage()).isEqualTo(Stage.MARKETING_QUALIFIED_LEAD);
        }

        @Test
        void properties_a_form_may_not_set_are_not_stored_and_are_named_in_the_result() {
            var result = desk.importContacts(rows(row(ANA, Map.of("jobtitle", "CTO", "score", 100, "lifecyclestage", "customer"), null)));

            assertThat(result.rows().get(0).ignored()).containsExactlyInAnyOrder("score", "lifecyclestage");
            assertThat(stored(ANA).properties()).containsOnlyKeys("jobtitle");
            assertThat(stored(ANA).stage()).isNotEqualTo(Stage.CUSTOMER);
        }
    }

    @Nested
    class Erasure {
        @Test
        void erasing_removes_the_contact_its_signals_alerts_deals_and_the_visitors_linked_to_it() {
            store.recordSignal(new ContactRef.ByVisitor(VisitorId.parse("visitor-v1")), new Signal.PageViewed("pv-1", NOW.minusSeconds(99), "/pricing"));
            store.recordSubmission(new FormSubmission("sub-1", "demo-request", FormType.DEMO_REQUEST, EmailAddress.parse(ANA),
                    Map.of("jobtitle", "VP Engineering", "numberofemployees", "500"), VisitorId.parse("visitor-v1"), NOW));
            new Qualifier(store, SCORE_THRESHOLD, CLOCK).qualify(ANA);
            store.addDeal(ANA, new Deal("d-1", "default", "qualification", null, NOW));
            assertThat(store.alertsRecorded).hasSize(1);

            int removed = desk.erase(EmailAddress.parse("Ana@Northwind.example"));

            // profile, form signal, alert, deal, the visitor's link and its page view
            assertThat(removed).isEqualTo(6);
            assertThat(desk.view(EmailAddress.parse(ANA))).isEmpty();
            assertThat(store.holdsAnythingOf(ANA, Set.of("visitor-v1"))).isFalse();
            assertThat(store.emailOfVisitor("visitor-v1")).isEmpty();
        }

        @Test
        void a_visitor_id_linked_to_someone_else_since_is_theirs_and_stays() {
            store.recordSubmission(new FormSubmission("sub-1", "ebook-download", FormType.CONTENT, EmailAddress.parse(ANA), Map.of(), VisitorId.parse("v-shared"), NOW));
            store.recordSubmission(new FormSubmission("sub-2", "ebook-download", FormType.CONTENT, EmailAddress.parse("bo@northwind.example"),
                    Map.of(), VisitorId.parse("v-shared"), NOW));

            desk.erase(EmailAddress.parse(ANA));

            assertThat(store.emailOfVisitor("v-shared")).contains("bo@northwind.example");
            assertThat(store.load("bo@northwind.example").orElseThrow().contact().visitorIds()).containsExactly("v-shared");
        }

        @Test
        void erasing_an_email_nobody_has_removes_nothing() {
            assertThat(desk.erase(EmailAddress.parse("nobody@northwind.example"))).isZero();
        }
    }
}
