package dev.handoff.local;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** An SQS handler for the delivery tests: keeps every batch it is given and answers as told (default: success). */
final class RecordingSqsHandler implements Function<SQSEvent, SQSBatchResponse> {
    final List<List<SQSMessage>> batches = new CopyOnWriteArrayList<>();
    volatile Function<List<SQSMessage>, SQSBatchResponse> answer;

    RecordingSqsHandler() {
        this(batch -> null);
    }

    RecordingSqsHandler(Function<List<SQSMessage>, SQSBatchResponse> answer) {
        this.answer = answer;
    }

    @Override
    public SQSBatchResponse apply(SQSEvent event) {
        batches.add(event.getRecords());
        return answer.apply(event.getRecords());
    }

    /** The bodies of each batch, in delivery order. */
    List<List<String>> bodies() {
        return batches.stream().map(b -> b.stream().map(SQSMessage::getBody).toList()).toList();
    }

    /** An answer that reports the messages with {@code body} as failed. */
    static SQSBatchResponse failing(List<SQSMessage> batch, String body) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSMessage message : batch) {
            if (message.getBody().equals(body)) {
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }
}
