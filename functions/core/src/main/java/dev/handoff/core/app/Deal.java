package dev.handoff.core.app;

import java.time.Instant;

/**
 * A deal made for a move into SQL (PRODUCT §3): pipeline {@code default}, stage {@code qualification}, the
 * contact's budget as its amount when known (null otherwise), and the alert's owner when one is known.
 */
public record Deal(String dealId, String pipeline, String dealstage, Long amount, Instant createdAt, String owner) {

    /** A deal without an owner. */
    public Deal(String dealId, String pipeline, String dealstage, Long amount, Instant createdAt) {
        this(dealId, pipeline, dealstage, amount, createdAt, null);
    }
}
