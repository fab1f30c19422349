package dev.handoff.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.aws.DynamoDbContacts;
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
import dev.handoff.aws.DynamoDbAlertLedger;
import dev.handoff.core.Stage;
import dev.handoff.core.StageMove;
import dev.handoff.core.app.ContactRef;
import dev.handoff.core.app.Deal;
import dev.handoff.core.app.FormSubmission;
import dev.handoff.core.app.SqlAlert;
import dev.handoff.core.app.StoredContact;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** What the sales API needs of the table: an import's properties, the deals, and erasing a person whole. */
class DynamoDbContactsSalesTest {
    private static final String EMAIL = "ana@acme.com";
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00.123Z");
    private static LocalTable local;

    private String table;
    private DynamoDbContacts store;
    private DynamoDbAlertLedger ledger;
    private static final Policy POLICY = policy();

    private static Policy policy() {
        try {
            return PolicyLoader.preset("score-threshold");
        } catch (InvalidPolicyException e) {
            throw new AssertionError(e);
        }
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
        store = new DynamoDbContacts(local.client(), table, POLICY, Clock.fixed(NOW, ZoneOffset.UTC), null);
        ledger = new DynamoDbAlertLedger(local.client(), table, Clock.fixed(NOW, ZoneOffset.UTC), null);
    }

    // Properties

    @Test
    void recording_properties_creates_the_profile_and_each_write_bumps_the_version_it_returns() {
        long first = store.recordProperties(EMAIL, Map.of("jobtitle", "Engineer", "company", "Acme"));
        long second = store.recordProperties(EMAIL, Map.of("jobtitle", "VP Engineering"));

        StoredContact loaded = store.load(EMAIL).orElseThrow();
        assertThat(first).isEqualTo(1);
        assertThat(second).isEqualTo(2);
        assertThat(loaded.version()).isEqualTo(2);
        assertThat(loaded.contact().properties()).containsExactlyInAnyOrderEntriesOf(
                Map.of("jobtitle", "VP Engineering", "company", "Acme"));
        assertThat(loaded.contact().stage()).isNull();
        assertThat(store.recordMoves(EMAIL, second, List.of(move(null, Stage.LEAD)), null)).isTrue();
    }

    @Test
    void properties_on_a_contact_known_from_its_signals_keep_the_signals() {
        store.recordSignal(new ContactRef.ByEmail(EmailAddress.parse(EMAIL)), new Signal.SalesAccepted("acc-1", NOW, "sam"));

        long version = store.recordProperties(EMAIL, Map.of("company", "Acme"));

        assertThat(version).isEqualTo(1);
        assertThat(store.load(EMAIL).orElseThrow().contact().signals()).extracting(Signal::id).containsExactly("acc-1");
        assertThat(store.load(EMAIL).orElseThrow().tally().total()).isEqualTo(1);
    }

    // Deals

    @Test
    void the_deals_made_for_alerts_are_read_back_oldest_first_and_a_contact_without_deals_has_none() {
        assertThat(store.deals(EMAIL)).isEmpty();
        store.recordSubmission(submission("sub-1", null));
        long v = store.load(EMAIL).orElseThrow().version();
        SqlAlert alert = alert("alert-1", 60_000L);
        assertThat(store.recordMoves(EMAIL, v, List.of(move(null, Stage.SALES_QUALIFIED_LEAD)), alert)).isTrue();
        String dealId = ledger.createDeal(alert);
        SqlAlert noBudget = alert("alert-2", null);
        store.recordMoves(EMAIL, v + 1, List.of(move(Stage.SALES_QUALIFIED_LEAD, Stage.LEAD)), null);
        store.recordMoves(EMAIL, v + 2, List.of(move(Stage.LEAD, Stage.SALES_QUALIFIED_LEAD)), noBudget);
        DynamoDbAlertLedger later = new DynamoDbAlertLedger(local.client(), table, Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC), null);
        String secondDealId = later.createDeal(noBudget);

        assertThat(store.deals(EMAIL)).containsExactly(
                new Deal(dealId, "default", "qualification", 60_000L, NOW, "sam"),
                new Deal(secondDealId, "default", "qualification", null, NOW.plusSeconds(60), "sam"));
    }

    // Erasure

    @Test
    void erasing_removes_the_profile_signals_alerts_deals_visitor_links_and_visitor_signals_so_a_scan_finds_nothing_of_them() {
        // An anonymous visitor, then a form linking it, the contact's own signals, an alert and its deal.
        store.recordSignal(new ContactRef.ByVisitor(VisitorId.parse("visitor-ana")), new Signal.PageViewed("v-1", NOW.minusSeconds(60), "/pricing"));
        store.recordSignal(new ContactRef.ByVisitor(VisitorId.parse("visitor-ana")), new Signal.SessionStarted("v-2", NOW.minusSeconds(61)));
        store.recordSubmission(submission("sub-1", "visitor-ana"));
        for (Signal s : Signals.everyKind("own-", NOW.minusSeconds(3600))) store.recordSignal(new ContactRef.ByEmail(EmailAddress.parse(EMAIL)), s);
        long v = store.load(EMAIL).orElseThrow().version();
        SqlAlert alert = alert("alert-1", 60_000L);
        store.recordMoves(EMAIL, v, List.of(move(null, Stage.SALES_QUALIFIED_LEAD)), alert);
        ledger.createDeal(alert);
        // Someone else, who must stay whole.
        store.recordSubmission(new FormSubmission("sub-bo", "demo", FormType.DEMO_REQUEST, EmailAddress.parse("bo@globex.com"),
                Map.of("firstname", "Bo"), VisitorId.parse("visitor-bo"), NOW));

        int removed = store.erase(EMAIL);

        // profile, the form's dedupe and signal items, its own signal items, alert, deal; the visitor's link and signals
        assertThat(removed).isEqualTo(1 + 2 + Signals.everyKind("own-", NOW).size() + 1 + 1 + 1 + 2);
        assertThat(scanFor(EMAIL, "visitor-ana")).isEmpty();
        assertThat(store.load(EMAIL)).isEmpty();
        assertThat(store.deals(EMAIL)).isEmpty();
        assertThat(store.emailOfVisitor("visitor-ana")).isEmpty();
        assertThat(store.load("bo@globex.com").orElseThrow().contact().properties()).containsEntry("firstname", "Bo");
        assertThat(store.emailOfVisitor("visitor-bo")).contains("bo@globex.com");
    }

    @Test
    void a_later_event_for_a_forgotten_visitor_id_stays_anonymous_until_a_new_form_links_it() {
        store.recordSubmission(submission("sub-1", "visitor-ana"));
        store.erase(EMAIL);

        store.recordSignal(new ContactRef.ByVisitor(VisitorId.parse("visitor-ana")), new Signal.PageViewed("v-later", NOW, "/pricing"));

        assertThat(store.emailOfVisitor("visitor-ana")).isEmpty();
        assertThat(store.load(EMAIL)).isEmpty();

        store.recordSubmission(new FormSubmission("sub-new", "demo", FormType.DEMO_REQUEST, EmailAddress.parse("cy@initech.com"), Map.of(),
                VisitorId.parse("visitor-ana"), NOW.plusSeconds(5)));
        SignalTally cy = store.load("cy@initech.com").orElseThrow().tally();
        assertThat(cy.total()).isEqualTo(2);
        assertThat(cy.total(SignalType.PAGE_VIEWED)).isEqualTo(1);
    }

    @Test
    void a_visitor_id_linked_to_someone_else_since_is_theirs_and_is_not_erased() {
        store.recordSignal(new ContactRef.ByVisitor(VisitorId.parse("shared-pc")), new Signal.PageViewed("v-1", NOW.minusSeconds(9), "/pricing"));
        store.recordSubmission(submission("sub-1", "shared-pc"));
        store.recordSubmission(new FormSubmission("sub-bo", "demo", FormType.DEMO_REQUEST, EmailAddress.parse("bo@globex.com"), Map.of(),
                VisitorId.parse("shared-pc"), NOW.plusSeconds(1)));

        int removed = store.erase(EMAIL);

        assertThat(removed).isEqualTo(3); // profile, the form's dedupe and signal items
        assertThat(store.emailOfVisitor("shared-pc")).contains("bo@globex.com");
        SignalTally bo = store.load("bo@globex.com").orElseThrow().tally();
        assertThat(bo.total()).isEqualTo(2);
        assertThat(bo.total(SignalType.PAGE_VIEWED)).isEqualTo(1);
        assertThat(scanFor(EMAIL)).isEmpty();
    }

    @Test
    void a_contact_known_only_from_signals_is_erased_and_an_unknown_email_removes_nothing() {
        for (int i = 0; i < 60; i++) { // more than one BatchWriteItem of 25
            store.recordSignal(new ContactRef.ByEmail(EmailAddress.parse(EMAIL)), new Signal.SessionStarted("s-" + i, NOW.minusSeconds(i)));
        }

        assertThat(store.erase(EMAIL)).isEqualTo(60); // one item a signal

        assertThat(scanFor(EMAIL)).isEmpty();
        assertThat(store.erase(EMAIL)).isZero();
        assertThat(store.erase("nobody@acme.com")).isZero();
    }

    @Test
    void deletes_that_DynamoDB_leaves_unprocessed_are_sent_again() {
        // Signal items as stored before tallies: 30 items to delete.
        for (int i = 0; i < 30; i++) {
            Signal s = new Signal.SessionStarted("s-" + i, NOW.minusSeconds(i));
            local.client().putItem(b -> b.tableName(table).item(dev.handoff.aws.SignalItems.toItem(dev.handoff.aws.ContactTable.contactKey(EMAIL), s, 90)));
        }
        ThrottlingClient throttling = new ThrottlingClient(local.client());
        DynamoDbContacts throttled = new DynamoDbContacts(throttling, table, POLICY);

        assertThat(throttled.erase(EMAIL)).isEqualTo(30);

        assertThat(throttling.unprocessed.get()).isPositive();
        assertThat(throttling.batches.get()).isGreaterThan(2); // 25 + 5, and the leftovers again
        assertThat(scanFor(EMAIL)).isEmpty();
    }

    // Helpers

    /** Every item of the table in which any value mentions one of {@code needles}. */
    private List<Map<String, AttributeValue>> scanFor(String... needles) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        local.client().scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(item -> {
            String text = item.toString().toLowerCase();
            for (String n : needles) {
                if (text.contains(n.toLowerCase())) {
                    found.add(item);
                    return;
                }
            }
        });
        return found;
    }

    private static FormSubmission submission(String id, String visitorId) {
        return new FormSubmission(id, "demo", FormType.DEMO_REQUEST, EmailAddress.parse(EMAIL),
                Map.of("firstname", "Ana", "company", "Acme", "budget", "60000"), visitorId == null ? null : VisitorId.parse(visitorId), NOW);
    }

    private static StageMove move(Stage from, Stage to) {
        return new StageMove(from, to, NOW, Reason.MANUAL, "sam", "policy-1", "note about " + EMAIL);
    }

    private static SqlAlert alert(String id, Long amount) {
        return new SqlAlert(id, NOW, "policy-1", new SqlAlert.ContactCard(EMAIL, "Ana", null, "Acme", null),
                Stage.LEAD, Stage.SALES_QUALIFIED_LEAD, "manual", "said so", 50, 10, List.of(), "sam", amount);
    }

    /** DynamoDB Local, except that the first BatchWriteItem processes only its first 10 deletes. */
    private static final class ThrottlingClient implements DynamoDbClient {
        private final DynamoDbClient real;
        final AtomicInteger batches = new AtomicInteger();
        final AtomicInteger unprocessed = new AtomicInteger();

        ThrottlingClient(DynamoDbClient real) {
            this.real = real;
        }

        @Override
        public QueryResponse query(QueryRequest request) {
            return real.query(request);
        }

        @Override
        public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
            if (batches.getAndIncrement() > 0) return real.batchWriteItem(request);
            Map.Entry<String, List<WriteRequest>> only = request.requestItems().entrySet().iterator().next();
            List<WriteRequest> done = only.getValue().subList(0, 10);
            List<WriteRequest> left = only.getValue().subList(10, only.getValue().size());
            real.batchWriteItem(request.toBuilder().requestItems(Map.of(only.getKey(), done)).build());
            unprocessed.addAndGet(left.size());
            return BatchWriteItemResponse.builder().unprocessedItems(Map.of(only.getKey(), left)).build();
        }

        @Override
        public String serviceName() {
            return real.serviceName();
        }

        @Override
        public void close() {}
    }
}
