package dev.handoff.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.EmailAddress;
import dev.handoff.core.VisitorId;
import dev.handoff.aws.ContactTable;
import dev.handoff.aws.DynamoDbContacts;
import dev.handoff.aws.SignalItems;
import dev.handoff.core.FormType;
import dev.handoff.core.Signal;
import dev.handoff.core.app.FormSubmission;
import dev.handoff.core.app.ContactRef;
import dev.handoff.core.app.TrackingEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ingest path's cost, as DynamoDB Local reports it with {@code ReturnConsumedCapacity.TOTAL}: 10,000 tracking
 * events over 500 contacts, each recorded with its own PutItem as the tracking function does. A report line,
 * not a timing assertion; capacity units are exact, so those are asserted.
 */
class CapacityReportTest {
    private static final int CONTACTS = 500;
    private static final int EVENTS = 10_000;
    private static final int THREADS = 4;
    private static final int WINDOW_DAYS = 30;

    private static LocalTable local;

    @BeforeAll
    static void startEngine() {
        local = new LocalTable();
    }

    @AfterAll
    static void stopEngine() {
        local.close();
    }

    @Test
    void a_form_post_and_a_load_cost_what_their_items_say() {
        DoubleAdder wru = new DoubleAdder();
        DoubleAdder rru = new DoubleAdder();
        String table = local.newTable();
        DynamoDbContacts store = new DynamoDbContacts(local.client(), table, WINDOW_DAYS, Clock.systemUTC(),
                c -> (c.write() ? wru : rru).add(c.units()));
        String email = email(1);

        store.recordSubmission(new FormSubmission("sub-1", "demo", FormType.DEMO_REQUEST, EmailAddress.parse(email),
                Map.of("firstname", "Ana", "lastname", "López", "company", "Acme Industries", "jobtitle", "VP Engineering",
                        "numberofemployees", "500", "country", "Spain"), VisitorId.parse("visitor-1"), Instant.parse("2026-11-01T00:00:00Z")));
        double formWru = wru.sumThenReset();
        for (int i = 0; i < 40; i++) {
            store.recordSignal(i % 4 == 0 ? new ContactRef.ByVisitor(VisitorId.parse("visitor-1")) : new ContactRef.ByEmail(EmailAddress.parse(email)),
                    new Signal.PageViewed(UUID.randomUUID().toString(), Instant.parse("2026-11-01T00:00:00Z").plusSeconds(i), "/pricing"));
        }
        rru.reset();
        assertThat(store.load(email).orElseThrow().contact().signals()).hasSize(41);
        double loadRru = rru.sum();

        System.out.printf("capacity report: a form post with a visitor id (signal + profile + visitor link, one transaction) "
                + "%.1f WRU as DynamoDB Local counts it (AWS bills 2 WRU per item under 1 KB in a transaction: 6); "
                + "loading a contact with 41 signals (31 own, 10 of its visitor) %.1f RRU (2 consistent queries)%n",
                formWru, loadRru);
        assertThat(formWru).isPositive().isLessThanOrEqualTo(6.0); // three items, each under 1 KB, 2 WRU each at most
        assertThat(loadRru).isLessThanOrEqualTo(4.0);
    }

    @Test
    void ten_thousand_tracking_events_cost_at_most_one_wru_and_no_rru_each() throws Exception {
        List<TrackingEvent> events = events();
        int largest = events.stream()
                .mapToInt(e -> ItemSize.of(SignalItems.toItem(partitionOf(e.who()), e.signal(), WINDOW_DAYS)))
                .max().orElseThrow();

        DoubleAdder wru = new DoubleAdder();
        DoubleAdder rru = new DoubleAdder();
        LongAdder writes = new LongAdder();
        AtomicReference<Double> maxUnitsPerWrite = new AtomicReference<>(0.0);
        {
            String table = local.newTable();
            DynamoDbContacts store = new DynamoDbContacts(local.client(), table, WINDOW_DAYS, Clock.systemUTC(), c -> {
                if (c.write()) {
                    wru.add(c.units());
                    writes.increment();
                    maxUnitsPerWrite.accumulateAndGet(c.units(), Math::max);
                } else {
                    rru.add(c.units());
                }
            });

            AtomicInteger next = new AtomicInteger();
            AtomicInteger recorded = new AtomicInteger();
            long started = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    workers.add(pool.submit(() -> {
                        for (int i = next.getAndIncrement(); i < EVENTS; i = next.getAndIncrement()) {
                            TrackingEvent e = events.get(i);
                            if (store.recordSignal(e.who(), e.signal())) recorded.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (Future<?> w : workers) w.get(5, TimeUnit.MINUTES);
            } finally {
                pool.shutdownNow();
            }
            double seconds = (System.nanoTime() - started) / 1e9;

            System.out.printf("capacity report: %d tracking events over %d contacts, %d PutItem: %.3f WRU/event "
                            + "(total %.0f WRU, max %.1f per write), %.3f RRU/event (total %.0f RRU); "
                            + "largest signal item %d bytes; %.1f s on DynamoDB Local with %d threads (%.0f events/s)%n",
                    EVENTS, CONTACTS, writes.sum(), wru.sum() / EVENTS, wru.sum(), maxUnitsPerWrite.get(),
                    rru.sum() / EVENTS, rru.sum(), largest, seconds, THREADS, EVENTS / seconds);

            assertThat(recorded).hasValue(EVENTS);
            assertThat(writes.sum()).isEqualTo(EVENTS);
            assertThat(wru.sum() / EVENTS).isLessThanOrEqualTo(1.0);
            assertThat(rru.sum()).isZero();
            assertThat(largest).isLessThan(1024);
            // Spot check: a contact's events are all there.
            assertThat(store.load(email(7)).orElseThrow().contact().signals()).hasSize(EVENTS / CONTACTS);
        }
    }

    /** 20 events a contact, of the kinds a website and email campaigns produce, with realistic ids and paths. */
    private static List<TrackingEvent> events() {
        String[] paths = {"/pricing", "/pricing/enterprise", "/docs/getting-started/installation", "/blog/2026/11/lead-scoring-that-sales-trusts",
            "/demo", "/customers/acme-industries", "/integrations/salesforce"};
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        List<TrackingEvent> out = new ArrayList<>(EVENTS);
        for (int i = 0; i < EVENTS; i++) {
            int contact = i % CONTACTS;
            String id = UUID.nameUUIDFromBytes(("event-" + i).getBytes()).toString();
            Instant at = t0.plusSeconds(i * 37L).plusMillis(i % 1000);
            Signal s = switch (i % 10) {
                case 0, 1, 2, 3, 4 -> new Signal.PageViewed(id, at, paths[i % paths.length]);
                case 5 -> new Signal.SessionStarted(id, at);
                case 6 -> new Signal.EmailOpened(id, at, "2026-11-product-launch-emea");
                case 7 -> new Signal.EmailClicked(id, at, "2026-11-product-launch-emea",
                        "https://www.acme-software.example/launch/november?utm_source=email&utm_campaign=launch");
                case 8 -> new Signal.ContentDownloaded(id, at, "whitepaper-state-of-revops-2026", "whitepaper", true);
                default -> new Signal.WebinarAttended(id, at, "webinar-2026-11-18-pipeline-review");
            };
            ContactRef who = i % 50 == 49 ? new ContactRef.ByVisitor(VisitorId.parse("vis-" + contact + "-3f9a2c7e-51d4")) : new ContactRef.ByEmail(EmailAddress.parse(email(contact)));
            out.add(new TrackingEvent(who, s));
        }
        return out;
    }

    private static String email(int contact) {
        return "firstname.lastname" + contact + "@company-" + (contact % 97) + ".example.com";
    }

    private static String partitionOf(ContactRef who) {
        return switch (who) {
            case ContactRef.ByEmail e -> ContactTable.contactKey(e.email().value());
            case ContactRef.ByVisitor v -> ContactTable.visitorKey(v.visitorId().value());
        };
    }
}
