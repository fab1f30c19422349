package dev.handoff.core.app;

import dev.handoff.core.EmailAddress;
import dev.handoff.core.FormType;
import dev.handoff.core.Signal;
import dev.handoff.core.VisitorId;
import java.time.Instant;
import java.util.Map;

/** An accepted form post: only the properties a form may set, already checked; {@code visitorId} may be null. */
public record FormSubmission(
        String submissionId,
        String formId,
        FormType formType,
        EmailAddress email,
        Map<String, String> properties,
        VisitorId visitorId,
        Instant receivedAt) {

    public FormSubmission {
        properties = Map.copyOf(properties);
    }

    public Signal.FormSubmitted signal() {
        return new Signal.FormSubmitted(submissionId, receivedAt, formId, formType);
    }
}
