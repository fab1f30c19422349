package dev.handoff.benchmarks;

import dev.handoff.core.Contact;
import dev.handoff.core.Decision;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a Lambda cold start pays: the first call in a fresh JVM, with the core's and SnakeYAML's classes not yet
 * loaded and nothing compiled. One shot per fork, many forks. Run it with its own options, e.g.
 * {@code scripts/bench.sh PolicyColdLoad -f 10 -wi 0 -i 1} (a plain {@code scripts/bench.sh} does).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(10)
@Threads(1)
public class PolicyColdLoadBenchmark {
    private Contact contact;

    @Setup
    public void setUp() {
        // Building the contact loads the record classes; the function's request parsing would have done so too.
        contact = Contacts.icpLead(200, 200L);
    }

    /** The function's init: the preset, loaded once per container. */
    @Benchmark
    public Policy firstPresetLoad() throws InvalidPolicyException {
        return PolicyLoader.preset("score-threshold");
    }

    /** Init plus the first invocation's evaluation, still interpreted. */
    @Benchmark
    public Decision firstPresetLoadAndEvaluation() throws InvalidPolicyException {
        return PolicyLoader.preset("score-threshold").evaluate(contact, Contacts.NOW);
    }
}
