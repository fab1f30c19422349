package dev.handoff.functions.alerts;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.handoff.aws.Clients;
import dev.handoff.aws.ContactTable;
import dev.handoff.aws.DynamoDbContacts;
import dev.handoff.aws.Env;
import dev.handoff.aws.EventBridgeQualificationEvents;
import dev.handoff.aws.Log;
import dev.handoff.aws.SnsAlerts;
import dev.handoff.aws.StreamImages;
import dev.handoff.core.app.AlertDispatcher;
import dev.handoff.core.app.SqlAlert;
import java.util.List;

/**
 * Sends each SQL alert that qualification records: the deal, the {@code ContactBecameSalesQualified} event and
 * one SNS message (PRODUCT §3). Progress is recorded step by step on the alert, so a retry after a failure
 * halfway does only what is left; on a failure the batch is reported failed from that record on.
 */
public final class DynamoDbStreamAlertHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    private final AlertDispatcher dispatcher;

    /** Lambda's constructor: wired once from the environment (TABLE_NAME, ALERTS_TOPIC_ARN, EVENT_BUS_NAME). */
    public DynamoDbStreamAlertHandler() {
        this(Env.system());
    }

    public DynamoDbStreamAlertHandler(Env env) {
        this(new AlertDispatcher(
                new DynamoDbContacts(Clients.dynamoDb(), env.require(Env.TABLE_NAME), env.policy().engagementWindowDays()),
                new SnsAlerts(Clients.sns(), env.require(Env.ALERTS_TOPIC_ARN)),
                new EventBridgeQualificationEvents(Clients.eventBridge(), env.require(Env.EVENT_BUS_NAME))));
    }

    public DynamoDbStreamAlertHandler(AlertDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        for (DynamodbEvent.DynamodbStreamRecord record : event.getRecords()) {
            try {
                String sk = record.getDynamodb().getKeys().get(ContactTable.SK).getS();
                if (!"INSERT".equals(record.getEventName()) || !ContactTable.isAlertKey(sk)) continue;
                SqlAlert alert = DynamoDbContacts.alertFromItem(StreamImages.toSdk(record.getDynamodb().getNewImage()));
                AlertDispatcher.Result result = dispatcher.dispatch(alert);
                Log.info("sql alert " + result.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '),
                        "alertId", alert.alertId(), "reason", alert.reasonCode(), "contact", Log.contactRef(alert.contact().email()));
            } catch (RuntimeException e) {
                Log.error("sql alert not sent; the batch is retried from this record",
                        "sequenceNumber", record.getDynamodb().getSequenceNumber(), "error", e.getClass().getSimpleName());
                return StreamsEventResponse.builder()
                        .withBatchItemFailures(List.of(new StreamsEventResponse.BatchItemFailure(record.getDynamodb().getSequenceNumber())))
                        .build();
            }
        }
        return StreamsEventResponse.builder().withBatchItemFailures(List.of()).build();
    }
}
