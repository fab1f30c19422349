package dev.handoff.aws;

/**
 * Where owner routing keeps its state in the contacts table (PRODUCT §5.2): one small partition, {@code ROUTING},
 * apart from every person's, and three attributes on each alert's outbox item.
 *
 * <pre>
 * pk        sk               what
 * ROUTING   POOL#&lt;pool id&gt;   ver, members (L of S), turns, counts (M: the current run), assigned (M: every turn)
 * ROUTING   OWNER#&lt;owner id&gt; available (BOOL; absent: available), updatedAt
 * C#&lt;email&gt; ALERT#&lt;alert id&gt;  ... routedAt, routedPool, routedOwner: what routing gave the alert, once
 * </pre>
 *
 * Neither key matches a stream filter of the template (signals {@code E#}, links {@code LINK}, alerts
 * {@code ALERT#} inserts), so routing wakes no function.
 */
public final class RoutingItems {
    private RoutingItems() {}

    public static final String PARTITION = "ROUTING";
    public static final String POOL_PREFIX = "POOL#";
    public static final String OWNER_PREFIX = "OWNER#";

    // Pool
    /** N: bumped by every turn; a turn is written only if nobody took one since it was read. */
    public static final String VERSION = "ver";
    /** L of S: the owners available in the current run, in pool order. */
    public static final String MEMBERS = "members";
    /** N: turns in the current run. */
    public static final String TURNS = "turns";
    /** M of N: each member's turns in the current run. */
    public static final String COUNTS = "counts";
    /** M of N: each owner's turns ever, shown by {@code GET /owners}. */
    public static final String ASSIGNED = "assigned";

    // Owner
    public static final String AVAILABLE = "available";

    // On the alert outbox item
    public static final String ROUTED_AT = "routedAt";
    public static final String ROUTED_POOL = "routedPool";
    public static final String ROUTED_OWNER = "routedOwner";

    public static String poolKey(String poolId) {
        return POOL_PREFIX + poolId;
    }

    public static String ownerKey(String ownerId) {
        return OWNER_PREFIX + ownerId;
    }
}
