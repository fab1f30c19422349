package dev.handoff.tools;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** What the two tools share: their options, the check that the table is there, and a bounded worker pool. */
final class Cli {
    private Cli() {}

    /** A command line that cannot be run, said to the user as it is. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** {@code --name value} pairs; every name must be one of {@code known}, and given once. */
    static Map<String, String> options(String[] args, Set<String> known) throws UsageException {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("-h") || name.equals("--help")) throw new UsageException("");
            if (!known.contains(name)) throw new UsageException("unknown option " + name);
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) throw new UsageException(name + " needs a value");
            if (out.put(name, args[++i]) != null) throw new UsageException(name + " is given twice");
        }
        return out;
    }

    /** Says what is wrong with the command line (nothing for --help) and the usage; returns the exit status. */
    static int usage(UsageException e, PrintStream err, String usage) {
        if (!e.getMessage().isEmpty()) err.println("error: " + e.getMessage());
        err.println(usage);
        return e.getMessage().isEmpty() ? 0 : 2;
    }

    static String required(Map<String, String> options, String name) throws UsageException {
        String v = options.get(name);
        if (v == null || v.isBlank()) throw new UsageException(name + " is required");
        return v;
    }

    static int count(Map<String, String> options, String name, int fallback, int max) throws UsageException {
        String v = options.get(name);
        if (v == null) return fallback;
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= max) return n;
        } catch (NumberFormatException e) {
            // said below
        }
        throw new UsageException(name + " must be a whole number from 1 to " + max + ", was " + v);
    }

    /** Fails with a sentence when the table is not there (a wrong name, region or endpoint). */
    static void requireTable(DynamoDbClient ddb, String table) throws UsageException {
        try {
            ddb.describeTable(b -> b.tableName(table));
        } catch (ResourceNotFoundException e) {
            throw new UsageException("there is no table " + table + " where the SDK looked (region from AWS_REGION or the "
                    + "profile, endpoint from AWS_ENDPOINT_URL_DYNAMODB when set)");
        }
    }

    /**
     * Runs {@code work} for every item {@code source} produces, on {@code threads} threads, with a short queue
     * that makes the producer wait (so a table of a million contacts is never held in memory). The first failure
     * stops the work and propagates.
     */
    static <T> void forEachInParallel(Consumer<Consumer<T>> source, int threads, Consumer<T> work) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(threads * 16), r -> {
                    Thread t = new Thread(r, "worker");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        AtomicReference<RuntimeException> failed = new AtomicReference<>();
        try {
            source.accept(item -> {
                RuntimeException f = failed.get();
                if (f != null) throw f;
                pool.execute(() -> {
                    if (failed.get() != null) return;
                    try {
                        work.accept(item);
                    } catch (RuntimeException e) {
                        failed.compareAndSet(null, e);
                    }
                });
            });
            pool.shutdown();
            if (!pool.awaitTermination(7, TimeUnit.DAYS)) throw new IllegalStateException("the workers did not finish");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
        RuntimeException f = failed.get();
        if (f != null) throw f;
    }
}
