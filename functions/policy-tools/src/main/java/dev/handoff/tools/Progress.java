package dev.handoff.tools;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * A progress bar on stderr: the scan's segments finished (a table's size in contacts is not known before it is
 * scanned, and DescribeTable's item count also counts signals and alerts), contacts done and the rate. Redrawn in
 * place on a terminal a few times a second; one line every 10 seconds otherwise (a CI log, a redirected file).
 */
final class Progress {
    private static final int WIDTH = 30;

    private final PrintStream err;
    private final String what;
    private final boolean terminal;
    private final IntSupplier segmentsDone;
    private final int segments;
    private final long started = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private volatile long lastDrawn = System.nanoTime();

    Progress(PrintStream err, String what, boolean terminal, IntSupplier segmentsDone, int segments) {
        this.err = err;
        this.what = what;
        this.terminal = terminal;
        this.segmentsDone = segmentsDone;
        this.segments = segments;
    }

    void step() {
        long n = done.incrementAndGet();
        long now = System.nanoTime();
        long every = terminal ? 200_000_000L : 10_000_000_000L;
        if (now - lastDrawn >= every) {
            synchronized (this) {
                if (now - lastDrawn < every) return;
                lastDrawn = now;
                draw(n, false);
            }
        }
    }

    long done() {
        return done.get();
    }

    double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    synchronized void finish() {
        draw(done.get(), true);
    }

    private void draw(long n, boolean last) {
        int filled = last ? WIDTH : (int) ((long) WIDTH * segmentsDone.getAsInt() / segments);
        String line = String.format(Locale.ROOT, "%s [%s%s] %,d contacts, %,.0f/s", what,
                "#".repeat(filled), ".".repeat(WIDTH - filled), n, n / Math.max(seconds(), 1e-3));
        if (terminal) err.print("\r" + line + (last ? "\n" : ""));
        else err.println(line);
        err.flush();
    }
}
