package dev.handoff.functions.tracking;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.handoff.aws.Clients;
import dev.handoff.aws.DynamoDbContacts;
import dev.handoff.aws.Env;
import dev.handoff.aws.Log;
import dev.handoff.aws.TrackingEventJson;
import dev.handoff.aws.UndecodableEventException;
import dev.handoff.core.app.Ingest;
import dev.handoff.core.app.TrackingEvent;
import dev.handoff.core.policy.Policy;
import java.util.ArrayList;
import java.util.List;

/**
 * Tracking events (PRODUCT §2.2): SQS batches whose bodies are EventBridge envelopes. Each message is recorded on
 * its own; a failure is reported for that message alone, so the rest of the batch is not retried and a message
 * that can never be understood goes to the dead-letter queue through the queue's redrive policy.
 */
public final class SqsTrackingEventHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private final Ingest ingest;

    /** Lambda's constructor: wired once from the environment (TABLE_NAME, POLICY or POLICY_FILE). */
    public SqsTrackingEventHandler() {
        this(Env.system());
    }

    public SqsTrackingEventHandler(Env env) {
        this(env.policy(), env.require(Env.TABLE_NAME));
    }

    private SqsTrackingEventHandler(Policy policy, String table) {
        this(new Ingest(new DynamoDbContacts(Clients.dynamoDb(), table, policy.engagementWindowDays())));
    }

    public SqsTrackingEventHandler(Ingest ingest) {
        this.ingest = ingest;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        int recorded = 0;
        int duplicates = 0;
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            try {
                TrackingEvent tracking = TrackingEventJson.decode(message.getBody());
                if (ingest.track(tracking)) recorded++;
                else duplicates++;
            } catch (UndecodableEventException e) {
                // Fails every delivery, so redrive moves it to the DLQ after maxReceiveCount; the reason names no value.
                Log.warn("tracking event cannot be understood", "messageId", message.getMessageId(), "reason", e.getMessage(),
                        "receiveCount", message.getAttributes() == null ? null : message.getAttributes().get("ApproximateReceiveCount"));
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            } catch (RuntimeException e) {
                Log.error("tracking event not recorded; it will be retried", "messageId", message.getMessageId(),
                        "error", e.getClass().getSimpleName());
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        Log.info("tracking batch", "messages", event.getRecords().size(), "recorded", recorded, "duplicates", duplicates,
                "failed", failures.size());
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }
}
