package dev.handoff.benchmarks;

import dev.handoff.core.Decision;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.Supplier;

/**
 * {@link EvaluateBenchmark}'s two benchmarks, timed by the CPU time of the evaluating thread alone: the figure the
 * README gives. On this machine's two shared cores a wall-clock JMH score swings by ±100 % when other builds run;
 * the evaluating thread's own CPU time hardly moves, and unlike {@link CpuTimeProfiler} it leaves out the JIT and GC
 * threads. Each round is {@code evaluations} evaluations; a cell's figure is its best round (the one least disturbed).
 *
 * <p>Run under Lambda's C1 JIT, after {@code scripts/bench.sh} has built the jar (or {@code ./mvnw -pl
 * functions/benchmarks -am package -DskipTests}): {@code java -XX:TieredStopAtLevel=1 -cp
 * functions/benchmarks/target/benchmarks.jar dev.handoff.benchmarks.EvaluateCpuTime [evaluations [rounds]]}.
 */
public final class EvaluateCpuTime {
    private static long sink;

    public static void main(String[] args) throws Exception {
        int evaluations = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf("evaluations per CPU-second of the evaluating thread (%,d evaluations, best of %d rounds)%n",
                evaluations, rounds);
        System.out.println("| history | evaluations per CPU-second | with decay (`halfLifeDays: 30`) |");
        System.out.println("|---|---|---|");
        for (int signals : new int[] {200, 1000, 5000}) {
            EvaluateBenchmark b = new EvaluateBenchmark();
            b.signals = signals;
            b.setUp();
            // Warm both up first: C1 compiles within a few thousand calls.
            run(b::fromKeptState, evaluations, threads);
            run(b::fromKeptStateWithDecay, evaluations, threads);
            double plain = 0, decay = 0;
            for (int r = 0; r < rounds; r++) {
                plain = Math.max(plain, run(b::fromKeptState, evaluations, threads));
                decay = Math.max(decay, run(b::fromKeptStateWithDecay, evaluations, threads));
            }
            System.out.printf("| %,d signals | %,.0f | %,.0f |%n", signals, plain, decay);
        }
        if (sink == 42) System.out.println();
    }

    /** Evaluations per CPU-second of this thread over one round. */
    private static double run(Supplier<Decision> evaluation, int evaluations, ThreadMXBean threads) {
        long start = threads.getCurrentThreadCpuTime();
        long s = 0;
        for (int i = 0; i < evaluations; i++) s += evaluation.get().engagement();
        long nanos = threads.getCurrentThreadCpuTime() - start;
        sink += s;
        return evaluations * 1e9 / nanos;
    }

    private EvaluateCpuTime() {}
}
