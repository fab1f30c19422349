package dev.handoff.functions.qualification;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.handoff.aws.ContactTable;
import dev.handoff.aws.DynamoDbContacts;
import dev.handoff.aws.Env;
import dev.handoff.aws.dynamodb.LocalTable;
import dev.handoff.core.EmailAddress;
import dev.handoff.core.FormType;
import dev.handoff.core.Stage;
import dev.handoff.core.app.FormSubmission;
import dev.handoff.core.policy.Policy;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The qualification handler alone, fed events/qualification-stream-batch.json (a signal item inserted for ana@acme.com, as
 * the table's stream delivers it) and events/qualification-requalify-batch.json (requalify.sh's request on her
 * profile), on DynamoDB Local in this JVM.
 */
@ExtendWith(LocalTable.Shared.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DynamoDbStreamQualificationHandlerTest {
    private static final Policy POLICY = new Env(Map.of(Env.POLICY, "score-threshold")).policy();
    private static final String ANA = "ana@acme.com";

    private LocalTable dynamoDb;
    private String table;
    private DynamoDbContacts contacts;
    private DynamoDbStreamQualificationHandler handler;

    @BeforeEach
    void freshTable(LocalTable dynamoDb) {
        this.dynamoDb = dynamoDb;
        table = dynamoDb.newTable();
        contacts = new DynamoDbContacts(dynamoDb.client(), table, POLICY);
        handler = new DynamoDbStreamQualificationHandler(contacts, POLICY, Clock.systemUTC(), dev.handoff.aws.Log.stdout(dev.handoff.aws.ContactHash.withKey("handler-test-key-0123456789")));
    }

    /** What the sample form post stores: a demo request from an ICP contact, a fast track to SQL. */
    private void demoRequest() {
        contacts.recordSubmission(new FormSubmission("sub-0001", "demo-request", FormType.DEMO_REQUEST,
                EmailAddress.parse(ANA), Map.of("jobtitle", "VP Engineering", "numberofemployees", "500", "budget", "60000"),
                null, Instant.now()));
    }

    @ParameterizedTest
    @Event(value = "events/qualification-stream-batch.json", type = DynamodbEvent.class)
    void the_contact_the_record_names_is_qualified_and_its_move_into_SQL_recorded_with_one_alert(DynamodbEvent batch) {
        demoRequest();

        StreamsEventResponse response = handler.handleRequest(batch, null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(contacts.load(ANA).orElseThrow().contact().stage()).isEqualTo(Stage.SALES_QUALIFIED_LEAD);
        assertThat(alertItems()).hasSize(1);
    }

    @ParameterizedTest
    @Event(value = "events/qualification-stream-batch.json", type = DynamodbEvent.class)
    void the_record_delivered_again_moves_nobody_and_keeps_the_one_alert(DynamodbEvent batch) {
        demoRequest();
        handler.handleRequest(batch, null);
        Set<String> first = alertItems();

        StreamsEventResponse again = handler.handleRequest(batch, null);

        assertThat(again.getBatchItemFailures()).isEmpty();
        assertThat(alertItems()).isEqualTo(first);
        assertThat(contacts.load(ANA).orElseThrow().contact().history()).extracting(m -> m.to())
                .containsExactly(Stage.LEAD, Stage.SALES_QUALIFIED_LEAD);
    }

    @ParameterizedTest
    @Event(value = "events/qualification-stream-batch.json", type = DynamodbEvent.class)
    void a_record_about_a_contact_erased_since_is_passed_over_without_failing(DynamodbEvent batch) {
        StreamsEventResponse response = handler.handleRequest(batch, null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(contacts.load(ANA)).isEmpty();
        assertThat(dynamoDb.items(table, "C#" + ANA, "")).as("nothing written for someone erased").isEmpty();
    }

    @ParameterizedTest
    @Event(value = "events/qualification-stream-batch.json", type = DynamodbEvent.class)
    void a_store_that_fails_reports_the_record_so_the_stream_retries_from_it(DynamodbEvent batch) {
        var missingTable = new DynamoDbContacts(dynamoDb.client(), "no-such-table", POLICY);
        var failing = new DynamoDbStreamQualificationHandler(missingTable, POLICY, Clock.systemUTC(), dev.handoff.aws.Log.stdout(dev.handoff.aws.ContactHash.withKey("handler-test-key-0123456789")));

        StreamsEventResponse response = failing.handleRequest(batch, null);

        assertThat(response.getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(batch.getRecords().get(0).getDynamodb().getSequenceNumber());
    }

    @ParameterizedTest
    @Event(value = "events/qualification-requalify-batch.json", type = DynamodbEvent.class)
    void a_requalify_request_re_evaluates_the_contact_as_a_new_signal_would(DynamodbEvent batch) {
        demoRequest();

        StreamsEventResponse response = handler.handleRequest(batch, null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(contacts.load(ANA).orElseThrow().contact().stage()).isEqualTo(Stage.SALES_QUALIFIED_LEAD);
        assertThat(alertItems()).hasSize(1);
    }

    @ParameterizedTest
    @Event(value = "events/qualification-requalify-batch.json", type = DynamodbEvent.class)
    void a_profile_change_that_keeps_its_requalify_id_is_not_a_request(DynamodbEvent batch) {
        demoRequest();
        var change = batch.getRecords().get(0).getDynamodb();
        change.getOldImage().put(ContactTable.REQUALIFY, change.getNewImage().get(ContactTable.REQUALIFY)); // e.g. a stage move

        StreamsEventResponse response = handler.handleRequest(batch, null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(contacts.load(ANA).orElseThrow().contact().stage()).isNull();
        assertThat(alertItems()).isEmpty();
    }

    private Set<String> alertItems() {
        return Set.copyOf(dynamoDb.items(table, ContactTable.contactKey(ANA), ContactTable.ALERT_PREFIX).stream()
                .map(i -> i.get(ContactTable.SK).s()).toList());
    }
}
