package dev.handoff.functions.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.handoff.aws.DynamoDbContacts;
import dev.handoff.aws.DynamoDbVisitorLinks;
import dev.handoff.aws.dynamodb.LocalTable;
import dev.handoff.core.Signal;
import dev.handoff.core.Stage;
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
 * The tracking handler fed events/tracking-partners-sqs-batch.json (PRODUCT §2.5): Segment's page and identify,
 * RudderStack's, SES's open and click, and a Segment track call, as the tracking queue delivers them.
 */
@ExtendWith(LocalTable.Shared.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqsTrackingEventHandlerPartnersTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC);

    private DynamoDbContacts contacts;
    private SqsTrackingEventHandler handler;

    @BeforeEach
    void freshTable(LocalTable dynamoDb) {
        String table = dynamoDb.newTable();
        contacts = new DynamoDbContacts(dynamoDb.client(), table, 90, CLOCK, null);
        handler = new SqsTrackingEventHandler(new Ingest(contacts), new DynamoDbVisitorLinks(dynamoDb.client(), table),
                "sample/1", CLOCK, dev.handoff.aws.Log.stdout(dev.handoff.aws.ContactHash.withKey("handler-test-key-0123456789")));
    }

    @ParameterizedTest
    @Event(value = "events/tracking-partners-sqs-batch.json", type = SQSEvent.class)
    void every_sample_is_decoded_and_the_track_call_is_ignored_without_failing(SQSEvent batch) {
        SQSBatchResponse response = handler.handleRequest(batch, null);
        assertThat(response.getBatchItemFailures()).isEmpty();

        // Segment's identify: cy@acme.com created as a lead, linked to the visitor whose page view it had.
        var cy = contacts.load("cy@acme.com").orElseThrow();
        assertThat(cy.contact().stage()).isEqualTo(Stage.LEAD);
        assertThat(cy.contact().visitorIds()).extracting(v -> v.toString()).anyMatch(v -> v.contains("a9c1f0e2-4b7d-4e8a-9f31-0c2d6e5b8a71"));
        assertThat(cy.contact().signals()).singleElement().isInstanceOfSatisfying(Signal.PageViewed.class,
                p -> assertThat(p.path()).isEqualTo("/pricing"));
        // RudderStack's, through context.traits and context.page.url.
        assertThat(contacts.load("dee@globex.com").orElseThrow().contact().signals()).singleElement()
                .isInstanceOfSatisfying(Signal.PageViewed.class, p -> assertThat(p.path()).isEqualTo("/docs/start"));
        // SES: an open and a click of the nov-launch campaign for the address the mail went to.
        assertThat(contacts.load("kim@initech.com").orElseThrow().contact().signals())
                .extracting(s -> s.getClass().getSimpleName()).containsExactlyInAnyOrder("EmailOpened", "EmailClicked");
    }

    @ParameterizedTest
    @Event(value = "events/tracking-partners-sqs-batch.json", type = SQSEvent.class)
    void the_batch_delivered_again_records_nothing_twice(SQSEvent batch) {
        handler.handleRequest(batch, null);
        assertThat(handler.handleRequest(batch, null).getBatchItemFailures()).isEmpty();
        assertThat(contacts.load("kim@initech.com").orElseThrow().contact().signals()).hasSize(2);
        assertThat(contacts.load("cy@acme.com").orElseThrow().contact().history()).hasSize(1);
    }
}
