package dev.handoff.functions.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.handoff.aws.ContactTable;
import dev.handoff.aws.DynamoDbContacts;
import dev.handoff.aws.dynamodb.LocalTable;
import dev.handoff.core.Signal;
import dev.handoff.core.app.Ingest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The tracking handler alone, fed events/tracking-events-sqs-batch.json (one message of each detail-type, as the
 * SQS event source mapping delivers them), on DynamoDB Local in this JVM.
 */
@ExtendWith(LocalTable.Shared.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqsTrackingEventHandlerTest {
    /** The day after the samples happened: their times are recent, none is in the future. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC);
    private static final int WINDOW_DAYS = 90;

    private LocalTable dynamoDb;
    private String table;
    private DynamoDbContacts contacts;
    private SqsTrackingEventHandler handler;

    @BeforeEach
    void freshTable(LocalTable dynamoDb) {
        this.dynamoDb = dynamoDb;
        table = dynamoDb.newTable();
        contacts = new DynamoDbContacts(dynamoDb.client(), table, policy(), CLOCK, null);
        handler = new SqsTrackingEventHandler(new Ingest(contacts), CLOCK, dev.handoff.aws.Log.stdout(dev.handoff.aws.ContactHash.withKey("handler-test-key-0123456789")));
    }

    @ParameterizedTest
    @Event(value = "events/tracking-events-sqs-batch.json", type = SQSEvent.class)
    void every_sample_event_is_recorded_for_whom_it_names_and_none_fails(SQSEvent batch) {
        SQSBatchResponse response = handler.handleRequest(batch, null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(contacts.load("ana@acme.com").orElseThrow().tally().total()).isEqualTo(7);
        assertThat(visitorSignals("v-7f3a9c")).isEqualTo(2);
    }

    @ParameterizedTest
    @Event(value = "events/tracking-events-sqs-batch.json", type = SQSEvent.class)
    void the_batch_delivered_again_records_nothing_twice(SQSEvent batch) {
        handler.handleRequest(batch, null);
        SQSBatchResponse again = handler.handleRequest(batch, null);

        assertThat(again.getBatchItemFailures()).isEmpty();
        assertThat(contacts.load("ana@acme.com").orElseThrow().tally().total()).isEqualTo(7);
        assertThat(visitorSignals("v-7f3a9c")).isEqualTo(2);
    }

    @ParameterizedTest
    @Event(value = "events/tracking-events-sqs-batch.json", type = SQSEvent.class)
    void an_event_that_cannot_be_understood_fails_alone_and_the_rest_of_its_batch_is_recorded(SQSEvent batch) {
        SQSEvent.SQSMessage broken = batch.getRecords().get(4);
        broken.setBody(broken.getBody().replace("\"eventId\"", "\"notTheEventId\""));

        SQSBatchResponse response = handler.handleRequest(batch, null);

        assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(broken.getMessageId());
        assertThat(contacts.load("ana@acme.com").orElseThrow().tally().total()).isEqualTo(6);
    }

    /** The signal items an anonymous visitor's partition holds. */
    private int visitorSignals(String visitorId) {
        return dynamoDb.items(table, ContactTable.visitorKey(visitorId), ContactTable.VISITOR_LOG_PREFIX).size();
    }

    private static dev.handoff.core.policy.Policy policy() {
        try {
            return dev.handoff.core.policy.PolicyLoader.preset("score-threshold");
        } catch (dev.handoff.core.policy.InvalidPolicyException e) {
            throw new AssertionError(e);
        }
    }

    private int itemsOf(String pk) {
        return dynamoDb.items(table, pk, "").size();
    }
}
