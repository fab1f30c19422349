package dev.handoff.core.app;

import dev.handoff.core.Contribution;
import dev.handoff.core.Stage;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything sales is told when a contact becomes an SQL (PRODUCT §3), fixed at the moment of the move so that
 * a retried delivery sends the same words. {@code alertId} is unique per move: drawn at random when the move is
 * decided and stored with the move in the same write, so every retry of its delivery carries the same id, and a
 * contact erased and created again never meets its old ids (PRODUCT §3).
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

    /**
     * The contact fields sales needs, and no more: name, company, job title, email, and where they came from
     * (the attribution properties of PRODUCT §2.1, latest and first-touch, in a fixed order; empty when none).
     */
    public record ContactCard(String email, String firstname, String lastname, String company, String jobtitle,
            Map<String, String> attribution) {
        public ContactCard {
            attribution = attribution == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attribution));
        }

        /** A card without attribution. */
        public ContactCard(String email, String firstname, String lastname, String company, String jobtitle) {
            this(email, firstname, lastname, company, jobtitle, Map.of());
        }
    }

    /** One of the rules that counted most, fit or engagement ({@link Contribution.Kind}). */
    public record TopSignal(String rule, Contribution.Kind kind, int points) {
        public TopSignal {
            java.util.Objects.requireNonNull(rule, "rule");
            java.util.Objects.requireNonNull(kind, "kind");
        }

        public static TopSignal of(Contribution c) {
            return new TopSignal(c.rule(), c.kind(), c.points());
        }
    }
}
