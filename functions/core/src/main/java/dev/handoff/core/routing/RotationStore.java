package dev.handoff.core.routing;

import dev.handoff.core.policy.Routing;
import java.util.Optional;

/** Where the pools' rotations and the owners' availability are kept (in DynamoDB, beside the contacts). */
public interface RotationStore {

    /** What routing gave one alert: the pool and owner, either null when none applied. */
    record Assignment(String pool, String owner) {}

    /** The assignment recorded with the alert; empty when the alert has not been routed yet. */
    Optional<Assignment> recorded(String email, String alertId);

    /**
     * Takes the pool's next turn among its available owners ({@link Rotation#next}) and records it with the
     * alert, both or neither. Two alerts at the same moment never take the same turn; an alert routed already
     * (by a concurrent retry) keeps what it got, and no turn is taken. A null pool, or a pool without an
     * available owner, records that the alert has no owner.
     */
    Assignment assign(String email, String alertId, Routing.Pool pool);
}
