package dev.handoff.benchmarks;

import dev.handoff.core.policy.InvalidPolicyException;
import dev.handoff.core.policy.Policy;
import dev.handoff.core.policy.PolicyLoader;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading the default preset from the classpath: read, parse (SnakeYAML), bind and validate, index the rules. This
 * is the steady-state cost, with everything JIT-compiled; what a Lambda cold start pays for the first load in a fresh
 * JVM is {@link PolicyColdLoadBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
// The loader is much more code to compile than the evaluator: it needs a longer warmup, above all on a busy machine.
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class PolicyLoadBenchmark {
    @Benchmark
    public Policy presetScoreThreshold() throws InvalidPolicyException {
        return PolicyLoader.preset("score-threshold");
    }
}
