package dev.handoff.core.app;

import dev.handoff.core.FormType;
import dev.handoff.core.Signal;
import java.time.Instant;
import java.util.Map;

/** An accepted form post: only the properties a form may set, already checked. */
public record FormSubmission(
        String submissionId,
        String formId,
        FormType formType,
        String email,
        Map<String, String> properties,
        String visitorId,
        Instant receivedAt) {

    public FormSubmission {
        properties = Map.copyOf(properties);
    }

    public Signal.FormSubmitted signal() {
        return new Signal.FormSubmitted(submissionId, receivedAt, formId, formType);
    }
}
