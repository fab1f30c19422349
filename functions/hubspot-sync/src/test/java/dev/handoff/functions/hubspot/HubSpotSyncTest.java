package dev.handoff.functions.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.handoff.aws.ContactTable;
import dev.handoff.aws.DynamoDbHubSpotLedger;
import dev.handoff.core.policy.Routing;
import dev.handoff.local.EmbeddedDynamoDb;
import dev.handoff.local.MotoServer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * PRODUCT §3, the HubSpot sync, against the HubSpot stand-in, DynamoDB Local (the alert ledger) and moto_server's
 * SQS (the dead-letter queue): exactly one lifecycle update (or create) and one associated deal per SQL, under
 * redelivery, concurrent SQLs, a crash between the deal's create and its record, throttling and a 502.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HubSpotSyncTest {
    static final Routing ROUTING = new Routing(List.of(new Routing.Pool("all", null,
            List.of(new Routing.Owner("ana", "1234", 1), new Routing.Owner("bo", null, 1)))));
    private static EmbeddedDynamoDb dynamo;
    private static MotoServer moto;
    private static final AtomicInteger TABLES = new AtomicInteger();

    private String table;
    private String dlq;
    private HubSpotStandIn hubspot;

    @BeforeAll
    static void engines() {
        dynamo = new EmbeddedDynamoDb();
        moto = new MotoServer();
    }

    @AfterAll
    static void stop() {
        dynamo.close();
        moto.close();
    }

    @BeforeEach
    void fresh() throws Exception {
        table = "hubspot-" + TABLES.incrementAndGet();
        ContactTable.create(dynamo.client(), table);
        dlq = moto.sqsClient().createQueue(b -> b.queueName(table + "-dlq")).queueUrl();
        hubspot = new HubSpotStandIn(100, 10_000);
    }

    @AfterEach
    void close() {
        hubspot.close();
    }

    // ---------------------------------------------------------------------------------------------- helpers

    SqsHubSpotSyncHandler handler(DynamoDbClient ddb, Supplier<String> token) {
        HubSpotClient client = new HubSpotClient(HubSpotClient.defaultHttpClient(), hubspot.url(), token);
        HubSpotSync sync = new HubSpotSync(client, new DynamoDbHubSpotLedger(ddb, table), ROUTING,
                new HubSpotSync.Settings("default", "appointmentscheduled"));
        return new SqsHubSpotSyncHandler(sync, SqsHubSpotSyncHandler.DeadLetters.sqs(moto.sqsClient(), dlq), Clock.systemUTC(),
                dev.handoff.aws.Log.stdout(dev.handoff.aws.ContactHash.withKey("hubspot-test-key-0123456789")));
    }

    SqsHubSpotSyncHandler handler() {
        return handler(dynamo.client(), () -> HubSpotStandIn.TOKEN);
    }

    /** An SQL as the alerts function records it (its outbox item), and the bus's message for it. */
    SQSEvent.SQSMessage sql(String email, String owner) {
        String alertId = UUID.randomUUID().toString();
        dynamo.client().putItem(b -> b.tableName(table).item(Map.of(
                ContactTable.PK, AttributeValue.fromS(ContactTable.contactKey(email)),
                ContactTable.SK, AttributeValue.fromS(ContactTable.alertKey(alertId)),
                ContactTable.CREATED_AT, AttributeValue.fromS("2026-11-28T10:00:00Z"))));
        String detail = """
                {"alertId": "%s", "type": "SalesQualifiedLead", "occurredAt": "2026-11-28T10:00:00Z", "policyVersion": "v1",
                 "contact": {"email": "%s", "firstname": "Ana", "lastname": "Lima", "company": "Acme", "jobtitle": "VP Engineering"},
                 "stage": {"from": "marketingqualifiedlead", "to": "salesqualifiedlead"},
                 "reason": {"code": "score-threshold", "detail": "engagement 60"}, "scores": {"fit": 60, "engagement": 60},
                 "topSignals": [], "owner": %s, "deal": {"amount": 60000}, "dealId": "%s"}
                """.formatted(alertId, email, owner == null ? "null" : "\"" + owner + "\"", alertId);
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId(UUID.randomUUID().toString());
        m.setBody("{\"version\": \"0\", \"id\": \"" + UUID.randomUUID() + "\", \"detail-type\": \"ContactBecameSalesQualified\","
                + " \"source\": \"handoff.qualification\", \"detail\": " + detail + "}");
        return m;
    }

    static String alertId(SQSEvent.SQSMessage m) {
        try {
            return QualifiedEvent.parse(m.getBody()).alertId();
        } catch (QualifiedEvent.UndecodableException e) {
            throw new AssertionError(e);
        }
    }

    static SQSEvent batch(SQSEvent.SQSMessage... messages) {
        SQSEvent e = new SQSEvent();
        e.setRecords(List.of(messages));
        return e;
    }

    static List<String> failed(SQSBatchResponse r) {
        return r.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList();
    }

    List<Message> deadLetters() {
        SqsClient sqs = moto.sqsClient();
        return sqs.receiveMessage(b -> b.queueUrl(dlq).maxNumberOfMessages(10).messageAttributeNames("All")).messages();
    }

    void assertOneOfEach(String email, String alertId) {
        assertThat(hubspot.contactWrites(email)).as("contact writes for one SQL").isEqualTo(1);
        assertThat(hubspot.dealsFor(alertId)).as("deals for one SQL").isEqualTo(1);
        DynamoDbHubSpotLedger.Progress p = new DynamoDbHubSpotLedger(dynamo.client(), table).progress(email, alertId).orElseThrow();
        assertThat(p.contactId()).isEqualTo(hubspot.contact(email).id());
        assertThat(p.dealId()).isEqualTo(hubspot.dealOf(alertId).id());
    }

    // ------------------------------------------------------------------------------------------------ tests

    @Test
    void an_SQL_unknown_to_HubSpot_is_created_as_SQL_with_one_deal_associated_in_the_pipeline_and_its_ids_recorded() {
        SQSEvent.SQSMessage m = sql("ana@acme.com", "ana");
        assertThat(failed(handler().handleRequest(batch(m), null))).isEmpty();

        String alertId = alertId(m);
        assertOneOfEach("ana@acme.com", alertId);
        HubSpotStandIn.Contact c = hubspot.contact("ana@acme.com");
        assertThat(c.properties()).containsEntry("lifecyclestage", "salesqualifiedlead").containsEntry("firstname", "Ana")
                .containsEntry("company", "Acme").containsEntry("hubspot_owner_id", "1234");
        HubSpotStandIn.Deal d = hubspot.dealOf(alertId);
        assertThat(d.contactId()).isEqualTo(c.id());
        assertThat(d.properties()).containsEntry("pipeline", "default").containsEntry("dealstage", "appointmentscheduled")
                .containsEntry("amount", "60000").containsEntry("hubspot_owner_id", "1234")
                .containsEntry("dealname", "Acme - sales qualified lead");
        assertThat(hubspot.requests).containsExactly(
                "PATCH /crm/v3/objects/contacts/ana%40acme.com", "POST /crm/v3/objects/contacts",
                "GET /crm/v3/objects/deals/" + alertId, "POST /crm/v3/objects/deals");
        assertThat(new DynamoDbHubSpotLedger(dynamo.client(), table).latest("ana@acme.com"))
                .contains(new DynamoDbHubSpotLedger.Links(c.id(), d.id()));
    }

    @Test
    void a_contact_HubSpot_has_further_along_keeps_its_stage_and_an_owner_without_a_HubSpot_id_is_left_out() {
        hubspot.seedContact("bo@globex.com", "customer");
        SQSEvent.SQSMessage m = sql("bo@globex.com", "bo");
        assertThat(failed(handler().handleRequest(batch(m), null))).isEmpty();
        assertThat(hubspot.contact("bo@globex.com").properties()).containsEntry("lifecyclestage", "customer")
                .doesNotContainKey("hubspot_owner_id");
        assertOneOfEach("bo@globex.com", alertId(m));
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void a_message_delivered_again_and_again_updates_once_and_makes_one_deal() {
        SQSEvent.SQSMessage m = sql("ana@acme.com", null);
        SqsHubSpotSyncHandler h = handler();
        for (int i = 0; i < 3; i++) assertThat(failed(h.handleRequest(batch(m), null))).isEmpty();
        assertThat(failed(h.handleRequest(batch(m, m), null))).isEmpty();
        assertOneOfEach("ana@acme.com", alertId(m));
    }

    @Test
    void concurrent_SQLs_each_delivered_twice_at_once_get_one_update_and_one_deal_each() throws Exception {
        List<SQSEvent.SQSMessage> messages = new ArrayList<>();
        for (int i = 0; i < 10; i++) messages.add(sql("p" + i + "@acme.com", i % 2 == 0 ? "ana" : null));
        SqsHubSpotSyncHandler h = handler();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            // Every message twice, in parallel; a delivery that finds the other holding its alert reports it failed,
            // and SQS would deliver it again: so run rounds until nothing fails.
            List<SQSEvent.SQSMessage> pending = new ArrayList<>(messages);
            for (int round = 0; round < 5 && !pending.isEmpty(); round++) {
                List<Callable<SQSBatchResponse>> calls = new ArrayList<>();
                for (SQSEvent.SQSMessage m : pending) {
                    calls.add(() -> h.handleRequest(batch(m), null));
                    calls.add(() -> h.handleRequest(batch(m), null));
                }
                List<String> failedIds = new ArrayList<>();
                for (Future<SQSBatchResponse> f : pool.invokeAll(calls)) failedIds.addAll(failed(f.get()));
                pending = pending.stream().filter(m -> failedIds.contains(m.getMessageId())).toList();
            }
            assertThat(pending).isEmpty();
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < 10; i++) assertOneOfEach("p" + i + "@acme.com", alertId(messages.get(i)));
    }

    @Test
    void a_crash_between_the_deal_create_and_its_record_makes_no_second_deal() {
        // The ledger's write of the deal id fails once, after HubSpot made the deal: as if the function died there.
        AtomicBoolean crashed = new AtomicBoolean();
        DynamoDbClient crashing = new DelegatingDynamoDb(dynamo.client()) {
            @Override
            public UpdateItemResponse updateItem(UpdateItemRequest r) {
                if (r.expressionAttributeNames().containsValue(DynamoDbHubSpotLedger.DEAL_ID) && crashed.compareAndSet(false, true)) {
                    throw new IllegalStateException("crash before the deal id was recorded");
                }
                return super.updateItem(r);
            }
        };
        SQSEvent.SQSMessage m = sql("ana@acme.com", null);
        assertThat(failed(handler(crashing, () -> HubSpotStandIn.TOKEN).handleRequest(batch(m), null))).containsExactly(m.getMessageId());
        assertThat(hubspot.dealsFor(alertId(m))).isEqualTo(1);
        // SQS delivers it again once the visibility timeout is over, by then the crashed attempt's lease has run
        // out (here: taken away); the retry finds the deal by its alert id instead of making another.
        dynamo.client().updateItem(b -> b.tableName(table)
                .key(Map.of(ContactTable.PK, AttributeValue.fromS(ContactTable.contactKey("ana@acme.com")),
                        ContactTable.SK, AttributeValue.fromS(ContactTable.alertKey(alertId(m)))))
                .updateExpression("REMOVE " + DynamoDbHubSpotLedger.LEASE_UNTIL));
        assertThat(failed(handler().handleRequest(batch(m), null))).isEmpty();
        assertOneOfEach("ana@acme.com", alertId(m));
    }

    @Test
    void a_deal_made_whose_answer_was_lost_is_found_by_its_alert_id_and_not_made_again() {
        hubspot.loseNextDealAnswer();
        SQSEvent.SQSMessage m = sql("ana@acme.com", null);
        assertThat(failed(handler().handleRequest(batch(m), null))).isEmpty();
        assertOneOfEach("ana@acme.com", alertId(m));
    }

    @Test
    void a_502_is_retried_with_backoff_and_still_writes_once() {
        hubspot.inject("/crm/v3/objects/contacts", 502, 2);
        hubspot.inject("/crm/v3/objects/deals", 503, 1);
        SQSEvent.SQSMessage m = sql("ana@acme.com", null);
        assertThat(failed(handler().handleRequest(batch(m), null))).isEmpty();
        assertOneOfEach("ana@acme.com", alertId(m));
    }

    @Test
    void a_burst_past_the_rate_limit_is_throttled_with_429s_and_every_SQL_still_syncs_once() throws Exception {
        hubspot.close();
        hubspot = new HubSpotStandIn(6, 1_000);
        List<SQSEvent.SQSMessage> messages = new ArrayList<>();
        for (int i = 0; i < 6; i++) messages.add(sql("t" + i + "@acme.com", null));
        // Two containers at once (the queue's maximum concurrency), each with its own client: neither knows what
        // the other spent of the window, so HubSpot answers 429s, and each waits as Retry-After says.
        SqsHubSpotSyncHandler first = handler();
        SqsHubSpotSyncHandler second = handler();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<SQSBatchResponse>> runs = new ArrayList<>();
            runs.add(pool.submit(() -> first.handleRequest(batch(messages.subList(0, 3).toArray(SQSEvent.SQSMessage[]::new)), null)));
            runs.add(pool.submit(() -> second.handleRequest(batch(messages.subList(3, 6).toArray(SQSEvent.SQSMessage[]::new)), null)));
            for (Future<SQSBatchResponse> f : runs) assertThat(failed(f.get())).isEmpty();
        } finally {
            pool.shutdownNow();
        }
        assertThat(hubspot.throttled.get()).as("429s answered").isPositive();
        for (int i = 0; i < 6; i++) assertOneOfEach("t" + i + "@acme.com", alertId(messages.get(i)));
    }

    @Test
    void a_refused_request_goes_to_the_dead_letter_queue_with_the_reason_and_the_rest_of_the_batch_goes_on() {
        SQSEvent.SQSMessage refused = sql("ana@acme.com", null);
        SQSEvent.SQSMessage bad = new SQSEvent.SQSMessage();
        bad.setMessageId("bad-1");
        bad.setBody("{\"detail-type\": \"SomethingElse\", \"detail\": {}}");
        SqsHubSpotSyncHandler wrongToken = handler(dynamo.client(), () -> "not-the-token");
        assertThat(failed(wrongToken.handleRequest(batch(refused, bad), null))).isEmpty();
        assertThat(hubspot.unauthorized.get()).isEqualTo(1);
        List<Message> dead = deadLetters();
        assertThat(dead).extracting(d -> d.messageAttributes().get("reason").stringValue()).containsExactlyInAnyOrder(
                "detail-type is not ContactBecameSalesQualified",
                dead.stream().map(d -> d.messageAttributes().get("reason").stringValue())
                        .filter(r -> r.startsWith("HubSpot refused: update contact answered 401 INVALID_AUTHENTICATION")).findFirst()
                        .orElse("(no 401 reason)"));
        assertThat(dead).extracting(Message::body).contains(refused.getBody());
        assertThat(hubspot.contactsByEmail).isEmpty();
    }

    @Test
    void an_alert_whose_contact_was_erased_is_not_synced() {
        SQSEvent.SQSMessage m = sql("gone@acme.com", null);
        dynamo.client().deleteItem(b -> b.tableName(table).key(Map.of(
                ContactTable.PK, AttributeValue.fromS(ContactTable.contactKey("gone@acme.com")),
                ContactTable.SK, AttributeValue.fromS(ContactTable.alertKey(alertId(m))))));
        assertThat(failed(handler().handleRequest(batch(m), null))).isEmpty();
        assertThat(hubspot.requests).isEmpty();
    }

    /** A DynamoDB client that passes every call used here to the real one; tests override one to fail. */
    static class DelegatingDynamoDb implements DynamoDbClient {
        private final DynamoDbClient real;

        DelegatingDynamoDb(DynamoDbClient real) {
            this.real = real;
        }

        @Override
        public GetItemResponse getItem(GetItemRequest r) {
            return real.getItem(r);
        }

        @Override
        public UpdateItemResponse updateItem(UpdateItemRequest r) {
            return real.updateItem(r);
        }

        @Override
        public QueryResponse query(QueryRequest r) {
            return real.query(r);
        }

        @Override
        public String serviceName() {
            return real.serviceName();
        }

        @Override
        public void close() {}
    }
}
