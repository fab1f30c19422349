package dev.handoff.tools;

import dev.handoff.aws.Clients;
import dev.handoff.aws.DynamoDbContactKeys;
import dev.handoff.aws.DynamoDbRequalifyRequests;
import java.io.PrintStream;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code scripts/requalify.sh}: asks the deployed qualification function to re-evaluate every contact with the
 * policy it runs (PRODUCT §7). It does not evaluate anything itself: it finds every contact by a parallel scan and
 * sets a new run id on each profile ({@link DynamoDbRequalifyRequests}), and the table's stream takes each request
 * to the qualification function, which moves and alerts exactly as for a new signal, forward only, and leaves a
 * contact a person moved backward where it is. Running it again re-evaluates everyone again and moves nobody.
 */
public final class Requalify {
    static final String USAGE = "usage: requalify.sh --table NAME [--segments 4] [--threads 8]";
    private static final Set<String> OPTIONS = Set.of("--table", "--segments", "--threads");

    private Requalify() {}

    public static void main(String[] args) {
        boolean terminal = System.console() != null;
        System.exit(run(args, System.out, System.err, Clients::dynamoDb, Clock.systemUTC(), terminal));
    }

    /** What a run did: its id, contacts queued, contacts gone meanwhile, and the DynamoDB units it used. */
    public record Run(String id, long queued, long gone, double scanReadUnits, double requestWriteUnits) {}

    static int run(String[] args, PrintStream out, PrintStream err, Supplier<DynamoDbClient> dynamoDb, Clock clock,
            boolean terminal) {
        String table;
        int segments;
        int threads;
        try {
            Map<String, String> o = Cli.options(args, OPTIONS);
            table = Cli.required(o, "--table");
            segments = Cli.count(o, "--segments", 4, 1000);
            threads = Cli.count(o, "--threads", 8, 256);
        } catch (Cli.UsageException e) {
            return Cli.usage(e, err, USAGE);
        }
        try (DynamoDbClient client = dynamoDb.get()) {
            Cli.requireTable(client, table);
            Run run = requalify(client, table, segments, threads, clock, err, terminal);
            long n = run.queued();
            out.printf(Locale.ROOT, "queued %,d contacts for re-evaluation by the qualification function (run %s)%s%n", n,
                    run.id(), run.gone() == 0 ? "" : String.format(Locale.ROOT, "; %,d erased meanwhile, skipped", run.gone()));
            out.printf(Locale.ROOT, "cost: scan %.1f RRU + requests %.1f WRU = %.2f units a contact, before the function's"
                    + " own read of each contact%n", run.scanReadUnits(), run.requestWriteUnits(),
                    n == 0 ? 0 : (run.scanReadUnits() + run.requestWriteUnits()) / n);
            return 0;
        } catch (Cli.UsageException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    /** One run against {@code table}: every contact found by the scan gets the run's request. */
    public static Run requalify(DynamoDbClient client, String table, int segments, int threads, Clock clock, PrintStream err,
            boolean terminal) {
        String id = clock.instant() + "/" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        DynamoDbContactKeys keys = new DynamoDbContactKeys(client, table, segments);
        DynamoDbRequalifyRequests requests = new DynamoDbRequalifyRequests(client, table);
        LongAdder queued = new LongAdder();
        LongAdder gone = new LongAdder();
        DoubleAdder writeUnits = new DoubleAdder();
        Progress progress = new Progress(err, "requalify", terminal, keys::segmentsDone, segments);
        Cli.<String>forEachInParallel(keys::forEach, threads, email -> {
            DynamoDbRequalifyRequests.Result r = requests.request(email, id);
            (r.requested() ? queued : gone).increment();
            writeUnits.add(r.writeUnits());
            progress.step();
        });
        progress.finish();
        return new Run(id, queued.sum(), gone.sum(), keys.readUnits(), writeUnits.sum());
    }
}
