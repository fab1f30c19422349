package dev.handoff.core.policy;

import dev.handoff.core.Contact;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The policy's {@code routing} section (PRODUCT §5.2): pools of sales owners, each with an optional condition.
 * A contact that becomes an SQL without an owner named by a signal goes to the first pool whose {@code when}
 * holds (a pool without one takes everyone), and that pool's rotation picks the owner.
 */
public record Routing(List<Pool> pools) {
    /** No routing: every preset ships without it, and an alert then names only a signal's owner. */
    public static final Routing NONE = new Routing(List.of());

    public Routing {
        pools = List.copyOf(pools);
    }

    /** One owner of a pool; {@code hubspotOwnerId} is null when the policy gives none. */
    public record Owner(String id, String hubspotOwnerId, int weight) {}

    /** {@code when} is null for the default pool. */
    public record Pool(String id, Condition when, List<Owner> owners) {
        public Pool {
            owners = List.copyOf(owners);
        }

        public boolean takes(Contact contact) {
            return when == null || when.matches(contact);
        }
    }

    public boolean isEmpty() {
        return pools.isEmpty();
    }

    /** The first pool whose condition the contact meets; empty when none does. */
    public Optional<Pool> poolFor(Contact contact) {
        for (Pool p : pools) if (p.takes(contact)) return Optional.of(p);
        return Optional.empty();
    }

    public Optional<Pool> pool(String id) {
        return pools.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** Every owner once, by id, in the order of the file (the loader makes an owner's HubSpot id agree across pools). */
    public Map<String, Owner> owners() {
        Map<String, Owner> out = new LinkedHashMap<>();
        for (Pool p : pools) for (Owner o : p.owners()) out.putIfAbsent(o.id(), o);
        return out;
    }

    /** The HubSpot owner id of a Handoff owner id, when the policy maps one. */
    public Optional<String> hubspotOwnerId(String ownerId) {
        Owner o = ownerId == null ? null : owners().get(ownerId);
        return o == null ? Optional.empty() : Optional.ofNullable(o.hubspotOwnerId());
    }
}
