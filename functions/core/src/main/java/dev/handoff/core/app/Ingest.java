package dev.handoff.core.app;

/** Records what comes in. Qualification happens later, when the stored change is seen. */
public final class Ingest {
    private final ContactStore store;

    public Ingest(ContactStore store) {
        this.store = store;
    }

    /** @return false when the event had been recorded before (a redelivery), so nothing changed */
    public boolean track(TrackingEvent event) {
        return store.recordSignal(event.who(), event.signal());
    }

    /** @return false when that submission id had been recorded before */
    public boolean submit(FormSubmission submission) {
        return store.recordSubmission(submission);
    }
}
