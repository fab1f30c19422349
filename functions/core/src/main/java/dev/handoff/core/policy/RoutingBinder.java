package dev.handoff.core.policy;

import dev.handoff.core.policy.YamlObject.Item;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Binds the policy's {@code routing} section (PRODUCT §5.2), with errors that name their path like the rest of
 * the loader ({@code routing.pools[0].owners[1].weight: must be at least 1}).
 *
 * <pre>
 * routing:
 *   pools:
 *     - id: enterprise
 *       when: {property: numberofemployees, atLeast: 1000}   # any condition a fit rule can state
 *       owners: [{id: ana, hubspotOwnerId: "1234", weight: 2}, {id: bo}]
 *     - id: everyone-else                                     # no `when`: the default pool
 *       owners: [{id: cy}, {id: dee}]
 * </pre>
 */
final class RoutingBinder {
    /** Owner ids travel in URL paths ({@code PUT /owners/{id}}) and SNS attributes: a plain token. */
    static final Pattern OWNER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final Pattern POOL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** HubSpot owner ids are numbers; they are written quoted so that YAML keeps them as text. */
    private static final Pattern HUBSPOT_OWNER_ID = Pattern.compile("[0-9]{1,20}");
    static final int MAX_WEIGHT = 100;

    private final List<String> errors;
    private final Function<YamlObject, Condition> conditions;
    private final Set<String> conditionKeys;

    /**
     * @param conditions binds the one condition a mapping states, as fit rules state it (the loader's own)
     * @param conditionKeys the keys such a condition may use
     */
    RoutingBinder(List<String> errors, Function<YamlObject, Condition> conditions, Set<String> conditionKeys) {
        this.errors = errors;
        this.conditions = conditions;
        this.conditionKeys = conditionKeys;
    }

    /** {@link Routing#NONE} when the file has no {@code routing}; null when it has errors (recorded). */
    Routing bind(YamlObject root) {
        YamlObject routing = root.object("routing", false, "a mapping with pools");
        if (routing == null) return root.has("routing") ? null : Routing.NONE;
        routing.rejectUnknown(Set.of("pools"));
        List<Item> items = routing.list("pools", true, true);
        if (items == null) return null;
        int before = errors.size();
        List<Routing.Pool> pools = new ArrayList<>();
        Set<String> poolIds = new HashSet<>();
        Map<String, String> hubspotIds = new HashMap<>();
        String defaultPool = null;
        for (Item item : items) {
            YamlObject p = YamlObject.of(item.value(), item.path(), errors, "a mapping with id, owners and an optional when");
            if (p == null) continue;
            p.rejectUnknown(Set.of("id", "when", "owners"));
            String id = p.string("id", true);
            if (id != null && !POOL_ID.matcher(id).matches()) {
                p.error("id", "a pool id may use letters, digits, '.', '-' and '_' only (at most 64)");
            } else if (id != null && !poolIds.add(id)) {
                p.error("id", "'" + id + "' is defined twice");
            }
            if (defaultPool != null) {
                p.error(null, "is never used: pool '" + defaultPool + "' before it has no when and takes every contact");
            }
            Condition when = null;
            YamlObject w = p.object("when", false, "a condition, as a fit rule states one");
            if (w != null) {
                w.rejectUnknown(conditionKeys);
                when = conditions.apply(w);
            } else if (!p.has("when")) {
                defaultPool = id == null ? "?" : id;
            }
            List<Routing.Owner> owners = owners(p, hubspotIds);
            if (id != null && owners != null && (when != null || !p.has("when"))) pools.add(new Routing.Pool(id, when, owners));
        }
        return errors.size() == before ? new Routing(pools) : null;
    }

    private List<Routing.Owner> owners(YamlObject pool, Map<String, String> hubspotIds) {
        List<Item> items = pool.list("owners", true, true);
        if (items == null) return null;
        List<Routing.Owner> owners = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        boolean ok = true;
        for (Item item : items) {
            YamlObject o = YamlObject.of(item.value(), item.path(), errors, "a mapping with id, and optionally hubspotOwnerId and weight");
            if (o == null) {
                ok = false;
                continue;
            }
            o.rejectUnknown(Set.of("id", "hubspotOwnerId", "weight"));
            String id = o.string("id", true);
            if (id != null && !OWNER_ID.matcher(id).matches()) {
                o.error("id", "an owner id may use letters, digits, '.', '@', '-' and '_' only (at most 64)");
                id = null;
            } else if (id != null && !ids.add(id)) {
                o.error("id", "'" + id + "' is listed twice in this pool");
                id = null;
            }
            String hubspot = o.string("hubspotOwnerId", false);
            if (hubspot != null && !HUBSPOT_OWNER_ID.matcher(hubspot).matches()) {
                o.error("hubspotOwnerId", "must be HubSpot's numeric owner id, quoted (\"1234\")");
                hubspot = null;
            } else if (id != null && hubspotIds.containsKey(id) && !java.util.Objects.equals(hubspotIds.get(id), hubspot)) {
                o.error("hubspotOwnerId", "differs from the one given for '" + id + "' in an earlier pool");
            }
            if (id != null) hubspotIds.putIfAbsent(id, hubspot);
            Integer weight = o.has("weight") ? o.wholeNumber("weight", false, 1, MAX_WEIGHT) : Integer.valueOf(1);
            if (id == null || weight == null) ok = false;
            else owners.add(new Routing.Owner(id, hubspot, weight));
        }
        return ok ? owners : null;
    }
}
