package dev.handoff.aws.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

        Map<String, Object> envelope = receiveOne();
        assertThat(messageId).isNotBlank();
        assertThat(envelope.get("MessageId")).isEqualTo(messageId);
        assertThat(envelope.get("TopicArn")).isEqualTo(topicArn);
        assertThat(envelope.get("Subject")).isEqualTo("New SQL: Ana Silva, Acme");

        String message = (String) envelope.get("Message");
        assertThat(message).isEqualTo(AlertJson.toJson(alert));
        Map<String, Object> body = JsonTree.read(message);
        assertThat(body.get("type")).isEqualTo("SalesQualifiedLead");
        assertThat(JsonTree.at(body, "/contact/email")).isEqualTo("ana@acme.com");
        assertThat(JsonTree.at(body, "/reason/code")).isEqualTo("fast-track");
        assertThat(JsonTree.at(body, "/stage/from")).isEqualTo("marketingqualifiedlead");
        assertThat(JsonTree.at(body, "/scores/fit")).isEqualTo(85);
        assertThat(JsonTree.at(body, "/topSignals/0/rule")).isEqualTo("pricing-page-views");
        assertThat(JsonTree.at(body, "/topSignals/0/kind")).isEqualTo("engagement");
        assertThat(JsonTree.at(body, "/topSignals/1/kind")).isEqualTo("fit");
        assertThat(AlertJson.parse(message)).isEqualTo(alert);

        Map<String, Object> attributes = JsonTree.object(envelope, "/MessageAttributes");
        assertThat(JsonTree.at(attributes, "/reason/Type")).isEqualTo("String");
        assertThat(JsonTree.at(attributes, "/reason/Value")).isEqualTo("fast-track");
        assertThat(JsonTree.at(attributes, "/owner/Type")).isEqualTo("String");
        assertThat(JsonTree.at(attributes, "/owner/Value")).isEqualTo("sam.seller");
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
        Map<String, Object> message = JsonTree.read(request.message());
        assertThat(message.keySet()).containsExactly("default", "email");
        assertThat(message.get("default")).isInstanceOf(String.class).isEqualTo(AlertJson.toJson(Alerts.full()));
        assertThat(message.get("email")).isEqualTo(AlertJson.emailText(Alerts.full()));
        assertThat(request.subject()).isEqualTo("New SQL: Ana Silva, Acme");
        receiveOne(); // the queue still got the default
    }

    @Test
    void an_unknown_owner_sends_no_owner_attribute() throws Exception {
        new SnsAlerts(sns, topicArn).publish(Alerts.sparse());

        Map<String, Object> envelope = receiveOne();
        assertThat(AlertJson.parse((String) envelope.get("Message"))).isEqualTo(Alerts.sparse());
        assertThat(envelope.get("Subject")).isEqualTo("New SQL: bo@globex.com");
        Map<String, Object> attributes = JsonTree.object(envelope, "/MessageAttributes");
        assertThat(JsonTree.at(attributes, "/reason/Value")).isEqualTo("import");
        assertThat(attributes).doesNotContainKey("owner");
    }

    @Test
    void publishing_twice_sends_two_messages_with_two_ids() throws Exception {
        SnsAlerts alerts = new SnsAlerts(sns, topicArn);
        String first = alerts.publish(Alerts.full());
        String second = alerts.publish(Alerts.full());

        assertThat(first).isNotEqualTo(second);
        assertThat(receiveOne().get("MessageId")).isIn(first, second);
        assertThat(receiveOne().get("MessageId")).isIn(first, second);
    }

    @Test
    void errors_propagate_to_the_caller() {
        String missing = topicArn + "-gone";

        assertThatThrownBy(() -> new SnsAlerts(sns, missing).publish(Alerts.full()))
                .isInstanceOf(NotFoundException.class);
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
