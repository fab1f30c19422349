package dev.handoff.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What a contact's signals add up to, in a shape whose size does not grow with its history: how many signals of
 * each {@link Counter} occurred on each UTC day, and the few signals that rules need whole (the kept signals).
 * Days older than the policy keeps are dropped ({@link #since}), so the tally is bounded by the window's days
 * times the distinct counters.
 *
 * <p>The kept signals are: the earliest signal that creates a contact (a form or a sales action) and the earliest
 * of all (they decide where a contact enters the ladder), the latest {@code MeetingBooked},
 * {@code SalesActivityLogged} and {@code SalesAccepted} (sales facts stay true whatever their age, and name the
 * owner), and the latest form of each form type (the fast track names it). Among equal times the greater id wins,
 * so the choice never depends on arrival order.
 *
 * <p>Scoring a tally gives exactly what scoring the signals it was built from gives: the evaluator only ever
 * scores tallies ({@code Policy.evaluate} builds one from a contact's signals).
 */
public final class SignalTally {
    public static final SignalTally EMPTY = new Builder().build();

    private static final Comparator<Signal> BY_TIME = Comparator.comparing(Signal::occurredAt).thenComparing(Signal::id);

    private final int[] days;
    private final Counter[] counters;
    private final int[][] counts;
    private final List<Signal> kept;
    /**
     * Per day index d (0 .. dayCount) and counter c, at {@code d * counterCount + c}, the count of the days before d:
     * made by {@link #countsSince} when asked a second time, and kept. A window's counts are then one subtraction per
     * counter rather than a walk over the window's days × counters, which was a third of an evaluation under
     * Lambda's C1 JIT (issue 9, EvaluateBenchmark); a tally read for one evaluation (a Lambda invocation) walks once
     * and makes nothing. Null until then; computing it twice in a race is harmless.
     */
    private volatile int[] countsBefore;
    private volatile boolean countedOnce;
    /** What one reader derives from this tally, kept for the next time it asks (see {@link #derived}). */
    private volatile Derived derived;

    private record Derived(Object owner, Object value) {}

    private SignalTally(int[] days, Counter[] counters, int[][] counts, List<Signal> kept) {
        this.days = days;
        this.counters = counters;
        this.counts = counts;
        this.kept = kept;
    }

    /** The UTC calendar day of an instant, as days since 1970-01-01. */
    public static int dayOf(Instant at) {
        // What at.atOffset(ZoneOffset.UTC).toLocalDate().toEpochDay() gives, without making the date: evaluation asks
        // this for today and for kept forms, and under C1 the date was a few per cent of it (issue 9).
        return (int) Math.floorDiv(at.getEpochSecond(), SECONDS_PER_DAY);
    }

    private static final long SECONDS_PER_DAY = 86_400;

    /** The tally of these signals (distinct by id: the first of an id counts). */
    public static SignalTally of(Collection<? extends Signal> signals, Function<String, String> categoryOf) {
        Builder b = new Builder();
        Set<String> seen = new HashSet<>(signals.size() * 2);
        for (Signal s : signals) if (seen.add(s.id())) b.add(s, categoryOf);
        return b.build();
    }

    /** This tally with one more signal. */
    public SignalTally with(Signal signal, Function<String, String> categoryOf) {
        return toBuilder().add(signal, categoryOf).build();
    }

    /** Both tallies together: a contact's own and a linked visitor's. */
    public SignalTally plus(SignalTally other) {
        if (other.isEmpty()) return this;
        if (isEmpty()) return other;
        return toBuilder().addAll(other).build();
    }

    /** The tally without the days before {@code oldestDay}; the kept signals stay. */
    public SignalTally since(int oldestDay) {
        if (days.length == 0 || days[0] >= oldestDay) return this;
        Builder b = new Builder();
        for (int d = 0; d < days.length; d++) {
            if (days[d] < oldestDay) continue;
            for (int c = 0; c < counters.length; c++) b.add(days[d], counters[c], counts[d][c]);
        }
        for (Signal s : kept) b.keep(s);
        return b.build();
    }

    public Builder toBuilder() {
        return new Builder().addAll(this);
    }

    public boolean isEmpty() {
        return days.length == 0 && kept.isEmpty();
    }

    /** How many days have counts. */
    public int dayCount() {
        return days.length;
    }

    /** The {@code i}-th day with counts (UTC epoch day), oldest first. */
    public int day(int i) {
        return days[i];
    }

    public int counterCount() {
        return counters.length;
    }

    public Counter counter(int c) {
        return counters[c];
    }

    /** The count of counter {@code c} on the {@code d}-th day. */
    public int count(int d, int c) {
        return counts[d][c];
    }

    /** Per counter, its count over the days from {@code oldestDay} on (days after today included). */
    public int[] countsSince(int oldestDay) {
        int[] before = countsBefore;
        if (before == null) {
            if (!countedOnce) {
                countedOnce = true;
                return countsWalkingSince(oldestDay);
            }
            before = countsBefore();
        }
        int n = counters.length;
        int all = days.length * n;
        int older = firstDayFrom(oldestDay) * n;
        int[] out = new int[n];
        for (int c = 0; c < n; c++) out[c] = before[all + c] - before[older + c];
        return out;
    }

    /** {@link #countsSince}, plainly: the days from {@code oldestDay} on, added up. */
    private int[] countsWalkingSince(int oldestDay) {
        int[] out = new int[counters.length];
        for (int d = days.length - 1; d >= 0 && days[d] >= oldestDay; d--) {
            int[] day = counts[d];
            for (int c = 0; c < out.length; c++) out[c] += day[c];
        }
        return out;
    }

    /** The index of the first day with counts on or after {@code oldestDay}; {@link #dayCount()} when there is none. */
    public int firstDayFrom(int oldestDay) {
        int at = java.util.Arrays.binarySearch(days, oldestDay);
        return at >= 0 ? at : -at - 1;
    }

    private int[] countsBefore() {
        int[] before = countsBefore;
        if (before == null) {
            int n = counters.length;
            before = new int[(days.length + 1) * n];
            for (int d = 0; d < days.length; d++) {
                int[] day = counts[d];
                for (int c = 0; c < n; c++) before[(d + 1) * n + c] = before[d * n + c] + day[c];
            }
            countsBefore = before;
        }
        return before;
    }

    /**
     * What {@code owner} makes of this tally with {@code make}, made on its first request and kept for the next
     * while the same owner asks (one owner at a time: a tally is evaluated under one policy). For a reader's index
     * of the tally's counters, such as the evaluator's "which rules count which counter"; {@code make} must depend
     * on nothing but the owner and the tally. Thread-safe; two racing requests may both make it.
     */
    @SuppressWarnings("unchecked") // the owner made the value, and only it asks with this identity
    public <T> T derived(Object owner, Function<? super SignalTally, ? extends T> make) {
        Derived d = derived;
        if (d == null || d.owner() != owner) {
            d = new Derived(owner, make.apply(this));
            derived = d;
        }
        return (T) d.value();
    }

    /** Every signal counted, whatever its day. */
    public int total() {
        int n = 0;
        for (int[] day : counts) for (int v : day) n += v;
        return n;
    }

    /** The signals of one type counted. */
    public int total(SignalType type) {
        int n = 0;
        for (int c = 0; c < counters.length; c++) {
            if (counters[c].type() != type) continue;
            for (int[] day : counts) n += day[c];
        }
        return n;
    }

    /** The signals kept whole (see the class comment), oldest first. */
    public List<Signal> keptSignals() {
        return kept;
    }

    /** The counts by day and counter, for storage and tests: day → counter → count. */
    public Map<Integer, Map<Counter, Integer>> countsByDay() {
        Map<Integer, Map<Counter, Integer>> out = new TreeMap<>();
        for (int d = 0; d < days.length; d++) {
            Map<Counter, Integer> day = new LinkedHashMap<>();
            for (int c = 0; c < counters.length; c++) if (counts[d][c] > 0) day.put(counters[c], counts[d][c]);
            out.put(days[d], day);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignalTally t && t.countsByDay().equals(countsByDay()) && t.kept.equals(kept);
    }

    @Override
    public int hashCode() {
        return Objects.hash(countsByDay(), kept);
    }

    @Override
    public String toString() {
        return "SignalTally[" + countsByDay() + ", kept " + kept + "]";
    }

    /** Gathers counts and kept signals; {@link #build()} makes the immutable tally. */
    public static final class Builder {
        private final TreeMap<Integer, Map<Counter, Integer>> byDay = new TreeMap<>();
        private final Map<String, Signal> slots = new LinkedHashMap<>();

        /** Counts one signal (the caller has made sure it is not counted already) and keeps it if it is a kept one. */
        public Builder add(Signal signal, Function<String, String> categoryOf) {
            add(dayOf(signal.occurredAt()), Counter.of(signal, categoryOf), 1);
            return keep(signal);
        }

        public Builder add(int day, Counter counter, int n) {
            if (n < 0) throw new IllegalArgumentException("a count cannot be negative");
            if (n == 0) return this;
            byDay.computeIfAbsent(day, d -> new LinkedHashMap<>()).merge(counter, n, Integer::sum);
            return this;
        }

        public Builder addAll(SignalTally t) {
            for (int d = 0; d < t.days.length; d++) {
                for (int c = 0; c < t.counters.length; c++) add(t.days[d], t.counters[c], t.counts[d][c]);
            }
            for (Signal s : t.kept) keep(s);
            return this;
        }

        /** Keeps the signal in every slot it wins (see the class comment); counts nothing. */
        public Builder keep(Signal s) {
            if (Lifecycle.createsContact(s)) earliest("first-creating", s);
            earliest("first", s);
            switch (s) {
                case Signal.MeetingBooked m -> latest("latest-meeting", s);
                case Signal.SalesActivityLogged a -> latest("latest-activity", s);
                case Signal.SalesAccepted a -> latest("latest-accepted", s);
                case Signal.FormSubmitted f -> latest("latest-form-" + f.formType().id(), s);
                case Signal.PageViewed p -> {}
                case Signal.SessionStarted x -> {}
                case Signal.EmailOpened x -> {}
                case Signal.EmailClicked x -> {}
                case Signal.ContentDownloaded x -> {}
                case Signal.WebinarAttended x -> {}
            }
            return this;
        }

        private void earliest(String slot, Signal s) {
            slots.merge(slot, s, (a, b) -> BY_TIME.compare(a, b) <= 0 ? a : b);
        }

        private void latest(String slot, Signal s) {
            slots.merge(slot, s, (a, b) -> BY_TIME.compare(a, b) >= 0 ? a : b);
        }

        public SignalTally build() {
            List<Counter> counterList = new ArrayList<>();
            Map<Counter, Integer> index = new LinkedHashMap<>();
            for (Map<Counter, Integer> day : byDay.values()) {
                for (Counter c : day.keySet()) {
                    if (!index.containsKey(c)) {
                        index.put(c, counterList.size());
                        counterList.add(c);
                    }
                }
            }
            int[] days = new int[byDay.size()];
            int[][] counts = new int[byDay.size()][counterList.size()];
            int d = 0;
            for (Map.Entry<Integer, Map<Counter, Integer>> day : byDay.entrySet()) {
                days[d] = day.getKey();
                for (Map.Entry<Counter, Integer> c : day.getValue().entrySet()) counts[d][index.get(c.getKey())] = c.getValue();
                d++;
            }
            Map<String, Signal> distinct = new LinkedHashMap<>();
            for (Signal s : slots.values()) distinct.putIfAbsent(s.id(), s);
            List<Signal> kept = new ArrayList<>(distinct.values());
            kept.sort(BY_TIME);
            return new SignalTally(days, counterList.toArray(Counter[]::new), counts, List.copyOf(kept));
        }
    }

}
