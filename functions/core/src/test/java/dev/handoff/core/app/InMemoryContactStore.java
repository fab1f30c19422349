package dev.handoff.core.app;

import dev.handoff.core.Contact;
import dev.handoff.core.Signal;
import dev.handoff.core.Stage;
import dev.handoff.core.StageMove;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A test double of our own port: contacts in maps, with the behaviour the DynamoDB store promises (signals
 * deduplicated by id, moves conditional on the version, an alert once per id). It counts what was written, and a
 * test can make the contact change under the next conditional write ({@link #changeBeforeNextMove}).
 */
public final class InMemoryContactStore implements ContactStore {

    private static final class Entry {
        boolean profile;
        final Map<String, String> properties = new TreeMap<>();
        final Set<String> visitorIds = new LinkedHashSet<>();
        final Map<String, Signal> signals = new LinkedHashMap<>();
        Stage stage;
        final List<StageMove> history = new ArrayList<>();
        long version;
        final Map<String, SqlAlert> alerts = new LinkedHashMap<>();
        final List<Deal> deals = new ArrayList<>();
    }

    private final Map<String, Entry> contacts = new LinkedHashMap<>();
    private final Map<String, Map<String, Signal>> visitors = new LinkedHashMap<>();
    private final Map<String, String> links = new LinkedHashMap<>();

    /** Every properties write, as given. */
    final List<Map<String, String>> propertyWrites = new ArrayList<>();
    /** Every move recorded, in order. */
    final List<StageMove> movesRecorded = new ArrayList<>();
    /** Every alert recorded, in order. */
    final List<SqlAlert> alertsRecorded = new ArrayList<>();
    int writes;

    private Runnable beforeNextMove;

    /** Runs {@code change} just before the next {@link #recordMoves} checks the version. */
    void changeBeforeNextMove(Runnable change) {
        this.beforeNextMove = change;
    }

    /** How many writes of any kind were made. */
    int writeCount() {
        return writes;
    }

    private Entry entry(String email) {
        return contacts.computeIfAbsent(email, e -> new Entry());
    }

    @Override
    public synchronized boolean recordSignal(ContactRef who, Signal signal) {
        Map<String, Signal> signals = switch (who) {
            case ContactRef.ByEmail e -> entry(e.email().value()).signals;
            case ContactRef.ByVisitor v -> visitors.computeIfAbsent(v.visitorId().value(), k -> new LinkedHashMap<>());
        };
        if (signals.containsKey(signal.id())) return false;
        signals.put(signal.id(), signal);
        writes++;
        return true;
    }

    @Override
    public synchronized boolean recordSubmission(FormSubmission s) {
        Entry e = entry(s.email().value());
        if (e.signals.containsKey(s.submissionId())) return false;
        e.signals.put(s.submissionId(), s.signal());
        e.profile = true;
        e.properties.putAll(s.properties());
        e.version++;
        if (s.visitorId() != null) {
            e.visitorIds.add(s.visitorId().value());
            links.put(s.visitorId().value(), s.email().value());
        }
        writes++;
        return true;
    }

    @Override
    public synchronized Optional<StoredContact> load(String email) {
        String normalized = email;
        Entry e = contacts.get(normalized);
        if (e == null || (!e.profile && e.signals.isEmpty())) return Optional.empty();
        List<Signal> signals = new ArrayList<>(e.signals.values());
        Set<String> linked = new LinkedHashSet<>();
        for (String vid : e.visitorIds) {
            if (!normalized.equals(links.get(vid))) continue;
            linked.add(vid);
            signals.addAll(visitors.getOrDefault(vid, Map.of()).values());
        }
        signals.sort(Comparator.comparing(Signal::occurredAt).thenComparing(Signal::id));
        return Optional.of(new StoredContact(
                new Contact(normalized, e.properties, linked, signals, e.stage, e.history), e.version));
    }

    @Override
    public synchronized Optional<String> emailOfVisitor(String visitorId) {
        return Optional.ofNullable(links.get(visitorId));
    }

    @Override
    public synchronized boolean recordMoves(String email, long expectedVersion, List<StageMove> moves, SqlAlert alert) {
        Runnable change = beforeNextMove;
        beforeNextMove = null;
        if (change != null) change.run();
        Entry e = entry(email);
        if (e.version != expectedVersion) return false;
        if (alert != null && e.alerts.containsKey(alert.alertId())) return false;
        e.profile = true;
        e.history.addAll(moves);
        e.stage = moves.get(moves.size() - 1).to();
        e.version++;
        movesRecorded.addAll(moves);
        if (alert != null) {
            e.alerts.put(alert.alertId(), alert);
            alertsRecorded.add(alert);
        }
        writes++;
        return true;
    }

    @Override
    public synchronized long recordProperties(String email, Map<String, String> properties) {
        if (properties.isEmpty()) throw new IllegalArgumentException("recordProperties needs at least one property");
        Entry e = entry(email);
        e.profile = true;
        e.properties.putAll(properties);
        e.version++;
        propertyWrites.add(Map.copyOf(properties));
        writes++;
        return e.version;
    }

    @Override
    public synchronized List<Deal> deals(String email) {
        Entry e = contacts.get(email);
        return e == null ? List.of() : List.copyOf(e.deals);
    }

    /** What the alert function does for an alert: a deal. */
    synchronized void addDeal(String email, Deal deal) {
        entry(email).deals.add(deal);
    }

    @Override
    public synchronized int erase(String email) {
        String normalized = email;
        Entry e = contacts.remove(normalized);
        if (e == null) return 0;
        int items = (e.profile ? 1 : 0) + e.signals.size() + e.alerts.size() + e.deals.size();
        for (String vid : e.visitorIds) {
            if (!normalized.equals(links.get(vid))) continue;
            links.remove(vid);
            items += 1;
            Map<String, Signal> signals = visitors.remove(vid);
            if (signals != null) items += signals.size();
        }
        return items;
    }

    synchronized boolean holdsAnythingOf(String email, Set<String> visitorIds) {
        String normalized = email;
        if (contacts.containsKey(normalized) || links.containsValue(normalized)) return true;
        for (String vid : visitorIds) if (visitors.containsKey(vid) || links.containsKey(vid)) return true;
        return false;
    }
}
