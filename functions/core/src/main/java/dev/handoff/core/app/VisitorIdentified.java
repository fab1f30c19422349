package dev.handoff.core.app;

import dev.handoff.core.EmailAddress;
import dev.handoff.core.VisitorId;
import java.time.Instant;
import java.util.Objects;

/**
 * A trusted source (Segment's or RudderStack's {@code identify}, PRODUCT §2.5) says that an anonymous visitor is this
 * person: the visitor is linked to the email as a form with that {@code visitorId} would link it, and the contact is
 * created as a {@code lead} when it is new — without the points a form earns.
 *
 * @param source who said so ({@code segment}, {@code rudderstack}), kept in the contact's history
 */
public record VisitorIdentified(VisitorId visitorId, EmailAddress email, String eventId, Instant at, String source) {
    /** Where a contact first seen through an identify enters the lifecycle (PRODUCT §2.5). */
    public static final dev.handoff.core.Stage ENTRY_STAGE = dev.handoff.core.Stage.LEAD;

    public VisitorIdentified {
        Objects.requireNonNull(visitorId, "visitorId");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(source, "source");
    }

    /** Where the link is recorded. Atomic: the link, the contact's visitor ids and its entry stage together. */
    public interface Links {
        /**
         * Links the visitor to the contact, creating the contact's profile at {@code entryStage} when it has no
         * stage yet (with one history entry naming the source and the policy version).
         */
        void link(VisitorIdentified identified, dev.handoff.core.Stage entryStage, String policyVersion);
    }
}
