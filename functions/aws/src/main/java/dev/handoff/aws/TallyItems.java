package dev.handoff.aws;

import dev.handoff.core.Counter;
import dev.handoff.core.Signal;
import dev.handoff.core.SignalTally;
import dev.handoff.core.SignalType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The explicit mapping between a partition's folded signals and its one tally item ({@code PROFILE#TALLY} for a
 * contact, {@code LINK#TALLY} for a visitor). Qualification rewrites it whole every few events, when it folds the
 * partition's newest signal items into it ({@link DynamoDbSignalLog}); it is kept small, since DynamoDB bills a
 * write per KB of the larger of the item before and after it.
 *
 * <ul>
 *   <li>{@code f} (N): the item's format, {@value #FORMAT_LOG}; an item without it was written before the signal
 *       log (format 1: every signal counted into it, with the hashes of the last ids) and is read as legacy.</li>
 *   <li>{@code ctr} (L of S): the counters' keys ({@link Counter#key()}, the signal type as a two-letter code:
 *       {@code pv|pricing}), in the order the counts name them.</li>
 *   <li>{@code cnt} (B): the folded counts, day by day: the day (UTC epoch day; after the first, the gap to the day
 *       before), a bit mask of the counters that day counts, then one count per bit, all as unsigned varints.
 *       A day with four counters takes about six bytes, so 91 days of a busy contact fit in about 550 bytes.</li>
 *   <li>{@code kept} (L of M): the kept signals, each as {@link SignalItems#fields} plus its {@code id}.</li>
 *   <li>{@code mark} (S): the log key of the newest signal folded; log items with a smaller key (newer) are the
 *       tail, not folded yet. Absent: nothing folded.</li>
 *   <li>{@code lctr}, {@code lcnt}: counts carried over from before the log (a tally of format 1 or {@code E#}
 *       signal items), which no log item backs, so a day's recount never touches them.</li>
 *   <li>{@code lgcy} (N, epoch ms) and {@code rcnt} (B): when the partition came from before the log, and the
 *       6-byte hashes of the ids a format-1 tally remembered; an event that occurred before {@code lgcy} is checked
 *       against them and against the partition's {@code E#} items, so a redelivery from before the change still
 *       counts once.</li>
 *   <li>{@code ver} (N): bumped by every write; a write is conditional on the version it read.</li>
 * </ul>
 */
public final class TallyItems {
    private TallyItems() {}

    public static final String FORMAT = "f";
    public static final String COUNTERS = "ctr";
    public static final String COUNTS = "cnt";
    public static final String KEPT = "kept";
    public static final String MARK = "mark";
    public static final String LEGACY_COUNTERS = "lctr";
    public static final String LEGACY_COUNTS = "lcnt";
    public static final String LEGACY_UNTIL = "lgcy";
    public static final String RECENT = "rcnt";
    public static final String VERSION = "ver";
    private static final String KEPT_ID = "id";

    static final int FORMAT_LOG = 2;
    private static final int HASH_BYTES = 6;
    private static final int COUNTS_FORMAT = 1;

    /**
     * A partition's tally item as stored.
     *
     * @param folded the log items folded so far (up to {@code mark}), with every kept signal
     * @param legacy counts from before the log (no kept signals: those are in {@code folded})
     * @param mark the log key of the newest signal folded, or null
     * @param legacyRecent hashes of ids a format-1 tally remembered
     * @param legacyUntil epoch ms: events that occurred before it may have been counted before the log (0: none)
     * @param version 0 when there is no item
     * @param current false for an item of format 1 (read as legacy), which the next fold rewrites
     */
    public record Stored(SignalTally folded, SignalTally legacy, String mark, long[] legacyRecent, long legacyUntil,
            long version, boolean current) {
        public static final Stored NONE = new Stored(SignalTally.EMPTY, SignalTally.EMPTY, null, new long[0], 0, 0, true);

        /** Everything the item counts: folded and legacy. */
        public SignalTally counted() {
            return folded.plus(legacy);
        }

        /** Whether a log item of this key is newer than the mark: in the tail, not folded yet. */
        public boolean inTail(String logKey) {
            return mark == null || logKey.compareTo(mark) < 0;
        }

        /** Whether a format-1 tally remembered this id among its last. */
        public boolean rememberedBeforeLog(String signalId) {
            long h = hash(signalId);
            for (long r : legacyRecent) if (r == h) return true;
            return false;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Stored s && s.folded.equals(folded) && s.legacy.equals(legacy) && java.util.Objects.equals(s.mark, mark)
                    && Arrays.equals(s.legacyRecent, legacyRecent) && s.legacyUntil == legacyUntil && s.version == version
                    && s.current == current;
        }

        @Override
        public int hashCode() {
            return folded.hashCode() * 31 + legacy.hashCode() + java.util.Objects.hashCode(mark);
        }

        @Override
        public String toString() {
            return "Stored[" + folded + ", legacy " + legacy + ", mark " + mark + ", version " + version + "]";
        }
    }

    /** The item to put for {@code state}, its version one up. */
    public static Map<String, AttributeValue> toItem(String pk, String sk, Stored state) {
        Map<String, AttributeValue> item = new HashMap<>(12);
        item.put(ContactTable.PK, AttributeValue.fromS(pk));
        item.put(ContactTable.SK, AttributeValue.fromS(sk));
        item.put(FORMAT, AttributeValue.fromN(Integer.toString(FORMAT_LOG)));
        item.put(VERSION, AttributeValue.fromN(Long.toString(state.version() + 1)));
        SignalTally t = state.folded();
        item.put(COUNTERS, counterList(t));
        item.put(COUNTS, AttributeValue.fromB(SdkBytes.fromByteArray(encodeCounts(t))));
        List<AttributeValue> kept = new ArrayList<>(t.keptSignals().size());
        for (Signal s : t.keptSignals()) {
            Map<String, AttributeValue> fields = SignalItems.fields(s);
            fields.put(KEPT_ID, AttributeValue.fromS(SignalItems.capped(s.id(), SignalItems.MAX_ID_BYTES)));
            kept.add(AttributeValue.fromM(fields));
        }
        item.put(KEPT, AttributeValue.fromL(kept));
        if (state.mark() != null) item.put(MARK, AttributeValue.fromS(state.mark()));
        if (state.legacyUntil() > 0) {
            item.put(LEGACY_UNTIL, AttributeValue.fromN(Long.toString(state.legacyUntil())));
            if (!state.legacy().isEmpty()) {
                item.put(LEGACY_COUNTERS, counterList(state.legacy()));
                item.put(LEGACY_COUNTS, AttributeValue.fromB(SdkBytes.fromByteArray(encodeCounts(state.legacy()))));
            }
            if (state.legacyRecent().length > 0) {
                ByteBuffer recent = ByteBuffer.allocate(HASH_BYTES * state.legacyRecent().length);
                for (long h : state.legacyRecent()) recent.put(ByteBuffer.allocate(8).putLong(h).array(), 8 - HASH_BYTES, HASH_BYTES);
                item.put(RECENT, AttributeValue.fromB(SdkBytes.fromByteArray(recent.array())));
            }
        }
        return item;
    }

    private static AttributeValue counterList(SignalTally t) {
        List<AttributeValue> counters = new ArrayList<>(t.counterCount());
        for (int c = 0; c < t.counterCount(); c++) counters.add(AttributeValue.fromS(shortKey(t.counter(c))));
        return AttributeValue.fromL(counters);
    }

    /**
     * The state a tally item holds. An item of format 1 (before the log) is read as legacy counts that came into
     * being at {@code readAt}: nothing of it is folded, its kept signals stay kept.
     */
    public static Stored fromItem(Map<String, AttributeValue> item, long readAt) {
        AttributeValue ver = item.get(VERSION);
        long version = ver == null || ver.n() == null ? 0 : Long.parseLong(ver.n());
        SignalTally.Builder b = new SignalTally.Builder();
        decodeInto(item, COUNTERS, COUNTS, b);
        AttributeValue kept = item.get(KEPT);
        if (kept != null && kept.hasL()) {
            for (AttributeValue v : kept.l()) b.keep(SignalItems.fromFields(SignalItems.str(v.m(), KEPT_ID), v.m()));
        }
        long[] recent = new long[0];
        AttributeValue r = item.get(RECENT);
        if (r != null && r.b() != null) {
            ByteBuffer buf = r.b().asByteBuffer();
            recent = new long[buf.remaining() / HASH_BYTES];
            for (int i = 0; i < recent.length; i++) {
                byte[] h = new byte[8];
                buf.get(h, 8 - HASH_BYTES, HASH_BYTES);
                recent[i] = ByteBuffer.wrap(h).getLong();
            }
        }
        if (!item.containsKey(FORMAT)) {
            // Format 1: everything it counts came before the log.
            SignalTally all = b.build();
            SignalTally.Builder keptOnly = new SignalTally.Builder();
            for (Signal s : all.keptSignals()) keptOnly.keep(s);
            SignalTally.Builder counts = new SignalTally.Builder();
            for (int d = 0; d < all.dayCount(); d++) {
                for (int c = 0; c < all.counterCount(); c++) counts.add(all.day(d), all.counter(c), all.count(d, c));
            }
            return new Stored(keptOnly.build(), counts.build(), null, recent, readAt, version, false);
        }
        SignalTally.Builder legacy = new SignalTally.Builder();
        decodeInto(item, LEGACY_COUNTERS, LEGACY_COUNTS, legacy);
        AttributeValue mark = item.get(MARK);
        AttributeValue until = item.get(LEGACY_UNTIL);
        return new Stored(b.build(), legacy.build(), mark == null ? null : mark.s(), recent,
                until == null ? 0 : Long.parseLong(until.n()), version, true);
    }

    private static void decodeInto(Map<String, AttributeValue> item, String countersName, String countsName, SignalTally.Builder into) {
        List<Counter> counters = new ArrayList<>();
        AttributeValue ctr = item.get(countersName);
        if (ctr != null && ctr.hasL()) for (AttributeValue v : ctr.l()) counters.add(counterOf(v.s()));
        AttributeValue cnt = item.get(countsName);
        if (cnt != null && cnt.b() != null) decodeCounts(cnt.b().asByteArray(), counters, into);
    }

    static long hash(String signalId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(signalId.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong() & ((1L << (8 * HASH_BYTES)) - 1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The signal types' codes in stored counter keys: the ids are long, and every byte is written per event. */
    private static final Map<SignalType, String> CODES = Map.of(
            SignalType.PAGE_VIEWED, "pv", SignalType.SESSION_STARTED, "ss", SignalType.EMAIL_OPENED, "eo",
            SignalType.EMAIL_CLICKED, "ec", SignalType.CONTENT_DOWNLOADED, "cd", SignalType.WEBINAR_ATTENDED, "wa",
            SignalType.MEETING_BOOKED, "mb", SignalType.SALES_ACTIVITY_LOGGED, "sl", SignalType.SALES_ACCEPTED, "sa",
            SignalType.FORM_SUBMITTED, "fs");

    static String shortKey(Counter c) {
        String key = c.key();
        String id = c.type().id();
        return CODES.get(c.type()) + key.substring(id.length());
    }

    static Counter counterOf(String shortKey) {
        int cut = shortKey.indexOf('|');
        String code = cut < 0 ? shortKey : shortKey.substring(0, cut);
        for (Map.Entry<SignalType, String> e : CODES.entrySet()) {
            if (e.getValue().equals(code)) return Counter.fromKey(e.getKey().id() + shortKey.substring(code.length()));
        }
        throw new IllegalStateException("a tally item with a counter of unknown type " + shortKey);
    }

    static byte[] encodeCounts(SignalTally t) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8 + 6 * t.dayCount());
        out.write(COUNTS_FORMAT);
        int maskBytes = (t.counterCount() + 7) / 8;
        writeVarint(out, t.dayCount());
        int previous = 0;
        for (int d = 0; d < t.dayCount(); d++) {
            writeVarint(out, d == 0 ? t.day(d) : t.day(d) - previous);
            previous = t.day(d);
            byte[] mask = new byte[maskBytes];
            for (int c = 0; c < t.counterCount(); c++) if (t.count(d, c) > 0) mask[c / 8] |= (byte) (1 << (c % 8));
            out.writeBytes(mask);
            for (int c = 0; c < t.counterCount(); c++) if (t.count(d, c) > 0) writeVarint(out, t.count(d, c));
        }
        return out.toByteArray();
    }

    static void decodeCounts(byte[] bytes, List<Counter> counters, SignalTally.Builder into) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int format = in.get();
        if (format != COUNTS_FORMAT) throw new IllegalStateException("a tally item of unknown format " + format);
        int maskBytes = (counters.size() + 7) / 8;
        int days = readVarint(in);
        int day = 0;
        for (int d = 0; d < days; d++) {
            day = d == 0 ? readVarint(in) : day + readVarint(in);
            byte[] mask = new byte[maskBytes];
            in.get(mask);
            for (int c = 0; c < counters.size(); c++) {
                if ((mask[c / 8] & (1 << (c % 8))) != 0) into.add(day, counters.get(c), readVarint(in));
            }
        }
    }

    private static void writeVarint(ByteArrayOutputStream out, int value) {
        if (value < 0) throw new IllegalArgumentException("varints here are unsigned");
        while ((value & ~0x7F) != 0) {
            out.write((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write(value);
    }

    private static int readVarint(ByteBuffer in) {
        int value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in.get();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
    }
}
