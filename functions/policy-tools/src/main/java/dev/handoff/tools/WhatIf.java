package dev.handoff.tools;

import dev.handoff.aws.Clients;
import dev.handoff.aws.DynamoDbContactKeys;
import dev.handoff.aws.DynamoDbContacts;
import dev.handoff.core.policy.InvalidPolicyException;
import dev.handoff.core.policy.Policy;
import dev.handoff.core.policy.PolicyLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code scripts/what-if.sh}: what a draft policy would do to every contact of a table, beside the policy that runs
 * now, without writing anything (PRODUCT §7).
 *
 * <p>Both policies are loaded first, and an invalid one is refused before any request is made. Then the table's
 * contacts are found by a parallel scan and each is read through the same repository the qualification function
 * reads it with ({@link DynamoDbContacts#load}), on a client that cannot write ({@link ReadOnlyDynamoDb}), and
 * evaluated under both policies at one moment ({@link WhatIfTally}). The report goes to {@code what-if.json} and
 * {@code what-if.html}.
 */
public final class WhatIf {
    static final String USAGE = "usage: what-if.sh --table NAME --policy DRAFT.yaml [--baseline FILE|PRESET] [--out DIR]"
            + " [--segments 4] [--threads 16]";
    private static final Set<String> OPTIONS = Set.of("--table", "--policy", "--baseline", "--out", "--segments", "--threads");

    private WhatIf() {}

    public static void main(String[] args) {
        boolean terminal = System.console() != null;
        System.exit(run(args, System.out, System.err, Clients::dynamoDb, Clock.systemUTC(), terminal));
    }

    /** The most heap the JVM has had in use at once (the sum of the heap pools' peaks). */
    static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) sum += pool.getPeakUsage().getUsed();
        }
        return sum;
    }

    /** The process's peak resident set (Linux's VmHWM), or "unknown" elsewhere. */
    static String peakResident() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.0f MB", kb / 1e3);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: say so below
        }
        return "unknown";
    }

    /** The command; returns the exit status: 0 done, 1 refused or failed, 2 a wrong command line. */
    static int run(String[] args, PrintStream out, PrintStream err, Supplier<DynamoDbClient> dynamoDb, Clock clock,
            boolean terminal) {
        Map<String, String> o;
        String table;
        String draftFile;
        int segments;
        int threads;
        try {
            o = Cli.options(args, OPTIONS);
            table = Cli.required(o, "--table");
            draftFile = Cli.required(o, "--policy");
            segments = Cli.count(o, "--segments", 4, 1000);
            threads = Cli.count(o, "--threads", 16, 256);
        } catch (Cli.UsageException e) {
            return Cli.usage(e, err, USAGE);
        }
        Path outDir = Path.of(o.getOrDefault("--out", ".local/what-if"));

        // Both policies before anything else: an invalid one is refused before a single read.
        Policy draft;
        Policy baseline;
        try {
            draft = PolicyLoader.load(Path.of(draftFile));
            String b = o.getOrDefault("--baseline", "score-threshold");
            baseline = PolicyLoader.PRESETS.contains(b) ? PolicyLoader.preset(b) : PolicyLoader.load(Path.of(b));
        } catch (InvalidPolicyException e) {
            err.println(e.getMessage());
            err.println("nothing was read: fix the policy and run again");
            return 1;
        }

        try (DynamoDbClient client = new ReadOnlyDynamoDb(dynamoDb.get())) {
            Cli.requireTable(client, table);
            DoubleAdder loadUnits = new DoubleAdder();
            Instant now = clock.instant();
            // Every contact is read as of the one moment both policies judge at, so that the signal times the store
            // reads back around the window's start are those of that moment, however long the run.
            DynamoDbContacts contacts = new DynamoDbContacts(client, table, draft, java.time.Clock.fixed(now, java.time.ZoneOffset.UTC),
                    c -> loadUnits.add(c.units()));
            DynamoDbContactKeys keys = new DynamoDbContactKeys(client, table, segments);
            WhatIfTally tally = new WhatIfTally(baseline, draft, now);
            Progress progress = new Progress(err, "what-if", terminal, keys::segmentsDone, segments);

            Cli.<String>forEachInParallel(keys::forEach, threads, email -> {
                contacts.load(email).ifPresent(tally::add);
                progress.step();
            });
            progress.finish();

            Files.createDirectories(outDir);
            Path json = outDir.resolve("what-if.json");
            Path html = outDir.resolve("what-if.html");
            Files.writeString(json, WhatIfReport.json(tally), StandardCharsets.UTF_8);
            Files.writeString(html, WhatIfReport.html(tally, clock.instant()), StandardCharsets.UTF_8);

            long n = tally.contacts;
            out.printf(Locale.ROOT, "%,d contacts read in %.1f s; %,d would change stage under %s%n", n, progress.seconds(),
                    tally.changes().size(), draft.version());
            out.printf(Locale.ROOT, "backtest: %,d outcomes; SQL precision %.3f -> %.3f, recall %.3f -> %.3f%n", tally.outcomes,
                    tally.baselineSide.precision(), tally.draftSide.precision(),
                    tally.baselineSide.recall(tally.outcomes), tally.draftSide.recall(tally.outcomes));
            out.printf(Locale.ROOT, "read %.1f RRU (scan %.1f, contacts %.1f; %.2f a contact); nothing written%n",
                    keys.readUnits() + loadUnits.sum(), keys.readUnits(), loadUnits.sum(),
                    n == 0 ? 0 : (keys.readUnits() + loadUnits.sum()) / n);
            out.printf(Locale.ROOT, "memory: peak heap %.0f MB, peak resident %s%n", peakHeapBytes() / 1e6, peakResident());
            out.println("wrote " + json + " and " + html);
            return 0;
        } catch (Cli.UsageException e) {
            err.println("error: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("error: cannot write the report in " + outDir + ": " + e.getMessage());
            return 1;
        }
    }
}
