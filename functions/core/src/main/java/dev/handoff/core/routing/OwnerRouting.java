package dev.handoff.core.routing;

import dev.handoff.core.Contact;
import dev.handoff.core.app.AlertDispatcher;
import dev.handoff.core.app.ContactStore;
import dev.handoff.core.app.SqlAlert;
import dev.handoff.core.app.StoredContact;
import dev.handoff.core.policy.Routing;
import java.util.Objects;
import java.util.Optional;

/**
 * Chooses the owner of an SQL that no signal gave one (PRODUCT §5.2): the first pool whose condition the
 * contact meets takes its next turn. The choice is recorded with the alert, once: a retried alert gets the
 * owner it got the first time and takes no second turn.
 */
public final class OwnerRouting implements AlertDispatcher.OwnerRouter {
    private final Routing routing;
    private final ContactStore contacts;
    private final RotationStore rotations;

    public OwnerRouting(Routing routing, ContactStore contacts, RotationStore rotations) {
        this.routing = Objects.requireNonNull(routing, "routing");
        this.contacts = Objects.requireNonNull(contacts, "contacts");
        this.rotations = Objects.requireNonNull(rotations, "rotations");
    }

    @Override
    public Optional<String> ownerFor(SqlAlert alert) {
        if (routing.isEmpty()) return Optional.empty();
        String email = alert.contact().email();
        Optional<RotationStore.Assignment> recorded = rotations.recorded(email, alert.alertId());
        if (recorded.isPresent()) return Optional.ofNullable(recorded.get().owner());
        Contact contact = contacts.load(email).map(StoredContact::contact).orElse(Contact.of(email));
        Routing.Pool pool = routing.poolFor(contact).orElse(null);
        return Optional.ofNullable(rotations.assign(email, alert.alertId(), pool).owner());
    }
}
