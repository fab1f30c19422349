package dev.handoff.aws.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.aws.AlertJson;
import dev.handoff.aws.EventBridgeQualificationEvents;
import dev.handoff.aws.EventBridgeQualificationEvents.PutEventsFailedException;
import dev.handoff.local.LocalAws;
import dev.handoff.local.MotoServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Puts the event on moto's EventBridge, whose rule forwards it to an SQS queue that shows what arrived. */
@ExtendWith(SharedMoto.class)
class EventBridgeQualificationEventsMotoTest {

    private static MotoServer moto;
    private static EventBridgeClient events;
    private static SqsClient sqs;
    private String bus;
    private String queueUrl;

    @BeforeAll
    static void clients(MotoServer server) {
        moto = server;
        events = LocalAws.configure(EventBridgeClient.builder(), moto.endpoint()).build();
        sqs = moto.sqsClient();
    }

    @AfterAll
    static void close() {
        if (events != null) events.close();
        if (sqs != null) sqs.close();
    }

    @BeforeEach
    void busWithARuleToAQueue() {
        bus = "handoff-" + System.nanoTime();
        events.createEventBus(r -> r.name(bus));
        queueUrl = sqs.createQueue(r -> r.queueName(bus)).queueUrl();
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        events.putRule(r -> r.name("qualification").eventBusName(bus)
                .eventPattern("{\"source\":[\"handoff.qualification\"]}"));
        events.putTargets(r -> r.rule("qualification").eventBusName(bus)
                .targets(t -> t.id("queue").arn(queueArn)));
    }

    @Test
    void the_event_carries_the_alert_and_the_deal_id() throws Exception {
        new EventBridgeQualificationEvents(events, bus).contactBecameSalesQualified(Alerts.full(), "deal-42");

        Map<String, Object> event = receiveOne();
        assertThat(event.get("source")).isEqualTo("handoff.qualification");
        assertThat(event.get("detail-type")).isEqualTo("ContactBecameSalesQualified");
        Map<String, Object> detail = JsonTree.object(event, "/detail");
        assertThat(detail.get("dealId")).isEqualTo("deal-42");
        assertThat(detail.get("type")).isEqualTo("SalesQualifiedLead");
        assertThat(JsonTree.at(detail, "/contact/email")).isEqualTo("ana@acme.com");
        assertThat(((Number) JsonTree.at(detail, "/deal/amount")).longValue()).isEqualTo(50_000L);
        assertThat(AlertJson.parse(detail)).isEqualTo(Alerts.full());
        Map<String, Object> withoutDealId = new LinkedHashMap<>(detail);
        withoutDealId.remove("dealId");
        assertThat(withoutDealId).isEqualTo(JsonTree.read(AlertJson.toJson(Alerts.full())));
    }

    @Test
    void a_sparse_alert_goes_through_too() throws Exception {
        new EventBridgeQualificationEvents(events, bus).contactBecameSalesQualified(Alerts.sparse(), "deal-7");

        Map<String, Object> detail = JsonTree.object(receiveOne(), "/detail");
        assertThat(AlertJson.parse(detail)).isEqualTo(Alerts.sparse());
        assertThat(JsonTree.object(detail, "/stage")).containsEntry("from", null);
        assertThat(detail.get("dealId")).isEqualTo("deal-7");
    }

    @Test
    void an_entry_that_eventbridge_rejects_becomes_an_exception_naming_the_error_code() {
        // moto rejects an entry whose detail is not JSON (MalformedDetail) in the response, with
        // FailedEntryCount 1 and HTTP 200, as EventBridge does for a failed entry. The interceptor spoils the
        // detail on its way out, so what is tested is the handling of a real PutEvents response.
        ExecutionInterceptor spoilDetail = new ExecutionInterceptor() {
            @Override
            public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
                if (!(context.request() instanceof PutEventsRequest put)) return context.request();
                return put.toBuilder().entries(put.entries().stream()
                        .map(e -> e.toBuilder().detail("{not json").build()).toList()).build();
            }
        };
        try (EventBridgeClient spoiling = LocalAws.configure(EventBridgeClient.builder(), moto.endpoint())
                .overrideConfiguration(c -> c.addExecutionInterceptor(spoilDetail)).build()) {
            EventBridgeQualificationEvents qualification = new EventBridgeQualificationEvents(spoiling, bus);

            assertThatThrownBy(() -> qualification.contactBecameSalesQualified(Alerts.full(), "deal-42"))
                    .isInstanceOf(PutEventsFailedException.class)
                    .hasMessageContaining("MalformedDetail")
                    .hasMessageContaining("alert-7f3a")
                    .hasMessageNotContaining("ana@acme.com")
                    .extracting(e -> ((PutEventsFailedException) e).errorCode())
                    .isEqualTo("MalformedDetail");
        }
        assertThat(sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(0)).messages()).isEmpty();
    }

    @Test
    void a_bus_that_does_not_exist_is_an_exception() {
        // moto fails the whole call here (ResourceNotFoundException) rather than the entry.
        EventBridgeQualificationEvents qualification = new EventBridgeQualificationEvents(events, bus + "-gone");

        assertThatThrownBy(() -> qualification.contactBecameSalesQualified(Alerts.full(), "deal-42"))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    private Map<String, Object> receiveOne() {
        for (int attempt = 0; attempt < 10; attempt++) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(1)
                    .waitTimeSeconds(1)).messages();
            if (!messages.isEmpty()) {
                Message m = messages.get(0);
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                return JsonTree.read(m.body());
            }
        }
        throw new AssertionError("nothing arrived on " + queueUrl);
    }
}
