package dev.handoff.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.aws.AlertJson;
import dev.handoff.aws.ContactTable;
import dev.handoff.aws.DynamoDbContacts;
import dev.handoff.core.Contact;
import dev.handoff.core.Contribution;
import dev.handoff.core.FormType;
import dev.handoff.core.Reason;
import dev.handoff.core.EmailAddress;
import dev.handoff.core.Signal;
import dev.handoff.core.VisitorId;
import dev.handoff.core.SignalTally;
import dev.handoff.core.SignalType;
import dev.handoff.core.policy.InvalidPolicyException;
import dev.handoff.core.policy.Policy;
import dev.handoff.core.policy.PolicyLoader;
import dev.handoff.aws.AlertItems;
import dev.handoff.aws.DynamoDbAlertLedger;
import dev.handoff.aws.DynamoDbRequests;
import dev.handoff.aws.SignalItems;
import java.time.Clock;
import java.time.ZoneOffset;
import dev.handoff.core.Stage;
import dev.handoff.core.StageMove;
import dev.handoff.core.app.AlertDispatcher;
import dev.handoff.core.app.ContactRef;
import dev.handoff.core.app.FormSubmission;
import dev.handoff.core.app.SqlAlert;
import dev.handoff.core.app.StoredContact;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

class DynamoDbContactsTest {
    private static final String EMAIL = "ana@acme.com";
    private static final Policy POLICY = policy();
    private static LocalTable local;

    private String table;
    private DynamoDbContacts store;
    private DynamoDbAlertLedger ledger;

    private static Policy policy() {
        try {
            return PolicyLoader.preset("score-threshold");
        } catch (InvalidPolicyException e) {
            throw new AssertionError(e);
        }
    }

    /** The tally a store should hold for these signals. */
    private static SignalTally tallyOf(List<Signal> signals) {
        return POLICY.tallyOf(signals);
    }

    @BeforeAll
    static void startEngine() {
        local = new LocalTable();
    }

    @AfterAll
    static void stopEngine() {
        local.close();
    }

    @BeforeEach
    void freshTable() {
        table = local.newTable();
        store = new DynamoDbContacts(local.client(), table, POLICY, Clock.fixed(Signals.T0.plusSeconds(3600), ZoneOffset.UTC), null);
        ledger = new DynamoDbAlertLedger(local.client(), table);
    }

    // The table

    @Test
    void the_table_has_string_keys_a_stream_with_both_images_on_demand_billing_and_ttl() {
        DescribeTableResponse d = local.client().describeTable(b -> b.tableName(table));

        assertThat(d.table().keySchema()).extracting(k -> k.attributeName() + ":" + k.keyTypeAsString())
                .containsExactly("pk:HASH", "sk:RANGE");
        assertThat(d.table().attributeDefinitions()).extracting(a -> a.attributeName() + ":" + a.attributeTypeAsString())
                .containsExactlyInAnyOrder("pk:S", "sk:S");
        assertThat(d.table().streamSpecification().streamViewType()).isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
        assertThat(ContactTable.createTableRequest(table).billingModeAsString()).isEqualTo("PAY_PER_REQUEST");
        var ttl = local.client().describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
        assertThat(ttl.attributeName()).isEqualTo(ContactTable.TTL);
        assertThat(ttl.timeToLiveStatus()).isIn(TimeToLiveStatus.ENABLED, TimeToLiveStatus.ENABLING);
    }

    // Round trip

    @Test
    void a_form_post_and_every_kind_of_signal_load_back_as_the_same_contact() {
        List<Signal> visitorBefore = List.of(
                new Signal.PageViewed("v-pv-1", Signals.T0.minusSeconds(60), "/pricing"),
                new Signal.SessionStarted("v-ss-1", Signals.T0.minusSeconds(61)));
        for (Signal s : visitorBefore) assertThat(store.recordSignal(new ContactRef.ByVisitor(VisitorId.parse("visitor-1")), s)).isTrue();

        FormSubmission post = submission("sub-1", Map.of("firstname", "Ana", "jobtitle", "VP Engineering",
                "numberofemployees", "500", "company", "Acme"), "visitor-1", Signals.T0);
        assertThat(store.recordSubmission(post)).isTrue();

        List<Signal> own = Signals.everyKind("own-", Signals.T0);
        for (Signal s : own) assertThat(store.recordSignal(new ContactRef.ByEmail(EmailAddress.parse("Ana@Acme.com ")), s)).isTrue();
        Signal visitorAfter = new Signal.PageViewed("v-pv-2", Signals.T0.plusSeconds(100), "/demo");
        assertThat(store.recordSignal(new ContactRef.ByVisitor(VisitorId.parse("visitor-1")), visitorAfter)).isTrue();

        List<Signal> all = new ArrayList<>(visitorBefore);
        all.add(post.signal());
        all.addAll(own);
        all.add(visitorAfter);
        all.sort(Comparator.comparing(Signal::occurredAt).thenComparing(Signal::id));
        SignalTally tally = tallyOf(all);
        Contact expected = new Contact(EMAIL, post.properties(), Set.of("visitor-1"), tally.keptSignals(), null, List.of());

        StoredContact loaded = store.load(EMAIL).orElseThrow();

        assertThat(loaded.contact()).isEqualTo(expected);
        assertThat(loaded.tally()).isEqualTo(tally);
        assertThat(loaded.version()).isEqualTo(1);
        assertThat(store.emailOfVisitor("visitor-1")).contains(EMAIL);
        assertThat(store.emailOfVisitor("vis-unknown")).isEmpty();
    }

    @Test
    void a_later_form_post_updates_the_properties_it_carries_and_keeps_the_others() {
        store.recordSubmission(submission("sub-1", Map.of("jobtitle", "Engineer", "company", "Acme"), null, Signals.T0));
        store.recordSubmission(submission("sub-2", Map.of("jobtitle", "VP Engineering"), "visitor-2", Signals.T0.plusSeconds(5)));

        StoredContact loaded = store.load(EMAIL).orElseThrow();

        assertThat(loaded.contact().properties()).containsExactlyInAnyOrderEntriesOf(
                Map.of("jobtitle", "VP Engineering", "company", "Acme"));
        assertThat(loaded.contact().visitorIds()).containsExactly("visitor-2");
        assertThat(loaded.tally().total(SignalType.FORM_SUBMITTED)).isEqualTo(2);
        assertThat(loaded.contact().signals()).extracting(Signal::id).containsExactly("sub-1", "sub-2");
        assertThat(loaded.version()).isEqualTo(2);
    }

    @Test
    void a_contact_known_only_from_tracking_events_loads_at_version_0_without_a_stage() {
        store.recordSignal(new ContactRef.ByEmail(EmailAddress.parse(EMAIL)), new Signal.EmailOpened("e-1", Signals.T0, "cmp-1"));

        StoredContact loaded = store.load(EMAIL).orElseThrow();

        assertThat(loaded.version()).isZero();
        assertThat(loaded.contact().stage()).isNull();
        assertThat(loaded.tally().total()).isEqualTo(1);
    }

    @Test
    void an_unknown_email_and_an_unlinked_visitor_load_nothing() {
        store.recordSignal(new ContactRef.ByVisitor(VisitorId.parse("vis-anon")), new Signal.SessionStarted("e-1", Signals.T0));

        assertThat(store.load("nobody@acme.com")).isEmpty();
        assertThat(store.emailOfVisitor("vis-anon")).isEmpty();
    }

    @Test
    void a_visitor_linked_to_another_person_later_counts_for_that_person_only() {
        store.recordSignal(new ContactRef.ByVisitor(VisitorId.parse("shared-pc")), new Signal.PageViewed("e-1", Signals.T0, "/pricing"));
        store.recordSubmission(submission("sub-1", Map.of(), "shared-pc", Signals.T0.plusSeconds(1)));
        store.recordSubmission(new FormSubmission("sub-2", "demo", FormType.DEMO_REQUEST, EmailAddress.parse("bo@acme.com"), Map.of(),
                VisitorId.parse("shared-pc"), Signals.T0.plusSeconds(2)));

        assertThat(store.emailOfVisitor("shared-pc")).contains("bo@acme.com");
        assertThat(store.load(EMAIL).orElseThrow().tally().total()).isEqualTo(1);
        assertThat(store.load(EMAIL).orElseThrow().contact().visitorIds()).isEmpty();
        SignalTally bo = store.load("bo@acme.com").orElseThrow().tally();
        assertThat(bo.total()).isEqualTo(2);
        assertThat(bo.total(SignalType.PAGE_VIEWED)).isEqualTo(1);
    }

    // Duplicates

    @Test
    void the_same_signal_recorded_three_times_is_stored_once() {
        Signal s = new Signal.PageViewed("evt-1", Signals.T0, "/pricing");
        List<Boolean> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) results.add(store.recordSignal(new ContactRef.ByEmail(EmailAddress.parse(EMAIL)), s));

        assertThat(results).containsExactly(true, false, false);
        assertThat(store.load(EMAIL).orElseThrow().tally()).isEqualTo(tallyOf(List.of(s)));
    }

    @Test
    void the_same_submission_twice_is_recorded_once_and_touches_the_profile_once() {
        FormSubmission first = submission("sub-1", Map.of("jobtitle", "Engineer"), "visitor-1", Signals.T0);
        FormSubmission again = submission("sub-1", Map.of("jobtitle", "Changed"), "visitor-2", Signals.T0.plusSeconds(9));

        assertThat(store.recordSubmission(first)).isTrue();
        assertThat(store.recordSubmission(again)).isFalse();

        StoredContact loaded = store.load(EMAIL).orElseThrow();
        assertThat(loaded.version()).isEqualTo(1);
        assertThat(loaded.contact().properties()).containsExactlyEntriesOf(Map.of("jobtitle", "Engineer"));
        assertThat(loaded.contact().visitorIds()).containsExactly("visitor-1");
        assertThat(loaded.tally()).isEqualTo(tallyOf(List.of(first.signal())));
        assertThat(store.emailOfVisitor("visitor-2")).isEmpty();
    }

    // Stage moves

    @Test
    void a_move_from_a_stale_version_writes_nothing() {
        store.recordSubmission(submission("sub-1", Map.of("jobtitle", "VP"), null, Signals.T0));
        List<StageMove> moves = List.of(move(null, Stage.LEAD, Reason.FORM_SUBMISSION));

        assertThat(store.recordMoves(EMAIL, 0, moves, null)).isFalse();
        assertThat(store.recordMoves(EMAIL, 2, moves, null)).isFalse();

        StoredContact loaded = store.load(EMAIL).orElseThrow();
        assertThat(loaded.version()).isEqualTo(1);
        assertThat(loaded.contact().stage()).isNull();
        assertThat(loaded.contact().history()).isEmpty();
    }

    @Test
    void a_move_into_sql_at_the_current_version_records_stage_history_and_one_alert() {
        store.recordSubmission(submission("sub-1", Map.of("firstname", "Ana", "budget", "25000"), null, Signals.T0));
        List<StageMove> moves = List.of(
                move(null, Stage.LEAD, Reason.FORM_SUBMISSION),
                new StageMove(Stage.LEAD, Stage.SALES_QUALIFIED_LEAD, Signals.T0.plusSeconds(1), Reason.FAST_TRACK,
                        StageMove.POLICY_ACTOR, "policy-7", "demo-request form from an ICP fit contact"));
        SqlAlert alert = alert("alert-1");

        assertThat(store.recordMoves(EMAIL, 1, moves, alert)).isTrue();
        assertThat(store.recordMoves(EMAIL, 1, moves, alert)).as("the same move again, from the old version").isFalse();

        StoredContact loaded = store.load(EMAIL).orElseThrow();
        assertThat(loaded.version()).isEqualTo(2);
        assertThat(loaded.contact().stage()).isEqualTo(Stage.SALES_QUALIFIED_LEAD);
        assertThat(loaded.contact().history()).isEqualTo(moves);
        assertThat(loaded.tally().total()).isEqualTo(1);
        assertThat(loaded.contact().properties()).containsEntry("firstname", "Ana");

        Map<String, AttributeValue> alertItem = item(ContactTable.contactKey(EMAIL), ContactTable.alertKey("alert-1"));
        assertThat(alertItem.get(ContactTable.ALERT).s()).as("the alert's default JSON").isEqualTo(AlertJson.toJson(alert));
        assertThat(AlertItems.alertFromItem(alertItem)).isEqualTo(alert);
        assertThat(partitionKeys(ContactTable.contactKey(EMAIL))).filteredOn(ContactTable::isAlertKey).hasSize(1);

        List<StageMove> later = List.of(new StageMove(Stage.SALES_QUALIFIED_LEAD, Stage.OPPORTUNITY,
                Signals.T0.plusSeconds(50), Reason.MANUAL, "sam.seller", "policy-7", null));
        assertThat(store.recordMoves(EMAIL, 2, later, null)).isTrue();
        assertThat(store.load(EMAIL).orElseThrow().contact().history()).hasSize(3).endsWith(later.get(0));
    }

    @Test
    void the_first_move_of_a_contact_without_a_profile_creates_it_once() {
        store.recordSignal(new ContactRef.ByEmail(EmailAddress.parse(EMAIL)), new Signal.EmailOpened("e-1", Signals.T0, "cmp-1"));
        List<StageMove> entry = List.of(move(null, Stage.SUBSCRIBER, Reason.TRACKING_EVENT));

        assertThat(store.recordMoves(EMAIL, 0, entry, null)).isTrue();
        assertThat(store.recordMoves(EMAIL, 0, entry, null)).isFalse();

        StoredContact loaded = store.load(EMAIL).orElseThrow();
        assertThat(loaded.version()).isEqualTo(1);
        assertThat(loaded.contact().stage()).isEqualTo(Stage.SUBSCRIBER);
        assertThat(loaded.contact().history()).isEqualTo(entry);
    }

    @Test
    void ten_evaluations_racing_from_one_version_record_one_move_and_one_alert() throws Exception {
        store.recordSubmission(submission("sub-1", Map.of(), null, Signals.T0));
        List<StageMove> moves = List.of(move(null, Stage.SALES_QUALIFIED_LEAD, Reason.FAST_TRACK));

        List<Boolean> results = concurrently(10, i -> store.recordMoves(EMAIL, 1, moves, alert("alert-race")));

        assertThat(results).containsOnlyOnce(true);
        assertThat(store.load(EMAIL).orElseThrow().contact().history()).hasSize(1);
        assertThat(partitionKeys(ContactTable.contactKey(EMAIL))).filteredOn(ContactTable::isAlertKey).hasSize(1);
    }

    // Alert ledger

    @Test
    void a_deal_is_created_once_and_progress_follows_each_recorded_step() {
        store.recordSubmission(submission("sub-1", Map.of(), null, Signals.T0));
        SqlAlert alert = alert("alert-1");
        store.recordMoves(EMAIL, 1, List.of(move(null, Stage.SALES_QUALIFIED_LEAD, Reason.FAST_TRACK)), alert);

        assertThat(ledger.progress(EMAIL, "alert-1")).contains(new AlertDispatcher.Progress(null, false, false));
        assertThat(ledger.createDeal(alert)).isEqualTo("alert-1");
        assertThat(ledger.createDeal(alert)).isEqualTo("alert-1");
        assertThat(partitionKeys(ContactTable.contactKey(EMAIL))).filteredOn(ContactTable::isDealKey).hasSize(1);
        Map<String, AttributeValue> deal = item(ContactTable.contactKey(EMAIL), ContactTable.dealKey("alert-1"));
        assertThat(deal.get(ContactTable.DEAL_ID).s()).isEqualTo("alert-1");
        assertThat(deal.get(ContactTable.PIPELINE).s()).isEqualTo("default");
        assertThat(deal.get(ContactTable.DEAL_STAGE).s()).isEqualTo("qualification");
        assertThat(deal.get(ContactTable.AMOUNT).n()).isEqualTo("25000");
        assertThat(ledger.progress(EMAIL, "alert-1")).contains(new AlertDispatcher.Progress("alert-1", false, false));

        ledger.markEventPut(EMAIL, "alert-1");
        assertThat(ledger.progress(EMAIL, "alert-1")).contains(new AlertDispatcher.Progress("alert-1", true, false));

        ledger.markPublished(EMAIL, "alert-1", "msg-1");
        assertThat(ledger.progress(EMAIL, "alert-1")).contains(new AlertDispatcher.Progress("alert-1", true, true));
        assertThat(item(ContactTable.contactKey(EMAIL), ContactTable.alertKey("alert-1")).get(ContactTable.SNS_MESSAGE_ID).s())
                .isEqualTo("msg-1");
        assertThat(AlertItems.alertFromItem(item(ContactTable.contactKey(EMAIL), ContactTable.alertKey("alert-1"))))
                .isEqualTo(alert);
    }

    @Test
    void an_alert_that_is_gone_has_no_progress_and_gets_no_deal() {
        SqlAlert alert = alert("alert-gone");

        assertThat(ledger.progress(EMAIL, "alert-gone")).isEmpty();
        assertThatThrownBy(() -> ledger.createDeal(alert)).isInstanceOf(DynamoDbAlertLedger.AlertGoneException.class);
        assertThatThrownBy(() -> ledger.markEventPut(EMAIL, "alert-gone")).isInstanceOf(DynamoDbAlertLedger.AlertGoneException.class);
        assertThatThrownBy(() -> ledger.markPublished(EMAIL, "alert-gone", "m")).isInstanceOf(DynamoDbAlertLedger.AlertGoneException.class);
        assertThat(partitionKeys(ContactTable.contactKey(EMAIL))).isEmpty();
    }

    @Test
    void a_publish_failing_once_then_succeeding_sends_one_message_and_one_event() {
        store.recordSubmission(submission("sub-1", Map.of(), null, Signals.T0));
        SqlAlert alert = alert("alert-1");
        store.recordMoves(EMAIL, 1, List.of(move(null, Stage.SALES_QUALIFIED_LEAD, Reason.FAST_TRACK)), alert);
        AtomicInteger publishAttempts = new AtomicInteger();
        AtomicInteger published = new AtomicInteger();
        AtomicInteger events = new AtomicInteger();
        AlertDispatcher dispatcher = new AlertDispatcher(ledger, a -> {
            if (publishAttempts.incrementAndGet() == 1) throw new IllegalStateException("SNS is down");
            published.incrementAndGet();
            return "msg-" + publishAttempts.get();
        }, (a, dealId) -> events.incrementAndGet());

        assertThatThrownBy(() -> dispatcher.dispatch(alert)).hasMessage("SNS is down");
        assertThat(dispatcher.dispatch(alert)).isEqualTo(AlertDispatcher.Result.SENT);
        assertThat(dispatcher.dispatch(alert)).isEqualTo(AlertDispatcher.Result.ALREADY_SENT);

        assertThat(published).hasValue(1);
        assertThat(events).hasValue(1);
        assertThat(partitionKeys(ContactTable.contactKey(EMAIL))).filteredOn(ContactTable::isDealKey).hasSize(1);
    }

    @Test
    void an_alert_reads_back_from_its_item_with_every_field_and_without_optional_ones() {
        SqlAlert full = alert("a-1");
        SqlAlert bare = new SqlAlert("a-2", Signals.T0, null, new SqlAlert.ContactCard(EMAIL, null, null, null, null),
                null, Stage.SALES_QUALIFIED_LEAD, "score-threshold", null, 0, 0, List.of(), null, null);

        for (SqlAlert alert : List.of(full, bare)) {
            assertThat(AlertItems.alertFromItem(Map.of(ContactTable.ALERT, AttributeValue.fromS(AlertJson.toJson(alert)))))
                    .isEqualTo(alert);
        }
        assertThatThrownBy(() -> AlertItems.alertFromItem(Map.of(ContactTable.SK, AttributeValue.fromS("ALERT#x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no alert attribute");
    }

    // Concurrency

    @Test
    void fifty_distinct_signals_for_one_contact_recorded_concurrently_all_load_back() throws Exception {
        store.recordSubmission(submission("sub-1", Map.of(), "visitor-1", Signals.T0));

        List<Boolean> results = concurrently(50, i -> store.recordSignal(
                i % 5 == 0 ? new ContactRef.ByVisitor(VisitorId.parse("visitor-1")) : new ContactRef.ByEmail(EmailAddress.parse(EMAIL)),
                new Signal.PageViewed("evt-" + i, Signals.T0.plusMillis(i), "/docs/" + i)));

        assertThat(results).hasSize(50).containsOnly(true);
        assertThat(store.load(EMAIL).orElseThrow().tally().total(SignalType.PAGE_VIEWED)).isEqualTo(50);
    }

    @Test
    void the_same_event_delivered_by_twenty_threads_at_once_is_recorded_once() throws Exception {
        Signal s = new Signal.EmailClicked("evt-1", Signals.T0, "cmp-1", "https://acme.example/x");

        List<Boolean> results = concurrently(20, i -> store.recordSignal(new ContactRef.ByEmail(EmailAddress.parse(EMAIL)), s));

        assertThat(results).containsOnlyOnce(true);
        assertThat(store.load(EMAIL).orElseThrow().tally()).isEqualTo(tallyOf(List.of(s)));
    }

    @Test
    void form_posts_and_stage_moves_racing_on_one_profile_each_land_whole() throws Exception {
        store.recordSubmission(submission("sub-0", Map.of(), null, Signals.T0));

        List<Boolean> posts = concurrently(8, i -> store.recordSubmission(
                submission("sub-" + (i + 1), Map.of("jobtitle", "T" + i), "visitor-" + i, Signals.T0.plusSeconds(i + 1))));

        assertThat(posts).containsOnly(true);
        StoredContact loaded = store.load(EMAIL).orElseThrow();
        assertThat(loaded.version()).isEqualTo(9);
        assertThat(loaded.tally().total()).isEqualTo(9);
        assertThat(loaded.contact().visitorIds()).hasSize(8);
    }

    // Contacts stored before tallies

    @Test
    void a_contact_stored_as_signal_items_keeps_its_score_and_gets_its_tally_built_once() {
        List<Signal> before = Signals.everyKind("old-", Signals.T0.minusSeconds(86_400));
        for (Signal s : before) {
            local.client().putItem(b -> b.tableName(table).item(SignalItems.toItem(ContactTable.contactKey(EMAIL), s, 90)));
        }
        Signal visitorOld = new Signal.PageViewed("v-old", Signals.T0.minusSeconds(7200), "/pricing");
        local.client().putItem(b -> b.tableName(table).item(SignalItems.toItem(ContactTable.visitorKey("visitor-old"), visitorOld, 90)));
        local.client().putItem(b -> b.tableName(table).item(Map.of(
                ContactTable.PK, AttributeValue.fromS(ContactTable.visitorKey("visitor-old")),
                ContactTable.SK, AttributeValue.fromS(ContactTable.LINK),
                ContactTable.EMAIL, AttributeValue.fromS(EMAIL))));
        local.client().putItem(b -> b.tableName(table).item(Map.of(
                ContactTable.PK, AttributeValue.fromS(ContactTable.contactKey(EMAIL)),
                ContactTable.SK, AttributeValue.fromS(ContactTable.PROFILE),
                ContactTable.VERSION, AttributeValue.fromN("1"),
                ContactTable.VISITOR_IDS, AttributeValue.fromSs(List.of("visitor-old")))));
        List<Signal> all = new ArrayList<>(before);
        all.add(visitorOld);

        assertThat(store.load(EMAIL).orElseThrow().tally()).as("built in memory, nothing written").isEqualTo(tallyOf(all));
        assertThat(partitionKeys(ContactTable.contactKey(EMAIL))).doesNotContain(ContactTable.CONTACT_TALLY);

        // An old event delivered again after the change gets a log item, which the first maintenance drops.
        Signal again = before.get(3);
        assertThat(store.recordSignal(new ContactRef.ByEmail(EmailAddress.parse(EMAIL)), again)).isTrue();
        Signal next = new Signal.SessionStarted("new-1", Signals.T0);
        assertThat(store.recordSignal(new ContactRef.ByEmail(EmailAddress.parse(EMAIL)), next)).isTrue();
        String pk = ContactTable.contactKey(EMAIL);
        String againKey = ContactTable.logKey(pk, again.occurredAt().toEpochMilli(), again.id());
        String nextKey = ContactTable.logKey(pk, next.occurredAt().toEpochMilli(), next.id());
        all.add(next);

        assertThat(store.maintaining(Map.of(pk, List.of(againKey, nextKey))).load(EMAIL).orElseThrow().tally()).isEqualTo(tallyOf(all));
        assertThat(partitionKeys(pk)).contains(ContactTable.CONTACT_TALLY).doesNotContain(againKey).contains(nextKey);
        assertThat(store.load(EMAIL).orElseThrow().tally()).as("read back from the tally built once").isEqualTo(tallyOf(all));
    }

    @Test
    void recording_an_event_writes_one_unit_and_loading_reads_one_and_a_half_whatever_the_history() {
        List<DynamoDbRequests.Capacity> used = new ArrayList<>();
        DynamoDbContacts measured = new DynamoDbContacts(local.client(), table, POLICY,
                Clock.fixed(Signals.T0.plusSeconds(3600), ZoneOffset.UTC), used::add);
        // 90 days of a busy contact: pricing, docs and other pages, sessions and email clicks every day.
        for (int day = 0; day < 90; day++) {
            Instant at = Signals.T0.minusSeconds(86_400L * day);
            for (String path : List.of("/pricing", "/docs", "/blog")) {
                measured.recordSignal(new ContactRef.ByEmail(EmailAddress.parse(EMAIL)), new Signal.PageViewed("pv-" + day + path, at, path));
            }
            measured.recordSignal(new ContactRef.ByEmail(EmailAddress.parse(EMAIL)), new Signal.SessionStarted("ss-" + day, at));
        }
        measured.maintaining(Map.of()).load(EMAIL); // folds the history into the tally
        used.clear();
        measured.recordSignal(new ContactRef.ByEmail(EmailAddress.parse(EMAIL)), new Signal.EmailClicked("last", Signals.T0, "c", "/x"));

        assertThat(used).extracting(DynamoDbRequests.Capacity::operation).containsExactly("PutItem");
        assertThat(used.get(0).units()).isEqualTo(1.0);
        used.clear();
        measured.load(EMAIL);
        // One Query of profile, tally and tail; one eventually consistent read of the window's first day, the part
        // of it before the window starts (a signal there counts for exactly 90 × 24 hours).
        assertThat(used).extracting(DynamoDbRequests.Capacity::units).containsExactly(1.0, 0.5);
    }

    // Windows, exactly

    @Test
    void a_contact_kept_as_counts_still_counts_a_signal_for_exactly_90_days_and_a_view_for_exactly_7() {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        DynamoDbContacts at = new DynamoDbContacts(local.client(), table, POLICY, Clock.fixed(now, ZoneOffset.UTC), null);
        for (int edge : new int[] {-1, 1}) { // a second inside the window, a second outside
            String email = (edge < 0 ? "inside" : "outside") + "@acme.com"; // a target account
            ContactRef who = new ContactRef.ByEmail(EmailAddress.parse(email));
            Instant window = now.minus(java.time.Duration.ofDays(90));
            Instant week = now.minus(java.time.Duration.ofDays(7));
            at.recordSignal(who, new Signal.SessionStarted("s-edge", window.plusSeconds(-edge)));
            at.recordSignal(who, new Signal.PageViewed("p-edge", week.plusSeconds(-edge), "/pricing"));
            for (int i = 0; i < 6; i++) at.recordSignal(who, new Signal.SessionStarted("s-" + i, now.minusSeconds(3_600L * (i + 1))));
            for (int i = 0; i < 2; i++) at.recordSignal(who, new Signal.PageViewed("p-" + i, now.minusSeconds(60L * (i + 1)), "/docs"));
            at.maintaining(Map.of()).load(email); // folded: the tally keeps them as counts per day

            StoredContact stored = at.load(email).orElseThrow();
            var decision = POLICY.evaluate(stored.contact(), stored.tally(), now);
            Contribution sessions = decision.engagementBreakdown().stream()
                    .filter(l -> l.rule().contains("session")).findFirst().orElseThrow();
            assertThat(sessions.matched()).as(email).isEqualTo(edge < 0 ? 7 : 6);
            assertThat(decision.qualified().map(q -> q.reason())).as(email)
                    .isEqualTo(edge < 0 ? java.util.Optional.of(Reason.FAST_TRACK) : java.util.Optional.empty());
        }
    }

    // Helpers

    private static FormSubmission submission(String id, Map<String, String> properties, String visitorId, Instant at) {
        return new FormSubmission(id, "demo", FormType.DEMO_REQUEST, EmailAddress.parse(EMAIL), properties,
                visitorId == null ? null : VisitorId.parse(visitorId), at);
    }

    private static StageMove move(Stage from, Stage to, Reason reason) {
        return new StageMove(from, to, Signals.T0, reason, StageMove.POLICY_ACTOR, "policy-7", null);
    }

    private static SqlAlert alert(String alertId) {
        return new SqlAlert(alertId, Instant.parse("2026-11-02T09:00:01.123456Z"), "policy-7",
                new SqlAlert.ContactCard(EMAIL, "Ana", "López", "Acme", "VP Engineering"),
                Stage.MARKETING_QUALIFIED_LEAD, Stage.SALES_QUALIFIED_LEAD, "fast-track",
                "demo-request form from an ICP fit contact", 85, 35,
                List.of(new SqlAlert.TopSignal("pricing-page-views", Contribution.Kind.ENGAGEMENT, 30),
                        new SqlAlert.TopSignal("senior-title", Contribution.Kind.FIT, 25)),
                "sam.seller", 25_000L);
    }

    private Map<String, AttributeValue> item(String pk, String sk) {
        return local.client().getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(ContactTable.PK, AttributeValue.fromS(pk), ContactTable.SK, AttributeValue.fromS(sk)))).item();
    }

    private List<String> partitionKeys(String pk) {
        return local.client().query(b -> b.tableName(table).consistentRead(true)
                        .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk))))
                .items().stream().map(i -> i.get(ContactTable.SK).s()).toList();
    }

    interface Task {
        boolean run(int i) throws Exception;
    }

    /** Runs {@code n} tasks on {@code n} threads, released together. */
    private static List<Boolean> concurrently(int n, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                Callable<Boolean> c = () -> {
                    ready.countDown();
                    go.await();
                    return task.run(index);
                };
                futures.add(pool.submit(c));
            }
            ready.await(10, TimeUnit.SECONDS);
            go.countDown();
            List<Boolean> results = new ArrayList<>();
            for (Future<Boolean> f : futures) results.add(f.get(60, TimeUnit.SECONDS));
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
