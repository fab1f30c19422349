package dev.handoff.functions.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.handoff.aws.DynamoDbContacts;
import dev.handoff.aws.EventBridgeQualificationEvents;
import dev.handoff.aws.SnsAlerts;
import dev.handoff.aws.StreamImages;
import dev.handoff.aws.dynamodb.LocalTable;
import dev.handoff.core.app.AlertDispatcher;
import dev.handoff.local.LocalAws;
import dev.handoff.local.MotoServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The alerts handler alone, fed events/alert-stream-batch.json (a new alert outbox item, as the table's stream
 * delivers it), on DynamoDB Local in this JVM and moto's SNS and EventBridge; an SQS queue subscribed to the
 * topic shows what was published.
 */
@ExtendWith(LocalTable.Shared.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DynamoDbStreamAlertHandlerTest {
    private static final String ALERT_ID = "2abbea5c-26b7-3455-8113-736c37a07bf7";
    private static MotoServer moto;
    private static SnsClient sns;
    private static SqsClient sqs;
    private static EventBridgeClient eventBridge;

    private LocalTable dynamoDb;
    private String table;
    private String topicArn;
    private String subscriberUrl;
    private DynamoDbContacts ledger;

    @BeforeAll
    static void startEngines() {
        moto = new MotoServer();
        sns = LocalAws.configure(SnsClient.builder(), moto.endpoint()).build();
        eventBridge = LocalAws.configure(EventBridgeClient.builder(), moto.endpoint()).build();
        sqs = moto.sqsClient();
    }

    @AfterAll
    static void stopEngines() {
        if (sns != null) sns.close();
        if (eventBridge != null) eventBridge.close();
        if (sqs != null) sqs.close();
        if (moto != null) moto.close();
    }

    @BeforeEach
    void freshTableTopicAndBus(LocalTable dynamoDb) {
        this.dynamoDb = dynamoDb;
        table = dynamoDb.newTable();
        String name = table;
        ledger = new DynamoDbContacts(dynamoDb.client(), table, 90);
        topicArn = sns.createTopic(r -> r.name(name)).topicArn();
        subscriberUrl = sqs.createQueue(r -> r.queueName(name)).queueUrl();
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(subscriberUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(queueArn).attributes(Map.of("RawMessageDelivery", "true")));
        eventBridge.createEventBus(r -> r.name(name));
    }

    private DynamoDbStreamAlertHandler handler(String topic) {
        return new DynamoDbStreamAlertHandler(new AlertDispatcher(ledger, new SnsAlerts(sns, topic),
                new EventBridgeQualificationEvents(eventBridge, table)), dev.handoff.aws.Log.stdout(dev.handoff.aws.ContactHash.withKey("handler-test-key-0123456789")));
    }

    /** What the qualification function wrote in the same transaction as the move: the outbox item of the record. */
    private void outboxItemOf(DynamodbEvent batch) {
        var item = StreamImages.toSdk(batch.getRecords().get(0).getDynamodb().getNewImage());
        dynamoDb.client().putItem(r -> r.tableName(table).item(item));
    }

    @ParameterizedTest
    @Event(value = "events/alert-stream-batch.json", type = DynamodbEvent.class)
    void the_alert_of_the_record_is_published_with_its_id_its_deal_made_and_each_step_recorded(DynamodbEvent batch) {
        outboxItemOf(batch);

        StreamsEventResponse response = handler(topicArn).handleRequest(batch, null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(published()).singleElement().satisfies(message -> assertThat(message).contains("\"alertId\":\"" + ALERT_ID + "\""));
        assertThat(ledger.progress("ana@acme.com", ALERT_ID)).hasValueSatisfying(p -> {
            assertThat(p.dealId()).isEqualTo(ALERT_ID);
            assertThat(p.eventPut()).isTrue();
            assertThat(p.published()).isTrue();
        });
        assertThat(ledger.deals("ana@acme.com")).singleElement().satisfies(d -> assertThat(d.amount()).isEqualTo(60_000L));
    }

    @ParameterizedTest
    @Event(value = "events/alert-stream-batch.json", type = DynamodbEvent.class)
    void the_record_delivered_again_publishes_nothing_more(DynamodbEvent batch) {
        outboxItemOf(batch);
        handler(topicArn).handleRequest(batch, null);

        StreamsEventResponse again = handler(topicArn).handleRequest(batch, null);

        assertThat(again.getBatchItemFailures()).isEmpty();
        assertThat(published()).hasSize(1);
        assertThat(ledger.deals("ana@acme.com")).hasSize(1);
    }

    @ParameterizedTest
    @Event(value = "events/alert-stream-batch.json", type = DynamodbEvent.class)
    void an_alert_whose_contact_was_erased_before_it_was_sent_is_not_sent(DynamodbEvent batch) {
        StreamsEventResponse response = handler(topicArn).handleRequest(batch, null);

        assertThat(response.getBatchItemFailures()).isEmpty();
        assertThat(published()).isEmpty();
        assertThat(ledger.deals("ana@acme.com")).isEmpty();
    }

    @ParameterizedTest
    @Event(value = "events/alert-stream-batch.json", type = DynamodbEvent.class)
    void a_publish_that_fails_reports_the_record_and_the_retry_does_only_what_is_left(DynamodbEvent batch) {
        outboxItemOf(batch);
        String deleted = sns.createTopic(r -> r.name(table + "-gone")).topicArn();
        sns.deleteTopic(r -> r.topicArn(deleted));

        StreamsEventResponse failed = handler(deleted).handleRequest(batch, null);

        assertThat(failed.getBatchItemFailures()).extracting(StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly(batch.getRecords().get(0).getDynamodb().getSequenceNumber());
        assertThat(ledger.progress("ana@acme.com", ALERT_ID)).hasValueSatisfying(p -> {
            assertThat(p.dealId()).isEqualTo(ALERT_ID);
            assertThat(p.eventPut()).isTrue();
            assertThat(p.published()).isFalse();
        });

        assertThat(handler(topicArn).handleRequest(batch, null).getBatchItemFailures()).isEmpty();
        assertThat(published()).hasSize(1);
        assertThat(ledger.deals("ana@acme.com")).hasSize(1);
    }

    /** The messages the topic delivered to its subscribed queue so far. */
    private List<String> published() {
        List<String> bodies = new ArrayList<>();
        while (true) {
            var received = sqs.receiveMessage(r -> r.queueUrl(subscriberUrl).maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
            if (received.isEmpty()) return bodies;
            received.forEach(m -> bodies.add(m.body()));
            received.forEach(m -> sqs.deleteMessage(r -> r.queueUrl(subscriberUrl).receiptHandle(m.receiptHandle())));
        }
    }
}
