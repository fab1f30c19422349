package dev.handoff.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
    /** Per day, the exact times of its signals where the tally knows them (see {@link #earlyCounts}). */
    private final Map<Integer, KnownTimes> known;
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

    private SignalTally(int[] days, Counter[] counters, int[][] counts, List<Signal> kept, Map<Integer, KnownTimes> known) {
        this.days = days;
        this.counters = counters;
        this.counts = counts;
        this.kept = kept;
        this.known = known;
    }

    /**
     * The exact times of one day's signals over a span of it, {@code [from, to)} in epoch milliseconds: every signal
     * of the day in that span is here (sorted by time), with its counter.
     */
    private record KnownTimes(long from, long to, long[] times, Counter[] counters) {}

    private static final long DAY_MILLIS = 86_400_000L;

    /**
     * Per counter, how many of the signals counted on {@code day} occurred before {@code cutoff}, when the tally knows
     * it; null when there are none to take off or the tally cannot tell. A window of N days starts at now minus N
     * days, inside a UTC day: the evaluator takes these off that day's counts, so that a signal counts for exactly
     * N × 24 hours (PRODUCT §5). A tally built from signals knows every time; a stored one knows the times the store
     * read for the days it was asked about ({@link Builder#know}); where it knows none, the whole day counts.
     */
    public int[] earlyCounts(int day, Instant cutoff) {
        KnownTimes k = known.get(day);
        if (k == null) return null;
        int d = Arrays.binarySearch(days, day);
        if (d < 0) return null;
        long cut = cutoff.toEpochMilli();
        long dayStart = day * DAY_MILLIS;
        int[] early = new int[counters.length];
        boolean any = false;
        if (k.from() <= dayStart && cut <= k.to()) {
            for (int i = 0; i < k.times().length && k.times()[i] < cut; i++) {
                int c = indexOf(k.counters()[i]);
                // A signal the store knows but has not counted yet (it is being recounted) takes nothing off.
                if (c < 0 || early[c] >= counts[d][c]) continue;
                early[c]++;
                any = true;
            }
        } else if (k.to() >= dayStart + DAY_MILLIS && cut >= k.from()) {
            int[] late = new int[counters.length];
            for (int i = 0; i < k.times().length; i++) {
                int c = indexOf(k.counters()[i]);
                if (c >= 0 && k.times()[i] >= cut) late[c]++;
            }
            for (int c = 0; c < early.length; c++) {
                early[c] = Math.max(0, counts[d][c] - late[c]);
                any |= early[c] > 0;
            }
        } else {
            return null;
        }
        return any ? early : null;
    }

    private int indexOf(Counter counter) {
        for (int c = 0; c < counters.length; c++) if (counters[c].equals(counter)) return c;
        return -1; // a signal the store knows but has not counted yet, of a counter nothing else counts
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
        for (int d = 0; d < days.length; d++) if (days[d] >= oldestDay) b.addDay(this, d);
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
        private final Map<Integer, DayTimes> times = new java.util.HashMap<>();

        /** What the builder knows of one day's signal times: every signal of the day in [from, to) is in signals. */
        private static final class DayTimes {
            long from;
            long to;
            /** Counts came without times, and no span the store read vouches for them. */
            boolean unknown;
            /** A span the store read ({@link #know}): counts added without times are covered by it. */
            boolean vouched;
            final Map<String, Long> at = new java.util.HashMap<>();
            final Map<String, Counter> counter = new java.util.HashMap<>();

            DayTimes(int day) {
                from = day * DAY_MILLIS;
                to = from + DAY_MILLIS;
            }

            void record(String id, long time, Counter c) {
                if (time < from || time >= to) return;
                at.put(id, time);
                counter.put(id, c);
            }

            void narrow(long newFrom, long newTo) {
                from = Math.max(from, newFrom);
                to = Math.min(to, newTo);
                at.entrySet().removeIf(e -> e.getValue() < from || e.getValue() >= to);
                counter.keySet().retainAll(at.keySet());
            }
        }

        private DayTimes timesOf(int day) {
            return times.computeIfAbsent(day, DayTimes::new);
        }

        /** Counts one signal (the caller has made sure it is not counted already) and keeps it if it is a kept one. */
        public Builder add(Signal signal, Function<String, String> categoryOf) {
            int day = dayOf(signal.occurredAt());
            Counter counter = Counter.of(signal, categoryOf);
            count(day, counter, 1);
            timesOf(day).record(signal.id(), signal.occurredAt().toEpochMilli(), counter);
            return keep(signal);
        }

        /** Counts {@code n} signals of a day whose times are not known. */
        public Builder add(int day, Counter counter, int n) {
            if (n < 0) throw new IllegalArgumentException("a count cannot be negative");
            if (n == 0) return this;
            count(day, counter, n);
            DayTimes t = timesOf(day);
            if (!t.vouched) t.unknown = true;
            return this;
        }

        private void count(int day, Counter counter, int n) {
            if (n < 0) throw new IllegalArgumentException("a count cannot be negative");
            if (n == 0) return;
            byDay.computeIfAbsent(day, d -> new LinkedHashMap<>()).merge(counter, n, Integer::sum);
        }

        /**
         * Vouches that {@code signals} are every signal counted on {@code day} that occurred in {@code [from, to)}
         * (a store that keeps the day as counts reads the span's signals back to say so), so that a window starting
         * inside that span counts exactly ({@link SignalTally#earlyCounts}). Counts nothing.
         */
        public Builder know(int day, Instant from, Instant to, List<? extends Signal> signals, Function<String, String> categoryOf) {
            DayTimes t = timesOf(day);
            t.narrow(from.toEpochMilli(), to.toEpochMilli());
            t.unknown = false;
            t.vouched = true;
            for (Signal s : signals) t.record(s.id(), s.occurredAt().toEpochMilli(), Counter.of(s, categoryOf));
            return this;
        }

        public Builder addAll(SignalTally t) {
            for (int d = 0; d < t.days.length; d++) addDay(t, d);
            for (Signal s : t.kept) keep(s);
            return this;
        }

        /** Day {@code d} of {@code t}: its counts, and what {@code t} knows of its times. */
        private void addDay(SignalTally t, int d) {
            int day = t.days[d];
            for (int c = 0; c < t.counters.length; c++) count(day, t.counters[c], t.counts[d][c]);
            KnownTimes k = t.known.get(day);
            DayTimes mine = timesOf(day);
            if (k == null) {
                mine.unknown = true;
                mine.vouched = false;
                return;
            }
            mine.narrow(k.from(), k.to());
            for (int i = 0; i < k.times().length; i++) mine.record("#" + day + "#" + i + "#" + System.identityHashCode(k), k.times()[i], k.counters()[i]);
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
            Map<Integer, KnownTimes> known = new java.util.HashMap<>();
            for (Map.Entry<Integer, DayTimes> e : times.entrySet()) {
                DayTimes t = e.getValue();
                if (t.unknown || !byDay.containsKey(e.getKey())) continue;
                List<Map.Entry<String, Long>> sorted = new ArrayList<>(t.at.entrySet());
                sorted.sort(Map.Entry.comparingByValue());
                long[] at = new long[sorted.size()];
                Counter[] of = new Counter[sorted.size()];
                for (int i = 0; i < at.length; i++) {
                    at[i] = sorted.get(i).getValue();
                    of[i] = t.counter.get(sorted.get(i).getKey());
                }
                known.put(e.getKey(), new KnownTimes(t.from, t.to, at, of));
            }
            return new SignalTally(days, counterList.toArray(Counter[]::new), counts, List.copyOf(kept), Map.copyOf(known));
        }
    }

}
