package dev.handoff.aws;

import static dev.handoff.aws.ContactTable.CREATED_AT;
import static dev.handoff.aws.ContactTable.HISTORY;
import static dev.handoff.aws.ContactTable.PROPERTY_PREFIX;
import static dev.handoff.aws.ContactTable.STAGE;
import static dev.handoff.aws.ContactTable.UPDATED_AT;
import static dev.handoff.aws.ContactTable.VERSION;
import static dev.handoff.aws.ContactTable.VISITOR_IDS;

import dev.handoff.core.Reason;
import dev.handoff.core.Stage;
import dev.handoff.core.StageMove;
import dev.handoff.core.app.FormIntake;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The explicit mapping of a contact's {@code PROFILE} item: one attribute per property ({@code p_<name>}), the
 * stage, the stage history (a list of maps, oldest first), the linked visitor ids, and the version that guards
 * stage moves.
 */
final class ProfileItems {
    private ProfileItems() {}

    /** What a profile item holds. */
    record Profile(Map<String, String> properties, Stage stage, List<StageMove> history, long version, TreeSet<String> visitorIds) {
        static final Profile NONE = new Profile(Map.of(), null, List.of(), 0, new TreeSet<>());
    }

    static Profile fromItem(Map<String, AttributeValue> item) {
        if (item == null) return Profile.NONE;
        Map<String, String> properties = new TreeMap<>();
        for (Map.Entry<String, AttributeValue> a : item.entrySet()) {
            if (a.getKey().startsWith(PROPERTY_PREFIX) && a.getValue().s() != null) {
                properties.put(a.getKey().substring(PROPERTY_PREFIX.length()), a.getValue().s());
            }
        }
        String stageId = SignalItems.str(item, STAGE);
        Stage stage = stageId == null ? null
                : Stage.fromId(stageId).orElseThrow(() -> new IllegalStateException("a profile with unknown stage " + stageId));
        AttributeValue hist = item.get(HISTORY);
        List<StageMove> history = hist != null && hist.hasL() ? hist.l().stream().map(ProfileItems::moveOf).toList() : List.of();
        AttributeValue ver = item.get(VERSION);
        long version = ver != null && ver.n() != null ? Long.parseLong(ver.n()) : 0;
        TreeSet<String> visitorIds = new TreeSet<>();
        AttributeValue vids = item.get(VISITOR_IDS);
        if (vids != null && vids.hasSs()) visitorIds.addAll(vids.ss());
        return new Profile(properties, stage, history, version, visitorIds);
    }

    /**
     * The update expression that sets these properties (each a plain SET, sorted by name), stamps
     * {@code updatedAt}/{@code createdAt} and bumps the version, with its names and values. {@code add} is more
     * of the ADD clause ("" for none), whose names and values the caller adds.
     */
    record PropertiesUpdate(String expression, Map<String, String> names, Map<String, AttributeValue> values) {}

    static PropertiesUpdate propertiesUpdate(Map<String, String> properties, String now, String add) {
        return propertiesUpdate(properties, now, add, false);
    }

    /**
     * As above; with {@code firstTouch}, each attribution field ({@link FormIntake#FIRST_TOUCH}) is also written
     * to its {@code first_} property by the first post that carries it, and never replaced.
     */
    static PropertiesUpdate propertiesUpdate(Map<String, String> properties, String now, String add, boolean firstTouch) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#updatedAt", UPDATED_AT);
        names.put("#createdAt", CREATED_AT);
        names.put("#ver", VERSION);
        values.put(":now", AttributeValue.fromS(now));
        values.put(":one", AttributeValue.fromN("1"));
        StringBuilder set = new StringBuilder("SET #updatedAt = :now, #createdAt = if_not_exists(#createdAt, :now)");
        int i = 0;
        for (Map.Entry<String, String> p : new TreeMap<>(properties).entrySet()) {
            set.append(", #p").append(i).append(" = :p").append(i);
            names.put("#p" + i, PROPERTY_PREFIX + p.getKey());
            values.put(":p" + i, AttributeValue.fromS(p.getValue()));
            if (firstTouch && FormIntake.FIRST_TOUCH.contains(p.getKey())) {
                set.append(", #f").append(i).append(" = if_not_exists(#f").append(i).append(", :p").append(i).append(')');
                names.put("#f" + i, PROPERTY_PREFIX + FormIntake.FIRST_PREFIX + p.getKey());
            }
            i++;
        }
        return new PropertiesUpdate(set + " ADD #ver :one" + add, names, values);
    }

    static AttributeValue moveItem(StageMove m) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        if (m.from() != null) item.put(ContactTable.HIST_FROM, AttributeValue.fromS(m.from().id()));
        item.put(ContactTable.HIST_TO, AttributeValue.fromS(m.to().id()));
        item.put(ContactTable.HIST_AT, AttributeValue.fromS(m.at().toString()));
        item.put(ContactTable.HIST_REASON, AttributeValue.fromS(m.reason().code()));
        item.put(ContactTable.HIST_ACTOR, AttributeValue.fromS(m.actor()));
        if (m.policyVersion() != null) item.put(ContactTable.HIST_POLICY_VERSION, AttributeValue.fromS(m.policyVersion()));
        if (m.note() != null) item.put(ContactTable.HIST_NOTE, AttributeValue.fromS(m.note()));
        return AttributeValue.fromM(item);
    }

    static StageMove moveOf(AttributeValue value) {
        Map<String, AttributeValue> m = value.m();
        String reason = SignalItems.str(m, ContactTable.HIST_REASON);
        return new StageMove(
                stage(SignalItems.str(m, ContactTable.HIST_FROM)),
                stage(SignalItems.str(m, ContactTable.HIST_TO)),
                Instant.parse(SignalItems.str(m, ContactTable.HIST_AT)),
                Reason.fromCode(reason).orElseThrow(() -> new IllegalStateException("a stage move with unknown reason " + reason)),
                SignalItems.str(m, ContactTable.HIST_ACTOR),
                SignalItems.str(m, ContactTable.HIST_POLICY_VERSION),
                SignalItems.str(m, ContactTable.HIST_NOTE));
    }

    private static Stage stage(String id) {
        if (id == null) return null;
        return Stage.fromId(id).orElseThrow(() -> new IllegalStateException("unknown stage " + id));
    }
}
