package dev.handoff.core.app;

import java.util.Optional;

/**
 * Sends an SQL alert's three effects — the deal, the {@code ContactBecameSalesQualified} event and the SNS
 * message. Every step is recorded in the {@link AlertLedger} when done, so a retry after a failure halfway does
 * only what is left.
 *
 * <p>The guarantee, exactly (the README states the same): the ledger holds at most one alert per move (the move
 * and its alert are one conditional write, {@link ContactUpdates}); the deal is made exactly once per alert
 * (the ledger makes it and notes it in one write); the event and the SNS message are delivered <em>at least
 * once</em>, with a stable {@code alertId}: a crash between a send and its record repeats that one send on the
 * retry, with the same {@code alertId} and deal id. Neither EventBridge nor a standard SNS topic can take an
 * idempotency key from us, so the window cannot be closed here; receivers de-duplicate by {@code alertId},
 * which is unique per move (also across an erasure), so doing so never drops a real alert.
 */
public final class AlertDispatcher {

    /** Which steps of one alert are done, as recorded. */
    public record Progress(String dealId, boolean eventPut, boolean published) {}

    /** Records each alert's progress (in DynamoDB, next to the contact). */
    public interface AlertLedger {
        /** Empty when the alert is gone (the person was erased): nothing to send. */
        Optional<Progress> progress(String email, String alertId);

        /** Creates the deal once; a second call returns the same deal id. */
        String createDeal(SqlAlert alert);

        void markEventPut(String email, String alertId);

        void markPublished(String email, String alertId, String messageId);
    }

    public interface AlertPublisher {
        /** Publishes the alert; returns the message id. */
        String publish(SqlAlert alert);
    }

    public interface QualificationEvents {
        void contactBecameSalesQualified(SqlAlert alert, String dealId);
    }

    /** Chooses an owner for an alert that no signal gave one, once per alert (owner routing, PRODUCT §5.2). */
    public interface OwnerRouter {
        /** No routing: the alert keeps the owner a signal named, or none. */
        OwnerRouter NONE = alert -> Optional.empty();

        Optional<String> ownerFor(SqlAlert alert);
    }

    public enum Result { SENT, ALREADY_SENT, GONE }

    private final AlertLedger ledger;
    private final AlertPublisher publisher;
    private final QualificationEvents events;
    private final OwnerRouter router;

    public AlertDispatcher(AlertLedger ledger, AlertPublisher publisher, QualificationEvents events) {
        this(ledger, publisher, events, OwnerRouter.NONE);
    }

    public AlertDispatcher(AlertLedger ledger, AlertPublisher publisher, QualificationEvents events, OwnerRouter router) {
        this.ledger = ledger;
        this.publisher = publisher;
        this.events = events;
        this.router = router;
    }

    /** Sends what is left of the alert; an alert without an owner gets one from routing first (a signal's wins). */
    public Result dispatch(SqlAlert recorded) {
        Optional<Progress> progress = ledger.progress(recorded.contact().email(), recorded.alertId());
        if (progress.isEmpty()) return Result.GONE;
        Progress p = progress.get();
        if (p.dealId() != null && p.eventPut() && p.published()) return Result.ALREADY_SENT;
        SqlAlert alert = recorded.owner() != null ? recorded : recorded.withOwner(router.ownerFor(recorded).orElse(null));
        return send(alert, p);
    }

    private Result send(SqlAlert alert, Progress p) {
        String email = alert.contact().email();
        String dealId = p.dealId() != null ? p.dealId() : ledger.createDeal(alert);
        if (!p.eventPut()) {
            events.contactBecameSalesQualified(alert, dealId);
            ledger.markEventPut(email, alert.alertId());
        }
        if (!p.published()) {
            String messageId = publisher.publish(alert);
            ledger.markPublished(email, alert.alertId(), messageId);
        }
        return Result.SENT;
    }
}
