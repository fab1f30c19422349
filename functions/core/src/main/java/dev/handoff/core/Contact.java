package dev.handoff.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What Handoff knows of one person: HubSpot-named properties, identity (email and the visitor ids linked to it),
 * the signals that may count, the current stage and every move that led there.
 *
 * <p>Signals are deduplicated by id here, once, so that evaluation never sees the same event twice.
 */
public record Contact(
        String email,
        Map<String, String> properties,
        Set<String> visitorIds,
        List<Signal> signals,
        Stage stage,
        List<StageMove> history) {

    public Contact {
        // The value of an EmailAddress, parsed where it entered; not checked again for every copy made here.
        if (email == null || email.isBlank()) throw new IllegalArgumentException("a contact needs an email");
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        visitorIds = Collections.unmodifiableSet(new LinkedHashSet<>(visitorIds));
        signals = dedupe(signals);
        history = List.copyOf(history);
    }

    /** A contact not yet in any stage. */
    public static Contact of(EmailAddress email) {
        return new Contact(email.value(), Map.of(), Set.of(), List.of(), null, List.of());
    }

    /** A contact not yet in any stage, by an address from outside (parsed, so normalised). */
    public static Contact of(String email) {
        return of(EmailAddress.parse(email));
    }

    /** The part after '@', lower-cased; empty when there is none. */
    public String emailDomain() {
        int at = email.lastIndexOf('@');
        return at < 0 ? "" : email.substring(at + 1);
    }

    public Optional<Stage> currentStage() {
        return Optional.ofNullable(stage);
    }

    public Optional<String> property(String name) {
        String v = properties.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    public Contact withProperties(Map<String, String> changes) {
        Map<String, String> merged = new LinkedHashMap<>(properties);
        merged.putAll(changes);
        return new Contact(email, merged, visitorIds, signals, stage, history);
    }

    public Contact withSignal(Signal signal) {
        List<Signal> more = new ArrayList<>(signals);
        more.add(signal);
        return new Contact(email, properties, visitorIds, more, stage, history);
    }

    public Contact withSignals(List<? extends Signal> added) {
        List<Signal> more = new ArrayList<>(signals);
        more.addAll(added);
        return new Contact(email, properties, visitorIds, more, stage, history);
    }

    public Contact withVisitorId(String visitorId) {
        Set<String> ids = new LinkedHashSet<>(visitorIds);
        ids.add(visitorId);
        return new Contact(email, properties, ids, signals, stage, history);
    }

    /** Applies a recorded move: the stage becomes {@code move.to()} and the move joins the history. */
    public Contact withMove(StageMove move) {
        List<StageMove> moves = new ArrayList<>(history);
        moves.add(move);
        return new Contact(email, properties, visitorIds, signals, move.to(), moves);
    }

    /**
     * When the contact first reached {@code target}: the first move onto it, or over it from a lower stage, since a
     * contact that skips a stage has still passed it (as HubSpot fills "became a ... date" for skipped stages).
     */
    public Optional<Instant> becameAt(Stage target) {
        for (StageMove m : history) {
            boolean skippedOver = m.from() != null && m.to().isAfter(target) && target.isAfter(m.from());
            if (m.to() == target || skippedOver) {
                return Optional.of(m.at());
            }
        }
        return Optional.empty();
    }

    /** "Became X at" for every stage the contact has reached, in ladder order. */
    public Map<Stage, Instant> becameAtByStage() {
        Map<Stage, Instant> out = new LinkedHashMap<>();
        for (Stage s : Stage.values()) becameAt(s).ifPresent(at -> out.put(s, at));
        return out;
    }

    private static List<Signal> dedupe(List<? extends Signal> signals) {
        Set<String> seen = new HashSet<>(signals.size() * 2);
        List<Signal> out = new ArrayList<>(signals.size());
        for (Signal s : signals) {
            if (seen.add(s.id())) out.add(s);
        }
        return Collections.unmodifiableList(out);
    }
}
