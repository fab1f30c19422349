package dev.handoff.benchmarks;

import dev.handoff.core.Decision;
import dev.handoff.core.SignalTally;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.IntSupplier;

/**
 * {@link EvaluateBenchmark}'s two benchmarks, timed by the CPU time of the evaluating thread alone: the figures the
 * README gives. On this machine's two shared cores a wall-clock JMH score swings by ±100 % when other builds run;
 * the evaluating thread's own CPU time moves much less, and unlike {@link CpuTimeProfiler} it leaves out the JIT and
 * GC threads. Each cell is the best of {@code rounds} rounds of {@code evaluations} evaluations (a quarter of
 * that on fresh tallies), the round least disturbed by the other builds.
 *
 * <p>Two ways: the same kept tally again and again, as JMH does, and each evaluation on a tally of its own (copies
 * made outside the timing), which also pays what the evaluator works out once per tally and keeps with it: a
 * Lambda invocation reads a contact's tally and evaluates it once.
 *
 * <p>Run under Lambda's C1 JIT, after {@code scripts/bench.sh} has built the jar (or {@code ./mvnw -pl
 * functions/benchmarks -am package -DskipTests}): {@code java -XX:TieredStopAtLevel=1 -cp
 * functions/benchmarks/target/benchmarks.jar dev.handoff.benchmarks.EvaluateCpuTime [evaluations [rounds]]}.
 */
public final class EvaluateCpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static long sink;

    public static void main(String[] args) throws Exception {
        int evaluations = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        System.out.printf("evaluations per CPU-second of the evaluating thread (%,d evaluations, best of %d rounds)%n",
                evaluations, rounds);
        System.out.println("| history | same tally | with decay | a tally each | a tally each, with decay |");
        System.out.println("|---|---|---|---|---|");
        for (int signals : new int[] {200, 1000, 5000}) {
            EvaluateBenchmark b = new EvaluateBenchmark();
            b.signals = signals;
            b.setUp();
            SignalTally[] copies = new SignalTally[evaluations / 4]; // copies are slow to make: fewer per round
            double[] best = new double[4];
            for (int r = -1; r < rounds; r++) { // round -1 warms up
                double[] round = {
                    time(evaluations, () -> b.fromKeptState().engagement()),
                    time(evaluations, () -> b.fromKeptStateWithDecay().engagement()),
                    time(copies.length, copy(b, copies, false)),
                    time(copies.length, copy(b, copies, true))};
                if (r >= 0) for (int i = 0; i < 4; i++) best[i] = Math.max(best[i], round[i]);
            }
            System.out.printf("| %,d signals | %,.0f | %,.0f | %,.0f | %,.0f |%n", signals, best[0], best[1], best[2], best[3]);
        }
        if (sink == 42) System.out.println();
    }

    /** Fresh copies of the benchmark's tally (made here, outside the timing), each evaluated once. */
    private static IntSupplier copy(EvaluateBenchmark b, SignalTally[] copies, boolean decay) {
        for (int i = 0; i < copies.length; i++) copies[i] = b.tally().toBuilder().build();
        int[] next = {0};
        return () -> {
            Decision d = decay ? b.withDecay(copies[next[0]++]) : b.plain(copies[next[0]++]);
            return d.engagement();
        };
    }

    /** Evaluations per CPU-second of this thread over one round. */
    private static double time(int evaluations, IntSupplier evaluation) {
        long start = THREADS.getCurrentThreadCpuTime();
        long s = 0;
        for (int i = 0; i < evaluations; i++) s += evaluation.getAsInt();
        long nanos = THREADS.getCurrentThreadCpuTime() - start;
        sink += s;
        return evaluations * 1e9 / nanos;
    }

    private EvaluateCpuTime() {}
}
