package dev.handoff.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.aws.ContactTable;
import dev.handoff.aws.DynamoDbContacts;
import dev.handoff.core.EmailAddress;
import dev.handoff.core.FormType;
import dev.handoff.core.Signal;
import dev.handoff.core.SignalTally;
import dev.handoff.core.VisitorId;
import dev.handoff.core.app.ContactRef;
import dev.handoff.core.app.FormSubmission;
import dev.handoff.core.policy.InvalidPolicyException;
import dev.handoff.core.policy.Policy;
import dev.handoff.core.policy.PolicyLoader;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The signal log against the plain tally of the signals, on DynamoDB Local: whatever the order signals arrive in,
 * however often they are delivered again, whenever the stream's qualification runs come between them (folding the
 * tail, recounting a day for a signal that arrived after newer ones were folded) and however often a stream record
 * is delivered again, loading the contact gives exactly the tally of its distinct signals, its own and its linked
 * visitor's.
 */
class SignalLogEquivalenceTest {
    /**
     * Close to the real clock: a signal item's TTL is its time plus the window and a day, and DynamoDB (Local too)
     * may delete an item once that is past by the real clock, so the store's time must not lag behind it.
     */
    private static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    private static final Policy POLICY = policy();
    private static final AtomicInteger CONTACTS = new AtomicInteger();
    private static LocalTable local;
    private static String table;

    @BeforeContainer
    @BeforeAll
    static void start() {
        if (local != null) return;
        local = new LocalTable();
        table = local.newTable();
    }

    @AfterContainer
    @AfterAll
    static void stop() {
        if (local == null) return;
        local.close();
        local = null;
    }

    @Property(tries = 60)
    void loading_gives_the_tally_of_the_distinct_signals_whatever_the_order_redeliveries_and_folds(
            @ForAll("seeds") long seed, @ForAll @IntRange(min = 1, max = 60) int signals) {
        Random random = new Random(seed);
        DynamoDbContacts store = new DynamoDbContacts(local.client(), table, POLICY, Clock.fixed(NOW, ZoneOffset.UTC), null);
        String email = "p" + CONTACTS.incrementAndGet() + "@acme.example";
        String visitor = "visitor-" + CONTACTS.get();
        String contactPk = ContactTable.contactKey(email);
        String visitorPk = ContactTable.visitorKey(visitor);

        // A visitor's first signals, then the form that links it, then the rest, in a shuffled order of times.
        List<Signal> distinct = new ArrayList<>();
        List<Delivery> deliveries = new ArrayList<>();
        for (int i = 0; i < signals; i++) {
            Signal s = signal(random, "e" + i);
            distinct.add(s);
            deliveries.add(new Delivery(random.nextInt(3) == 0 ? visitorPk : contactPk, s));
        }
        for (int i = 0; i < signals / 3; i++) deliveries.add(deliveries.get(random.nextInt(signals))); // redeliveries
        java.util.Collections.shuffle(deliveries, random);
        int linkAt = random.nextInt(deliveries.size() + 1);

        Map<String, List<String>> pending = new HashMap<>(); // stream records not yet processed
        List<Map<String, List<String>>> delivered = new ArrayList<>(); // processed once, may come again
        for (int i = 0; i <= deliveries.size(); i++) {
            if (i == linkAt) {
                FormSubmission form = new FormSubmission("form-" + email, "demo", FormType.CONTENT, EmailAddress.parse(email),
                        Map.of("jobtitle", "Engineer"), VisitorId.parse(visitor), NOW.minusSeconds(3_600L * random.nextInt(24 * 80)));
                store.recordSubmission(form);
                distinct.add(form.signal());
                note(pending, contactPk, ContactTable.logKey(contactPk, form.signal().occurredAt().toEpochMilli(), form.signal().id()));
            }
            if (i == deliveries.size()) break;
            Delivery d = deliveries.get(i);
            ContactRef who = d.pk.equals(contactPk) ? new ContactRef.ByEmail(EmailAddress.parse(email))
                    : new ContactRef.ByVisitor(VisitorId.parse(visitor));
            if (store.recordSignal(who, d.signal)) {
                note(pending, d.pk, ContactTable.logKey(d.pk, d.signal.occurredAt().toEpochMilli(), d.signal.id()));
            }
            // Now and then the stream's qualification runs: on what is pending, or on a record delivered again.
            int roll = random.nextInt(6);
            boolean linked = i >= linkAt;
            if (roll == 0 && !pending.isEmpty()) {
                qualify(store, email, visitorPk, pending, linked);
                delivered.add(pending);
                pending = new HashMap<>();
            } else if (roll == 1 && !delivered.isEmpty()) {
                qualify(store, email, visitorPk, delivered.get(random.nextInt(delivered.size())), linked);
            } else if (roll == 2) {
                store.maintain(visitorPk, pending.getOrDefault(visitorPk, List.of()));
            }
        }
        qualify(store, email, visitorPk, pending, true);

        SignalTally expected = POLICY.tallyOf(distinct).since(SignalTally.dayOf(NOW) - POLICY.retentionDays());
        assertThat(store.load(email).orElseThrow().tally()).isEqualTo(expected);
        // And again after a record is delivered once more and folds whatever is left.
        store.maintaining(Map.of(contactPk, pending.getOrDefault(contactPk, List.of()))).load(email);
        assertThat(store.load(email).orElseThrow().tally()).isEqualTo(expected);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Long> seeds() {
        return net.jqwik.api.Arbitraries.longs();
    }

    @Test
    void signals_recorded_and_folded_from_eight_threads_at_once_all_count_once() throws Exception {
        DynamoDbContacts store = new DynamoDbContacts(local.client(), table, POLICY, Clock.fixed(NOW, ZoneOffset.UTC), null);
        String email = "racing@acme.example";
        String pk = ContactTable.contactKey(email);
        List<Signal> all = new ArrayList<>();
        for (int i = 0; i < 400; i++) all.add(signal(new Random(i), "r" + i));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = thread; i < all.size(); i += 8) {
                        Signal s = all.get(i);
                        store.recordSignal(new ContactRef.ByEmail(EmailAddress.parse(email)), s);
                        store.recordSignal(new ContactRef.ByEmail(EmailAddress.parse(email)), s); // and again
                        // Each insert's own stream record, as qualification would process it.
                        store.maintaining(Map.of(pk, List.of(ContactTable.logKey(pk, s.occurredAt().toEpochMilli(), s.id())))).load(email);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
        SignalTally expected = POLICY.tallyOf(all).since(SignalTally.dayOf(NOW) - POLICY.retentionDays());
        assertThat(store.load(email).orElseThrow().tally()).isEqualTo(expected);
    }

    private record Delivery(String pk, Signal signal) {}

    /**
     * What the qualification function does with a batch of stream records: the contact's through the contact
     * (with its linked visitor's), an anonymous visitor's partition alone.
     */
    private static void qualify(DynamoDbContacts store, String email, String visitorPk, Map<String, List<String>> records, boolean linked) {
        if (linked) {
            store.maintaining(records).load(email);
            return;
        }
        Map<String, List<String>> own = new HashMap<>(records);
        List<String> visitor = own.remove(visitorPk);
        store.maintaining(own).load(email);
        if (visitor != null) store.maintain(visitorPk, visitor);
    }

    private static void note(Map<String, List<String>> pending, String pk, String key) {
        pending.computeIfAbsent(pk, p -> new ArrayList<>()).add(key);
    }

    /** A signal of a kind the rules count, at a millisecond time within the last 92 days (a few before the window). */
    private static Signal signal(Random random, String id) {
        Instant at = NOW.minusMillis((long) (random.nextDouble() * 92L * 86_400_000L));
        return switch (random.nextInt(7)) {
            case 0 -> new Signal.PageViewed(id, at, "/pricing");
            case 1 -> new Signal.PageViewed(id, at, "/docs/" + random.nextInt(3));
            case 2 -> new Signal.PageViewed(id, at, "/blog");
            case 3 -> new Signal.SessionStarted(id, at);
            case 4 -> new Signal.EmailClicked(id, at, "c-1", "https://acme.example/x");
            case 5 -> new Signal.ContentDownloaded(id, at, "wp-" + random.nextInt(3), "whitepaper", random.nextBoolean());
            default -> new Signal.SalesActivityLogged(id, at, "call", "sam.seller");
        };
    }

    private static Policy policy() {
        try {
            return PolicyLoader.preset("score-threshold");
        } catch (InvalidPolicyException e) {
            throw new AssertionError(e);
        }
    }
}
