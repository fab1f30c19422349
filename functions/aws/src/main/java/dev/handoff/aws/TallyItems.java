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
import java.util.function.Function;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The explicit mapping between a partition's {@link SignalTally} and its one tally item ({@code PROFILE#TALLY} for a
 * contact, {@code LINK#TALLY} for a visitor), which a tracking event reads and rewrites whole: so the item is kept
 * small, since DynamoDB bills a write per KB of the larger of the item before and after it.
 *
 * <ul>
 *   <li>{@code ctr} (L of S): the counters' keys ({@link Counter#key()}, the signal type as a two-letter code:
 *       {@code pv|pricing}), in the order the counts name them.</li>
 *   <li>{@code cnt} (B): the counts, day by day: the day (UTC epoch day; after the first, the gap to the day
 *       before), a bit mask of the counters that day counts, then one count per bit, all as unsigned varints.
 *       A day with four counters takes about six bytes, so 91 days of a busy contact fit in about 550 bytes.</li>
 *   <li>{@code kept} (L of M): the tally's kept signals, each as {@link SignalItems#fields} plus its {@code id}.</li>
 *   <li>{@code rcnt} (B): 6-byte hashes (SHA-256) of the ids of the last {@value #RECENT_IDS} signals recorded,
 *       oldest first: a redelivered or raced event is recognised by them (see {@link Stored#seen}). Two ids of one
 *       contact share a hash with odds of about 1 in 10^13 per event, and the later would be taken for a
 *       redelivery.</li>
 *   <li>{@code ver} (N): bumped by every write; a write is conditional on the version it read.</li>
 * </ul>
 */
public final class TallyItems {
    private TallyItems() {}

    public static final String COUNTERS = "ctr";
    public static final String COUNTS = "cnt";
    public static final String KEPT = "kept";
    public static final String RECENT = "rcnt";
    public static final String VERSION = "ver";
    private static final String KEPT_ID = "id";

    /**
     * How many event ids a tally remembers for deduplication. SQS redelivers after the visibility timeout and
     * EventBridge retries within a day; 12 covers every redelivery unless 12 newer events of the same contact
     * arrived in between (see the README's limits). More would cost write units: the item is rewritten whole.
     */
    public static final int RECENT_IDS = 12;
    private static final int HASH_BYTES = 6;
    private static final int FORMAT = 1;

    /** A partition's tally as stored: the tally, the hashes of the ids recorded last, and the version read. */
    public record Stored(SignalTally tally, long[] recent, long version) {
        public static final Stored NONE = new Stored(SignalTally.EMPTY, new long[0], 0);

        /** Whether a signal with this id was recorded among the last {@value #RECENT_IDS}. */
        public boolean seen(String signalId) {
            long h = hash(signalId);
            for (long r : recent) if (r == h) return true;
            return false;
        }

        /** With the signal counted and remembered, and the days before {@code oldestDay} dropped. */
        public Stored with(Signal signal, Function<String, String> categoryOf, int oldestDay) {
            return new Stored(tally.with(signal, categoryOf).since(oldestDay), remember(recent, hash(signal.id())), version);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Stored s && s.tally.equals(tally) && Arrays.equals(s.recent, recent) && s.version == version;
        }

        @Override
        public int hashCode() {
            return tally.hashCode() * 31 + Arrays.hashCode(recent);
        }

        @Override
        public String toString() {
            return "Stored[" + tally + ", " + recent.length + " recent ids, version " + version + "]";
        }
    }

    /** The state built once from a partition's signal items (a contact stored before tallies), ids remembered. */
    public static Stored fromSignals(List<Signal> signals, Function<String, String> categoryOf, int oldestDay) {
        SignalTally tally = SignalTally.of(signals, categoryOf).since(oldestDay);
        List<Signal> latest = new ArrayList<>(signals);
        latest.sort(java.util.Comparator.comparing(Signal::occurredAt).thenComparing(Signal::id));
        long[] recent = new long[0];
        for (Signal s : latest.subList(Math.max(0, latest.size() - RECENT_IDS), latest.size())) recent = remember(recent, hash(s.id()));
        return new Stored(tally, recent, 0);
    }

    /** The item to put for {@code state}, its version one up. */
    public static Map<String, AttributeValue> toItem(String pk, String sk, Stored state) {
        SignalTally t = state.tally();
        Map<String, AttributeValue> item = new HashMap<>(8);
        item.put(ContactTable.PK, AttributeValue.fromS(pk));
        item.put(ContactTable.SK, AttributeValue.fromS(sk));
        item.put(VERSION, AttributeValue.fromN(Long.toString(state.version() + 1)));
        List<AttributeValue> counters = new ArrayList<>(t.counterCount());
        for (int c = 0; c < t.counterCount(); c++) counters.add(AttributeValue.fromS(shortKey(t.counter(c))));
        item.put(COUNTERS, AttributeValue.fromL(counters));
        item.put(COUNTS, AttributeValue.fromB(SdkBytes.fromByteArray(encodeCounts(t))));
        List<AttributeValue> kept = new ArrayList<>(t.keptSignals().size());
        for (Signal s : t.keptSignals()) {
            Map<String, AttributeValue> fields = SignalItems.fields(s);
            fields.put(KEPT_ID, AttributeValue.fromS(SignalItems.capped(s.id(), SignalItems.MAX_ID_BYTES)));
            kept.add(AttributeValue.fromM(fields));
        }
        item.put(KEPT, AttributeValue.fromL(kept));
        ByteBuffer recent = ByteBuffer.allocate(HASH_BYTES * state.recent().length);
        for (long h : state.recent()) recent.put(ByteBuffer.allocate(8).putLong(h).array(), 8 - HASH_BYTES, HASH_BYTES);
        item.put(RECENT, AttributeValue.fromB(SdkBytes.fromByteArray(recent.array())));
        return item;
    }

    /** The state a tally item holds. */
    public static Stored fromItem(Map<String, AttributeValue> item) {
        AttributeValue ver = item.get(VERSION);
        long version = ver == null || ver.n() == null ? 0 : Long.parseLong(ver.n());
        List<Counter> counters = new ArrayList<>();
        AttributeValue ctr = item.get(COUNTERS);
        if (ctr != null && ctr.hasL()) for (AttributeValue v : ctr.l()) counters.add(counterOf(v.s()));
        SignalTally.Builder b = new SignalTally.Builder();
        AttributeValue cnt = item.get(COUNTS);
        if (cnt != null && cnt.b() != null) decodeCounts(cnt.b().asByteArray(), counters, b);
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
        return new Stored(b.build(), recent, version);
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

    private static long[] remember(long[] recent, long h) {
        int keep = Math.min(recent.length, RECENT_IDS - 1);
        long[] out = new long[keep + 1];
        System.arraycopy(recent, recent.length - keep, out, 0, keep);
        out[keep] = h;
        return out;
    }

    static byte[] encodeCounts(SignalTally t) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8 + 6 * t.dayCount());
        out.write(FORMAT);
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
        if (format != FORMAT) throw new IllegalStateException("a tally item of unknown format " + format);
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
