package dev.handoff.benchmarks;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import dev.handoff.aws.ContactTable;
import dev.handoff.aws.DynamoDbContacts;
import dev.handoff.aws.DynamoDbRequests;
import dev.handoff.aws.TrackingEventJson;
import dev.handoff.core.EmailAddress;
import dev.handoff.core.FormType;
import dev.handoff.core.Signal;
import dev.handoff.core.app.ContactRef;
import dev.handoff.core.app.FormSubmission;
import dev.handoff.core.app.Ingest;
import dev.handoff.core.policy.Policy;
import dev.handoff.core.policy.PolicyLoader;
import dev.handoff.functions.qualification.DynamoDbStreamQualificationHandler;
import dev.handoff.functions.tracking.SqsTrackingEventHandler;
import dev.handoff.local.EmbeddedDynamoDb;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What one tracking event costs on the whole path, by how many signals its contact has in the window (issue 9;
 * run by {@code scripts/cost.sh}). For each history size a contact is given that many signals spread over the
 * 90-day window, then events arrive for it one at a time (the worst case: nothing coalesces), each through the
 * tracking handler (an SQS batch of one EventBridge envelope) and then the qualification handler (the stream
 * record of the signal item the event inserted), on DynamoDB Local. The seeded signals are folded into the
 * contact's tally by the first, unmeasured event, as the qualification function folds them on AWS. The sizes take turns, one event each per round, so
 * that the machine's other work falls on every size alike. DynamoDB units are as DynamoDB Local reports them
 * (ReturnConsumedCapacity.TOTAL, which it computes as DynamoDB does); handler times are the median of the
 * measured events, in this JVM, after a warm-up. A figure, never a test.
 *
 * <p>Dollars per million events at on-demand us-east-1 prices (November 2026):
 * <ul>
 *   <li>EventBridge custom events: $1.00 per million PutEvents entries; delivery to the SQS target is free.</li>
 *   <li>SQS standard: $0.40 per million requests: EventBridge's SendMessage for each event, and Lambda's
 *       ReceiveMessage and DeleteMessageBatch once per batch of {@link #TRACKING_BATCH} (template.yaml).</li>
 *   <li>Lambda: $0.20 per million requests, one per tracking batch ({@link #TRACKING_BATCH}) and one per
 *       qualification batch ({@link #QUALIFICATION_BATCH}); $0.0000133334 per GB-second (arm64) at
 *       {@link #MEMORY_GB} GB for the measured handler times. Reading the DynamoDB stream is free for Lambda.</li>
 *   <li>DynamoDB on demand: $0.625 per million write request units, $0.125 per million read request units.</li>
 * </ul>
 */
public final class CostReport {
    static final int TRACKING_BATCH = 25;
    static final int QUALIFICATION_BATCH = 100;
    static final double MEMORY_GB = 1.0;
    static final double EVENTBRIDGE_PER_EVENT = 1.00e-6;
    static final double SQS_PER_REQUEST = 0.40e-6;
    static final double LAMBDA_PER_REQUEST = 0.20e-6;
    static final double LAMBDA_PER_GB_SECOND = 0.0000133334;
    static final double DYNAMODB_PER_WRU = 0.625e-6;
    static final double DYNAMODB_PER_RRU = 0.125e-6;

    private static final String TABLE = "handoff-cost";
    /** The handlers log as on Lambda; the report's lines are the only output. */
    private static final dev.handoff.aws.Log LOG =
            dev.handoff.aws.Log.discard(dev.handoff.aws.ContactHash.withKey("cost-report-key-0123456789"));
    private static final int WINDOW_DAYS = 90;

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length > 0 ? Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {5, 50, 200, 1_000, 5_000};
        int measured = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        Policy policy = PolicyLoader.preset("score-threshold");
        // The handlers log a JSON line per batch to stdout, as on Lambda; the report's lines are the only output.
        java.io.PrintStream report = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try (EmbeddedDynamoDb ddb = new EmbeddedDynamoDb()) {
            ContactTable.create(ddb.client(), TABLE);
            Meter ingest = new Meter();
            Meter qualify = new Meter();
            Clock clock = Clock.systemUTC();
            DynamoDbContacts seeding = new DynamoDbContacts(ddb.client(), TABLE, policy);
            SqsTrackingEventHandler tracking = new SqsTrackingEventHandler(
                    new Ingest(new DynamoDbContacts(ddb.client(), TABLE, policy, clock, ingest)), clock, LOG);
            DynamoDbStreamQualificationHandler qualification = new DynamoDbStreamQualificationHandler(
                    new DynamoDbContacts(ddb.client(), TABLE, policy, clock, qualify), policy, clock, LOG);

            // Warm the JIT on a contact of its own, so that the first size measured is not charged for it.
            String warm = seed(seeding, "warm-up@example.org", 50, clock.instant());
            for (int i = 0; i < 1000; i++) oneEvent(tracking, qualification, warm, "warm-" + i, clock.instant(), null, null);

            String[] emails = new String[sizes.length];
            for (int k = 0; k < sizes.length; k++) {
                emails[k] = seed(seeding, "cost-" + sizes[k] + "@example.org", sizes[k], clock.instant());
                // Its entry move (lead) happens here, unmeasured: the measured events move nothing.
                oneEvent(tracking, qualification, emails[k], "first-" + k, clock.instant(), null, null);
            }
            // Round by round, one event per size: whatever else the machine is doing falls on every size alike.
            double[][] units = new double[sizes.length][4]; // ingest write, ingest read, qualify write, qualify read
            long[][] trackingNanos = new long[sizes.length][measured];
            long[][] qualificationNanos = new long[sizes.length][measured];
            for (int i = 0; i < measured; i++) {
                for (int k = 0; k < sizes.length; k++) {
                    double iw0 = ingest.write, ir0 = ingest.read, qw0 = qualify.write, qr0 = qualify.read;
                    long[] t = oneEvent(tracking, qualification, emails[k], "m-" + k + "-" + i, clock.instant(), ingest, qualify);
                    units[k][0] += ingest.write - iw0;
                    units[k][1] += ingest.read - ir0;
                    units[k][2] += qualify.write - qw0;
                    units[k][3] += qualify.read - qr0;
                    trackingNanos[k][i] = t[0];
                    qualificationNanos[k][i] = t[1];
                }
            }
            for (int k = 0; k < sizes.length; k++) {
                int n = sizes[k];
                double trackingMs = median(trackingNanos[k]) / 1e6;
                double qualificationMs = median(qualificationNanos[k]) / 1e6;
                double iw = units[k][0] / measured, ir = units[k][1] / measured;
                double qw = units[k][2] / measured, qr = units[k][3] / measured;
                double usd = EVENTBRIDGE_PER_EVENT
                        + SQS_PER_REQUEST * (1 + 2.0 / TRACKING_BATCH)
                        + LAMBDA_PER_REQUEST * (1.0 / TRACKING_BATCH + 1.0 / QUALIFICATION_BATCH)
                        + LAMBDA_PER_GB_SECOND * MEMORY_GB * (trackingMs + qualificationMs) / 1000
                        + DYNAMODB_PER_WRU * (iw + qw)
                        + DYNAMODB_PER_RRU * (ir + qr);
                report.printf(Locale.ROOT, "signals=%d ingest_wru=%.2f ingest_rru=%.2f qualify_wru=%.2f qualify_rru=%.2f usd_per_million=%.2f%n",
                        n, iw, ir, qw, qr, usd * 1e6);
                System.err.printf(Locale.ROOT, "  (signals=%d: tracking handler %.2f ms, qualification handler %.2f ms per event, median of %d)%n",
                        n, trackingMs, qualificationMs, measured);
            }
        }
    }

    /**
     * A contact with {@code n} signals in the window: a content form (its profile: fit below MQL, so nothing
     * moves it while measured), then page views of pricing, docs and other pages, sessions and email clicks,
     * spread evenly over the last 90 days.
     */
    private static String seed(DynamoDbContacts store, String email, int n, Instant now) {
        store.recordSubmission(new FormSubmission("form-" + email, "ebook-download", FormType.CONTENT, EmailAddress.parse(email),
                Map.of("jobtitle", "Engineer", "numberofemployees", "120"), null, now.minusSeconds(86_400L * WINDOW_DAYS)));
        long spread = 86_400L * WINDOW_DAYS;
        for (int i = 1; i < n; i++) {
            Instant at = now.minusSeconds(spread - spread * i / n);
            String id = "seed-" + email + "-" + i;
            Signal s = switch (i % 5) {
                case 0 -> new Signal.PageViewed(id, at, "/pricing");
                case 1 -> new Signal.PageViewed(id, at, "/docs/start");
                case 2 -> new Signal.PageViewed(id, at, "/blog/post-" + i);
                case 3 -> new Signal.SessionStarted(id, at);
                default -> new Signal.EmailClicked(id, at, "c-" + (i % 7), "https://example.org/x");
            };
            store.recordSignal(new ContactRef.ByEmail(EmailAddress.parse(email)), s);
        }
        return email;
    }

    /** One page view through both handlers; returns their times in nanoseconds. */
    private static long[] oneEvent(SqsTrackingEventHandler tracking, DynamoDbStreamQualificationHandler qualification,
            String email, String eventId, Instant at, Meter ingest, Meter qualify) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId(eventId);
        message.setAttributes(Map.of("ApproximateReceiveCount", "1"));
        message.setBody("{\"version\": \"0\", \"id\": \"" + eventId + "\", \"detail-type\": \"PageViewed\", \"source\": \""
                + TrackingEventJson.SOURCE + "\", \"time\": \"" + at + "\", \"detail\": {\"eventId\": \"" + eventId
                + "\", \"occurredAt\": \"" + at + "\", \"contact\": {\"email\": \"" + email
                + "\"}, \"page\": {\"url\": \"https://www.example.org/pricing\"}}}");
        SQSEvent sqs = new SQSEvent();
        sqs.setRecords(List.of(message));

        StreamRecord change = new StreamRecord();
        change.setKeys(Map.of(
                ContactTable.PK, new AttributeValue().withS(ContactTable.contactKey(email)),
                ContactTable.SK, new AttributeValue().withS(
                        ContactTable.logKey(ContactTable.contactKey(email), at.toEpochMilli(), eventId))));
        change.setSequenceNumber(eventId);
        DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
        record.setEventName("INSERT");
        record.setDynamodb(change);
        DynamodbEvent stream = new DynamodbEvent();
        stream.setRecords(List.of(record));

        long t0 = System.nanoTime();
        var failures = tracking.handleRequest(sqs, null).getBatchItemFailures();
        long t1 = System.nanoTime();
        var streamFailures = qualification.handleRequest(stream, null).getBatchItemFailures();
        long t2 = System.nanoTime();
        if (!failures.isEmpty() || !streamFailures.isEmpty()) throw new IllegalStateException("an event failed: " + eventId);
        return new long[] {t1 - t0, t2 - t1};
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** Capacity units reported by one store, reads and writes apart. */
    private static final class Meter implements Consumer<DynamoDbRequests.Capacity> {
        double read;
        double write;

        @Override
        public synchronized void accept(DynamoDbRequests.Capacity c) {
            if (c.write()) write += c.units();
            else read += c.units();
        }

        synchronized void reset() {
            read = 0;
            write = 0;
        }
    }
}
