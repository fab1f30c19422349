package dev.handoff.core.app;

import dev.handoff.core.Stage;
import java.time.Instant;
import java.util.List;

/**
 * Everything sales is told when a contact becomes an SQL (PRODUCT §3), fixed at the moment of the move so that
 * a retried delivery sends the same words. {@code alertId} is derived from the move, so it is stable.
 */
public record SqlAlert(
        String alertId,
        Instant occurredAt,
        String policyVersion,
        ContactCard contact,
        Stage from,
        Stage to,
        String reasonCode,
        String reasonDetail,
        int fit,
        int engagement,
        List<TopSignal> topSignals,
        String owner,
        Long dealAmount) {

    public SqlAlert {
        topSignals = List.copyOf(topSignals);
    }

    /** The same alert with the owner routing chose (PRODUCT §5.2). */
    public SqlAlert withOwner(String owner) {
        return new SqlAlert(alertId, occurredAt, policyVersion, contact, from, to, reasonCode, reasonDetail, fit, engagement,
                topSignals, owner, dealAmount);
    }

    /** The contact fields sales needs, and no more. */
    public record ContactCard(String email, String firstname, String lastname, String company, String jobtitle) {}

    public record TopSignal(String rule, int points) {}
}
