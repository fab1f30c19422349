package dev.handoff.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time per operation, next to JMH's wall-clock score. This machine has 2 cores shared with other builds, so a
 * wall-clock score falls whenever they run; the CPU time the benchmark's JVM spends per operation does not, and its
 * inverse is the figure "evaluations per second on one core". It counts the whole JVM (JIT and GC threads too), so
 * it errs on the slow side. Use: {@code -prof dev.handoff.benchmarks.CpuTimeProfiler} (scripts/bench.sh does).
 */
public class CpuTimeProfiler implements InternalProfiler {
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuAtStart;

    @Override
    public String getDescription() {
        return "process CPU time per operation, and operations per CPU-second";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuAtStart = os.getProcessCpuTime();
    }

    @Override
    @SuppressWarnings("rawtypes") // JMH's own signature uses the raw Result
    public Collection<? extends Result> afterIteration(
            BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
        long cpuNanos = os.getProcessCpuTime() - cpuAtStart;
        long ops = result.getMetadata().getAllOps();
        if (ops <= 0 || cpuNanos <= 0) return List.of();
        double nsPerOp = (double) cpuNanos / ops;
        return List.of(
                new ScalarResult("cpu.time.norm", nsPerOp, "ns/op", AggregationPolicy.AVG),
                new ScalarResult("cpu.ops", 1e9 / nsPerOp, "ops/cpu-s", AggregationPolicy.AVG));
    }
}
