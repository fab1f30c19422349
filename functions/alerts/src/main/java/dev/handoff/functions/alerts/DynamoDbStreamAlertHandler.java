package dev.handoff.functions.alerts;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.handoff.aws.Clients;
import dev.handoff.aws.ContactTable;
import dev.handoff.aws.DynamoDbContacts;
import dev.handoff.aws.DynamoDbOwnerRotation;
import dev.handoff.aws.Env;
import dev.handoff.aws.EventBridgeQualificationEvents;
import dev.handoff.aws.AlertJson;
import dev.handoff.aws.Log;
import dev.handoff.aws.Metric;
import dev.handoff.aws.Metrics;
import dev.handoff.aws.Priming;
import dev.handoff.aws.SnsAlerts;
import dev.handoff.aws.StreamImages;
import dev.handoff.core.app.AlertDispatcher;
import dev.handoff.core.app.SqlAlert;
import dev.handoff.core.policy.Policy;
import dev.handoff.core.routing.OwnerRouting;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Sends each SQL alert that qualification records: the deal, the {@code ContactBecameSalesQualified} event and
 * one SNS message (PRODUCT §3). Progress is recorded step by step on the alert, so a retry after a failure
 * halfway does only what is left; on a failure the batch is reported failed from that record on.
 */
public final class DynamoDbStreamAlertHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse>,
        org.crac.Resource {
    private final AlertDispatcher dispatcher;
    private final Log log;
    /** SnapStart priming, set only on the Lambda wiring path (see {@link #beforeCheckpoint}). */
    private Priming.Step[] priming;

    /** Lambda's constructor: wired once from the environment (TABLE_NAME, ALERTS_TOPIC_ARN, EVENT_BUS_NAME, the hash key). */
    public DynamoDbStreamAlertHandler() {
        this(Env.system());
    }

    public DynamoDbStreamAlertHandler(Env env) {
        this(env.require(Env.TABLE_NAME), env.policy(), env.require(Env.ALERTS_TOPIC_ARN),
                env.require(Env.EVENT_BUS_NAME), Clients.dynamoDb(), env.log());
    }

    private DynamoDbStreamAlertHandler(String table, Policy policy, String topicArn, String bus, DynamoDbClient dynamoDb, Log log) {
        this(dispatcher(dynamoDb, table, policy, new SnsAlerts(Clients.sns(), topicArn),
                new EventBridgeQualificationEvents(Clients.eventBridge(), bus)), log);
        int window = policy.engagementWindowDays();
        this.priming = new Priming.Step[] {
            () -> {
                SqlAlert alert = AlertJson.parse(Priming.ALERT_JSON);
                AlertJson.parse(AlertJson.toJson(alert));
                new AlertDispatcher(new DynamoDbContacts(Priming.dynamoDb(), table, window),
                        new SnsAlerts(Priming.sns(), topicArn),
                        new EventBridgeQualificationEvents(Priming.eventBridge(), bus)).dispatch(alert);
            },
            () -> new DynamoDbStreamAlertHandler(new AlertDispatcher(new DynamoDbContacts(Priming.dynamoDb(), table, window),
                    new SnsAlerts(Priming.sns(), topicArn), new EventBridgeQualificationEvents(Priming.eventBridge(), bus)),
                    log.discarding()).handleRequest(primingEvent(), null),
            () -> Priming.realRequest(dynamoDb, table),
        };
        Priming.register(this);
    }

    /**
     * SnapStart priming: dispatches a synthetic SQL alert ({@link Priming#ALERT_JSON}: decoded and encoded
     * with {@link AlertJson}) through the same code, table name, topic and bus, but throwaway DynamoDB, SNS and
     * EventBridge clients that answer in-process ({@link Priming}): the SDK builds, signs and parses each request
     * and answer, and nothing is written, published or put. Then one request the table refuses through the real
     * DynamoDB client ({@link Priming#realRequest}), so the connection path is warm too.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends org.crac.Resource> context) {
        if (priming != null) Priming.run(log, "alerts", priming);
    }

    @Override
    public void afterRestore(org.crac.Context<? extends org.crac.Resource> context) {}

    /** A stream batch with one record this function skips (not an alert): the handler's loop, no dispatch. */
    private static DynamodbEvent primingEvent() {
        com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord change =
                new com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord();
        change.setKeys(java.util.Map.of(
                ContactTable.PK, new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue()
                        .withS(ContactTable.CONTACT_PREFIX + Priming.EMAIL),
                ContactTable.SK, new com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue()
                        .withS(ContactTable.PROFILE)));
        change.setSequenceNumber("priming");
        DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
        record.setEventName("MODIFY");
        record.setDynamodb(change);
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(List.of(record));
        return event;
    }

    /** The dispatcher with the policy's owner routing (none in the presets) on the same table. */
    public static AlertDispatcher dispatcher(software.amazon.awssdk.services.dynamodb.DynamoDbClient ddb, String table,
            Policy policy, SnsAlerts sns, EventBridgeQualificationEvents events) {
        DynamoDbContacts contacts = new DynamoDbContacts(ddb, table, policy.engagementWindowDays());
        return new AlertDispatcher(contacts, sns, events,
                new OwnerRouting(policy.routing(), contacts, new DynamoDbOwnerRotation(ddb, table)));
    }

    public DynamoDbStreamAlertHandler(AlertDispatcher dispatcher, Log log) {
        this.dispatcher = dispatcher;
        this.log = log;
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, com.amazonaws.services.lambda.runtime.Context context) {
        return log.invocation(context, (log, metrics) -> dispatch(event, log, metrics));
    }

    private StreamsEventResponse dispatch(DynamodbEvent event, Log log, Metrics metrics) {
        for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
            try {
                String sk = record.getDynamodb().getKeys().get(ContactTable.SK).getS();
                if (!"INSERT".equals(record.getEventName()) || !ContactTable.isAlertKey(sk)) continue;
                SqlAlert alert = DynamoDbContacts.alertFromItem(StreamImages.toSdk(record.getDynamodb().getNewImage()));
                AlertDispatcher.Result result = dispatcher.dispatch(alert);
                log.info("sql alert " + result.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '),
                        "alertId", alert.alertId(), "reason", alert.reasonCode(), "contact", log.contact(alert.contact().email()));
                if (result == AlertDispatcher.Result.SENT) {
                    metrics.count(Metric.SqlAlerts, alert.reasonCode());
                    // From the move being recorded (the qualification stream's iterator age covers the signal's wait
                    // before it) to the message published.
                    metrics.millis(Metric.AlertLatencyMs, Math.max(0, System.currentTimeMillis() - alert.occurredAt().toEpochMilli()));
                }
            } catch (RuntimeException e) {
                log.error("sql alert not sent; the batch is retried from this record",
                        "sequenceNumber", record.getDynamodb().getSequenceNumber(), "error", e.getClass().getSimpleName());
                return StreamsEventResponse.builder()
                        .withBatchItemFailures(List.of(new StreamsEventResponse.BatchItemFailure(record.getDynamodb().getSequenceNumber())))
                        .build();
            }
        }
        return StreamsEventResponse.builder().withBatchItemFailures(List.of()).build();
    }
}
