package dev.handoff.aws.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.handoff.aws.AlertJson;
import dev.handoff.aws.SnsAlerts;
import dev.handoff.core.app.SqlAlert;
import dev.handoff.local.LocalAws;
import dev.handoff.local.MotoServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** Publishes on moto's SNS and reads what an SQS subscriber (non-raw, so with the SNS envelope) receives. */
@ExtendWith(SharedMoto.class)
class SnsAlertsMotoTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static SnsClient sns;
    private static SqsClient sqs;
    private String topicArn;
    private String queueUrl;

    @BeforeAll
    static void clients(MotoServer moto) {
        sns = LocalAws.configure(SnsClient.builder(), moto.endpoint()).build();
        sqs = moto.sqsClient();
    }

    @AfterAll
    static void close() {
        if (sns != null) sns.close();
        if (sqs != null) sqs.close();
    }

    @BeforeEach
    void topicWithASubscribedQueue() {
        String name = "alerts-" + System.nanoTime();
        topicArn = sns.createTopic(r -> r.name(name)).topicArn();
        queueUrl = sqs.createQueue(r -> r.queueName(name)).queueUrl();
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(queueArn)
                .attributes(Map.of("RawMessageDelivery", "false")));
    }

    @Test
    void the_queue_receives_the_default_json_with_reason_and_owner_attributes() throws Exception {
        SqlAlert alert = Alerts.full();

        String messageId = new SnsAlerts(sns, topicArn).publish(alert);

        JsonNode envelope = receiveOne();
        assertThat(messageId).isNotBlank();
        assertThat(envelope.get("MessageId").asText()).isEqualTo(messageId);
        assertThat(envelope.get("TopicArn").asText()).isEqualTo(topicArn);
        assertThat(envelope.get("Subject").asText()).isEqualTo("New SQL: Ana Silva, Acme");

        String message = envelope.get("Message").asText();
        assertThat(JSON.readTree(message)).isEqualTo(JSON.readTree(AlertJson.toJson(alert)));
        JsonNode body = JSON.readTree(message);
        assertThat(body.get("type").asText()).isEqualTo("SalesQualifiedLead");
        assertThat(body.at("/contact/email").asText()).isEqualTo("ana@acme.com");
        assertThat(body.at("/reason/code").asText()).isEqualTo("fast-track");
        assertThat(body.at("/stage/from").asText()).isEqualTo("marketingqualifiedlead");
        assertThat(body.at("/scores/fit").asInt()).isEqualTo(85);
        assertThat(body.at("/topSignals/0/rule").asText()).isEqualTo("pricing-page-views");
        assertThat(AlertJson.parse(message)).isEqualTo(alert);

        JsonNode attributes = envelope.get("MessageAttributes");
        assertThat(attributes.at("/reason/Type").asText()).isEqualTo("String");
        assertThat(attributes.at("/reason/Value").asText()).isEqualTo("fast-track");
        assertThat(attributes.at("/owner/Type").asText()).isEqualTo("String");
        assertThat(attributes.at("/owner/Value").asText()).isEqualTo("sam.seller");
    }

    @Test
    void the_request_is_structured_json_with_the_email_text_for_email_subscribers(MotoServer moto) throws Exception {
        List<PublishRequest> sent = new ArrayList<>();
        ExecutionInterceptor capture = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof PublishRequest p) sent.add(p);
            }
        };
        try (SnsClient capturing = LocalAws.configure(SnsClient.builder(), moto.endpoint())
                .overrideConfiguration(c -> c.addExecutionInterceptor(capture)).build()) {
            new SnsAlerts(capturing, topicArn).publish(Alerts.full());
        }

        assertThat(sent).hasSize(1);
        PublishRequest request = sent.get(0);
        assertThat(request.messageStructure()).isEqualTo("json");
        JsonNode message = JSON.readTree(request.message());
        assertThat(message.properties()).extracting(Map.Entry::getKey).containsExactly("default", "email");
        assertThat(message.get("default").isTextual()).isTrue();
        assertThat(message.get("default").asText()).isEqualTo(AlertJson.toJson(Alerts.full()));
        assertThat(message.get("email").asText()).isEqualTo(AlertJson.emailText(Alerts.full()));
        assertThat(request.subject()).isEqualTo("New SQL: Ana Silva, Acme");
        receiveOne(); // the queue still got the default
    }

    @Test
    void an_unknown_owner_sends_no_owner_attribute() throws Exception {
        new SnsAlerts(sns, topicArn).publish(Alerts.sparse());

        JsonNode envelope = receiveOne();
        assertThat(AlertJson.parse(envelope.get("Message").asText())).isEqualTo(Alerts.sparse());
        assertThat(envelope.get("Subject").asText()).isEqualTo("New SQL: bo@globex.com");
        JsonNode attributes = envelope.get("MessageAttributes");
        assertThat(attributes.at("/reason/Value").asText()).isEqualTo("import");
        assertThat(attributes.has("owner")).isFalse();
    }

    @Test
    void publishing_twice_sends_two_messages_with_two_ids() throws Exception {
        SnsAlerts alerts = new SnsAlerts(sns, topicArn);
        String first = alerts.publish(Alerts.full());
        String second = alerts.publish(Alerts.full());

        assertThat(first).isNotEqualTo(second);
        assertThat(receiveOne().get("MessageId").asText()).isIn(first, second);
        assertThat(receiveOne().get("MessageId").asText()).isIn(first, second);
    }

    @Test
    void errors_propagate_to_the_caller() {
        String missing = topicArn + "-gone";

        assertThatThrownBy(() -> new SnsAlerts(sns, missing).publish(Alerts.full()))
                .isInstanceOf(NotFoundException.class);
    }

    private JsonNode receiveOne() throws Exception {
        for (int attempt = 0; attempt < 10; attempt++) {
            List<Message> messages = sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(1)
                    .waitTimeSeconds(1)).messages();
            if (!messages.isEmpty()) {
                Message m = messages.get(0);
                sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
                return JSON.readTree(m.body());
            }
        }
        throw new AssertionError("nothing arrived on " + queueUrl);
    }
}
