package dev.handoff.aws;

import static dev.handoff.aws.ContactTable.PK;
import static dev.handoff.aws.ContactTable.SK;

import dev.handoff.core.Signal;
import dev.handoff.core.SignalTally;
import dev.handoff.core.policy.Policy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * A partition's signals as a log: one item per signal, keyed by its time counted down and its id ({@link
 * ContactTable#logKey}), and a tally item that the newest of them are folded into every few events.
 *
 * <ul>
 *   <li><b>Recording</b> is one conditional PutItem of the signal's item: 1 WRU and no read, and an event delivered
 *       again (same id, same time) finds its key taken however long ago it came, so it never counts twice.</li>
 *   <li><b>Reading</b> ({@link #read}) is one Query in key order: the head (profile or link), the tally, then the
 *       signal items newest first, stopping at the tally's mark. Those newer than the mark are the tail; what
 *       counts is the tally plus the tail.</li>
 *   <li><b>Maintaining</b> ({@link #maintain}, from the qualification function, with the keys of the signal items
 *       the stream says were inserted): once the tail holds {@value #FOLD_AT} signals it is folded into the tally
 *       and the mark moves to its newest, one conditional put of the tally. A signal inserted with a key at or
 *       past the mark (it arrived after newer ones were folded, or was folded already by a racing fold) gets its
 *       day recounted from that day's items, which gives the same counts however often it runs. A partition from
 *       before the log gets its tally built once from what it had.</li>
 * </ul>
 *
 * Errors propagate; nothing is logged here.
 */
public final class DynamoDbSignalLog {
    /** Fold when the tail holds this many: a tally write (1 WRU) every few events, and the tail read stays small. */
    static final int FOLD_AT = 4;
    /** Head, tally and a tail a little longer than a fold: one read unit for a typical partition. */
    private static final int FIRST_PAGE = 2 + FOLD_AT + 2;
    static final int ATTEMPTS = 40;
    private static final long DAY_MILLIS = 86_400_000L;

    private final DynamoDbRequests requests;
    private final Policy policy;
    private final Clock clock;

    DynamoDbSignalLog(DynamoDbRequests requests, Policy policy, Clock clock) {
        this.requests = Objects.requireNonNull(requests, "requests");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * What one read of a partition found.
     *
     * @param head the profile or link item, or null
     * @param stored the tally item's state ({@link TallyItems.Stored#NONE} when there is none)
     * @param tail the signals newer than the tally's mark, newest first
     * @param tailKeys their item keys, in the same order
     * @param beforeLog when the partition has no tally item: what its {@code E#} signal items (stored before the log)
     *     add up to, else empty
     */
    public record Partition(String pk, Map<String, AttributeValue> head, TallyItems.Stored stored, List<Signal> tail,
            List<String> tailKeys, SignalTally beforeLog) {

        /** Everything that counts for the partition, from {@code oldestDay} on (kept signals whatever their day). */
        public SignalTally tally(Policy policy, int oldestDay) {
            return builder(policy).build().since(oldestDay);
        }

        private SignalTally.Builder builder(Policy policy) {
            SignalTally.Builder b = stored.counted().plus(beforeLog).toBuilder();
            for (Signal s : tail) b.add(s, policy::categoryOf);
            return b;
        }
    }

    /**
     * How far around a window's start the signal times read back reach: an evaluation up to this long after the read
     * (or before it, for the half of the day read from its start) still knows its window's start exactly.
     */
    static final java.time.Duration KNOWN_MARGIN = java.time.Duration.ofMinutes(10);

    /**
     * Everything that counts for the partition as of {@code now}, with the times of the signals around the start of
     * the window ({@code now} minus its days, inside a UTC day that the tally keeps as counts) read back, and of the
     * 7-day fast track's start when {@code fastTrackViews}: so that a signal counts for exactly that many × 24 hours
     * ({@link SignalTally#earlyCounts}). Only the part of that day on the near side of its start is read (whichever
     * half is shorter), eventually consistent: the days are weeks old. A day holding counts from before the log
     * (which no item backs) counts whole.
     */
    public SignalTally tally(Partition p, Instant now, boolean fastTrackViews) {
        SignalTally.Builder b = p.builder(policy);
        SignalTally counted = p.stored().folded();
        java.util.Set<Integer> days = new TreeSet<>();
        int today = SignalTally.dayOf(now);
        days.add(today - policy.engagementWindowDays());
        var views = policy.fastTrack().targetAccountPageViews();
        if (fastTrackViews && views != null) days.add(today - views.withinDays());
        for (int day : days) {
            if (!hasDay(counted, day) && p.tail().stream().noneMatch(s -> SignalTally.dayOf(s.occurredAt()) == day)) continue;
            if (hasDay(p.stored().legacy(), day) || hasDay(p.beforeLog(), day)) continue;
            long cutoff = now.toEpochMilli() - (today - day) * DAY_MILLIS;
            long dayStart = day * DAY_MILLIS;
            boolean early = cutoff - dayStart < DAY_MILLIS / 2;
            long from = early ? dayStart : Math.max(dayStart, cutoff - KNOWN_MARGIN.toMillis());
            long to = early ? Math.min(dayStart + DAY_MILLIS, cutoff + KNOWN_MARGIN.toMillis()) : dayStart + DAY_MILLIS;
            b.know(day, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to), signalsBetween(p.pk(), from, to, false, sk -> true), policy::categoryOf);
        }
        return b.build().since(today - policy.retentionDays());
    }

    private static boolean hasDay(SignalTally t, int day) {
        for (int d = 0; d < t.dayCount(); d++) if (t.day(d) == day) return true;
        return false;
    }

    /**
     * The partition's signal items that occurred in {@code [from, to)}, epoch ms, whose keys {@code wanted} takes. Keys
     * are prefix + countdown + "#" + id: the newest millisecond bounds the range below, and "$" (after "#") just past
     * the oldest bounds it above.
     */
    private List<Signal> signalsBetween(String pk, long from, long to, boolean consistent, java.util.function.Predicate<String> wanted) {
        String prefix = ContactTable.logPrefixOf(pk);
        String newest = ContactTable.logKey(pk, to - 1, "");
        String oldest = ContactTable.logKey(pk, from, "");
        List<Signal> out = new ArrayList<>();
        requests.queryRange(pk, newest.substring(0, newest.length() - 1), oldest.substring(0, oldest.length() - 1) + "$", 100,
                consistent, item -> {
                    String sk = item.get(SK).s();
                    if (sk.startsWith(prefix) && wanted.test(sk)) out.add(SignalItems.fromLogItem(item));
                    return true;
                });
        return out;
    }

    // Recording

    /** Puts the signal's item; false when an item with its key is there already (a redelivery). */
    boolean record(String pk, Signal signal) {
        try {
            requests.put(PutItemRequest.builder()
                    .item(SignalItems.toLogItem(pk, signal, policy.retentionDays()))
                    .conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK)));
            return true;
        } catch (ConditionalCheckFailedException redelivered) {
            return false;
        }
    }

    // Reading

    /** The partition's head, tally and tail, read consistently with one Query (more pages only for a long tail). */
    public Partition read(String pk) {
        String headKey = ContactTable.headKeyOf(pk);
        String tallyKey = ContactTable.tallyKeyOf(pk);
        String prefix = ContactTable.logPrefixOf(pk);
        long now = clock.millis();
        Map<String, AttributeValue>[] head = newHolder();
        TallyItems.Stored[] stored = {TallyItems.Stored.NONE};
        List<Signal> tail = new ArrayList<>();
        List<String> tailKeys = new ArrayList<>();
        requests.queryRange(pk, headKey, prefix + "~", FIRST_PAGE, true, item -> {
            String sk = item.get(SK).s();
            if (sk.equals(headKey)) {
                head[0] = item;
            } else if (sk.equals(tallyKey)) {
                stored[0] = TallyItems.fromItem(item, now);
            } else if (sk.startsWith(prefix)) {
                if (!stored[0].inTail(sk)) return false; // the folded part starts here
                tail.add(SignalItems.fromLogItem(item));
                tailKeys.add(sk);
            }
            return true;
        });
        SignalTally beforeLog = stored[0].version() == 0 ? signalItemsBeforeLog(pk) : SignalTally.EMPTY;
        return new Partition(pk, head[0], stored[0], List.copyOf(tail), List.copyOf(tailKeys), beforeLog);
    }

    /** A partition without a tally item may be one stored before the log: its {@code E#} signal items' tally. */
    private SignalTally signalItemsBeforeLog(String pk) {
        List<Signal> signals = new ArrayList<>();
        for (Map<String, AttributeValue> item : requests.query(pk, ContactTable.SIGNAL_PREFIX)) {
            if (!item.containsKey(SignalItems.TYPE)) continue; // a form's dedupe item, written since the log
            signals.add(SignalItems.fromItem(item));
        }
        return signals.isEmpty() ? SignalTally.EMPTY : policy.tallyOf(signals);
    }

    // Maintaining

    /**
     * Keeps the partition's tally exact and its tail short, after the stream said these signal items were inserted
     * ({@code insertedKeys}, sort keys of this partition's log items): returns the partition as it stands afterwards. Writes
     * only when there is something to do: a tail of {@value #FOLD_AT} or more to fold, an inserted key at or past
     * the mark to recount, a partition from before the log to convert, or a redelivery from before the log to drop.
     */
    public Partition maintain(Partition read, Collection<String> insertedKeys) {
        Partition p = read;
        List<String> inserted = new ArrayList<>();
        for (String key : insertedKeys) if (key.startsWith(ContactTable.logPrefixOf(p.pk()))) inserted.add(key);
        for (int attempt = 1; ; attempt++) {
            TallyItems.Stored st = p.stored();
            // Nothing stored to keep (an erased contact, a link with no signals yet): write nothing.
            if (st.version() == 0 && p.tail().isEmpty() && p.beforeLog().isEmpty()) return p;
            // A partition from before the log (E# signal items, or a tally of format 1): write its tally now, so that
            // later reads never look for E# items again. A new partition waits for its first fold: a write made from
            // a read taken before an erasure would bring back what the erasure removed, so write only when needed.
            boolean convert = !p.beforeLog().isEmpty() || !st.current();
            if (st.version() == 0) {
                long legacyUntil = p.beforeLog().isEmpty() ? 0 : clock.millis();
                st = new TallyItems.Stored(keptOf(p.beforeLog()), countsOf(p.beforeLog()), null, new long[0], legacyUntil, 0, true);
            }
            if (dropRedeliveriesFromBeforeLog(p.pk(), st, inserted)) {
                p = read(p.pk());
                continue;
            }
            Set<Integer> recount = new TreeSet<>();
            int oldestDay = oldestDay();
            // Recounted whatever its age: a day before the window adds no counts, but may hold a kept signal.
            for (String key : inserted) if (!st.inTail(key)) recount.add(dayOfKey(key));
            if (!convert && recount.isEmpty() && p.tail().size() < FOLD_AT) return p;

            SignalTally.Builder folded = new SignalTally.Builder();
            SignalTally before = st.folded();
            for (int d = 0; d < before.dayCount(); d++) {
                if (recount.contains(before.day(d))) continue;
                for (int c = 0; c < before.counterCount(); c++) folded.add(before.day(d), before.counter(c), before.count(d, c));
            }
            for (Signal s : before.keptSignals()) folded.keep(s);
            for (int day : recount) for (Signal s : foldedItemsOf(p.pk(), day, st)) folded.add(s, policy::categoryOf);
            for (Signal s : p.tail()) folded.add(s, policy::categoryOf);
            String mark = p.tailKeys().isEmpty() ? st.mark() : p.tailKeys().get(0);
            TallyItems.Stored next = new TallyItems.Stored(folded.build().since(oldestDay), st.legacy().since(oldestDay), mark,
                    st.legacyRecent(), st.legacyUntil(), st.version(), true);
            try {
                requests.put(PutItemRequest.builder()
                        .item(TallyItems.toItem(p.pk(), ContactTable.tallyKeyOf(p.pk()), next))
                        .conditionExpression(st.version() == 0 ? "attribute_not_exists(#pk)" : "#ver = :ver")
                        .expressionAttributeNames(st.version() == 0 ? Map.of("#pk", PK) : Map.of("#ver", TallyItems.VERSION))
                        .expressionAttributeValues(st.version() == 0 ? null : Map.of(":ver", AttributeValue.fromN(Long.toString(st.version())))));
                TallyItems.Stored written = new TallyItems.Stored(next.folded(), next.legacy(), next.mark(), next.legacyRecent(),
                        next.legacyUntil(), next.version() + 1, true);
                return new Partition(p.pk(), p.head(), written, List.of(), List.of(), SignalTally.EMPTY);
            } catch (ConditionalCheckFailedException raced) {
                // Another fold came first: read again and do what is left.
                if (attempt >= ATTEMPTS) throw raced;
                DynamoDbRequests.pause(attempt, raced);
                p = read(p.pk());
            }
        }
    }

    /**
     * Signals recorded before the log were deduplicated by their {@code E#} items (or a format-1 tally's last
     * ids); an inserted signal that occurred before the partition came to the log and is one of those is a
     * redelivery: its item goes, so it never counts. True when one was dropped.
     */
    private boolean dropRedeliveriesFromBeforeLog(String pk, TallyItems.Stored st, List<String> inserted) {
        if (st.legacyUntil() == 0) return false;
        boolean dropped = false;
        for (java.util.Iterator<String> keys = inserted.iterator(); keys.hasNext(); ) {
            String key = keys.next();
            if (timeOfKey(key) >= st.legacyUntil()) continue;
            String id = ContactTable.logSignalIdOf(key);
            Map<String, AttributeValue> old = requests.get(pk, ContactTable.signalKey(id), true);
            boolean before = st.rememberedBeforeLog(id) || (old != null && old.containsKey(SignalItems.TYPE));
            if (!before) continue;
            requests.delete(pk, key);
            keys.remove();
            dropped = true;
        }
        return dropped;
    }

    /** The partition's log items of one UTC day at or past the mark: what the tally counts of that day. */
    private List<Signal> foldedItemsOf(String pk, int day, TallyItems.Stored st) {
        long start = day * DAY_MILLIS;
        return signalsBetween(pk, start, start + DAY_MILLIS, true, sk -> !st.inTail(sk));
    }

    private int oldestDay() {
        return SignalTally.dayOf(clock.instant()) - policy.retentionDays();
    }

    static long timeOfKey(String logKey) {
        String prefix = logKey.startsWith(ContactTable.CONTACT_LOG_PREFIX) ? ContactTable.CONTACT_LOG_PREFIX : ContactTable.VISITOR_LOG_PREFIX;
        return 9_999_999_999_999L - Long.parseLong(logKey.substring(prefix.length(), prefix.length() + 13));
    }

    static int dayOfKey(String logKey) {
        return (int) Math.floorDiv(timeOfKey(logKey), DAY_MILLIS);
    }

    private static SignalTally keptOf(SignalTally t) {
        SignalTally.Builder b = new SignalTally.Builder();
        for (Signal s : t.keptSignals()) b.keep(s);
        return b.build();
    }

    private static SignalTally countsOf(SignalTally t) {
        SignalTally.Builder b = new SignalTally.Builder();
        for (int d = 0; d < t.dayCount(); d++) for (int c = 0; c < t.counterCount(); c++) b.add(t.day(d), t.counter(c), t.count(d, c));
        return b.build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, AttributeValue>[] newHolder() {
        return new Map[1];
    }


}
