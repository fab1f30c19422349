package dev.handoff.aws;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.handoff.core.app.AlertDispatcher;
import dev.handoff.core.app.SqlAlert;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/**
 * Publishes an SQL alert on the alerts topic as PRODUCT §3 says: {@code MessageStructure=json} with the
 * {@code default} JSON ({@link AlertJson#toJson}) for every protocol but email, and {@link AlertJson#emailText}
 * for email; message attributes {@code reason} and, when known, {@code owner}, so that subscriptions can filter.
 *
 * <p>Errors propagate: the dispatcher records the message id only after a successful publish, so a failure is
 * retried by the caller.
 */
public final class SnsAlerts implements AlertDispatcher.AlertPublisher {

    /** The message attribute holding the reason code. */
    public static final String REASON_ATTRIBUTE = "reason";
    /** The message attribute holding the owner, present only when the owner is known. */
    public static final String OWNER_ATTRIBUTE = "owner";

    private final SnsClient sns;
    private final String topicArn;

    public SnsAlerts(SnsClient sns, String topicArn) {
        this.sns = Objects.requireNonNull(sns, "sns");
        this.topicArn = Objects.requireNonNull(topicArn, "topicArn");
    }

    @Override
    public String publish(SqlAlert alert) {
        return sns.publish(request(alert)).messageId();
    }

    /** The request {@link #publish} sends; visible for tests. */
    PublishRequest request(SqlAlert alert) {
        return PublishRequest.builder()
                .topicArn(topicArn)
                .messageStructure("json")
                .message(structuredMessage(alert))
                .subject(AlertJson.subject(alert))
                .messageAttributes(attributes(alert))
                .build();
    }

    /** {@code {"default": "<alert JSON>", "email": "<text>"}}: both values are strings, as SNS requires. */
    static String structuredMessage(SqlAlert alert) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("default", AlertJson.toJson(alert));
        message.put("email", AlertJson.emailText(alert));
        try {
            return JSON.std.asString(message);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write alert " + alert.alertId() + " as an SNS message", e);
        }
    }

    /** SNS rejects an attribute with an empty value, so an unknown one is left out rather than sent blank. */
    static Map<String, MessageAttributeValue> attributes(SqlAlert alert) {
        Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
        putIfKnown(attributes, REASON_ATTRIBUTE, alert.reasonCode());
        putIfKnown(attributes, OWNER_ATTRIBUTE, alert.owner());
        return attributes;
    }

    private static void putIfKnown(Map<String, MessageAttributeValue> attributes, String name, String value) {
        if (value == null || value.isBlank()) return;
        attributes.put(name, MessageAttributeValue.builder().dataType("String").stringValue(value).build());
    }
}
