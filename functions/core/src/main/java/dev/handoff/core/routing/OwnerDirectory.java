package dev.handoff.core.routing;

import dev.handoff.core.policy.Routing;
import java.util.List;

/** The owners' availability and counts, for {@code GET /owners} and {@code PUT /owners/{id}} (PRODUCT §2.3). */
public interface OwnerDirectory {

    /** One owner in one pool: an owner listed in two pools appears twice, each with its own count. */
    record OwnerStatus(String id, String pool, int weight, boolean available, long assigned) {}

    /** Every owner of every pool, in the order of the policy. */
    List<OwnerStatus> owners(Routing routing);

    /** Takes the owner out of every rotation, or puts it back. */
    void setAvailable(String ownerId, boolean available);
}
