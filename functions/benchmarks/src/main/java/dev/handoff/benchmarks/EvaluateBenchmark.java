package dev.handoff.benchmarks;

import dev.handoff.core.Contact;
import dev.handoff.core.Decision;
import dev.handoff.core.Signal;
import dev.handoff.core.SignalType;
import dev.handoff.core.policy.InvalidPolicyException;
import dev.handoff.core.policy.Policy;
import dev.handoff.core.policy.PolicyLoader;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One evaluation of one contact under the default preset ({@code score-threshold}): fit, knockouts, engagement over
 * the 90-day window, fast tracks and the stage. The contact is built once; only {@code Policy.evaluate} is measured.
 * Goal (issue 2): at least 200,000 evaluations per second on one core for the 200-signal contact.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class EvaluateBenchmark {
    private Policy policy;
    private Contact contactWith200Signals;
    private Contact contactWith20Signals;
    private Instant now;

    @Setup(Level.Trial)
    public void setUp() throws InvalidPolicyException {
        policy = PolicyLoader.preset("score-threshold");
        now = Contacts.NOW;
        contactWith200Signals = checked(Contacts.icpLead(200, 200L), 200, true);
        contactWith20Signals = checked(Contacts.icpLead(20, 20L), 20, false);
    }

    @Benchmark
    public Decision contactWith200Signals() {
        return policy.evaluate(contactWith200Signals, now);
    }

    @Benchmark
    public Decision contactWith20Signals() {
        return policy.evaluate(contactWith20Signals, now);
    }

    /** Refuses a fixture that would not measure what the benchmark's name says. */
    private Contact checked(Contact contact, int expectedSignals, boolean everyType) {
        if (contact.signals().size() != expectedSignals) {
            throw new IllegalStateException("expected " + expectedSignals + " signals, got " + contact.signals().size());
        }
        Set<SignalType> types = EnumSet.noneOf(SignalType.class);
        for (Signal s : contact.signals()) {
            if (s.occurredAt().isBefore(now.minus(java.time.Duration.ofDays(Contacts.WINDOW_DAYS))) || s.occurredAt().isAfter(now)) {
                throw new IllegalStateException("signal outside the window: " + s);
            }
            types.add(s.type());
        }
        if (everyType && !types.equals(EnumSet.allOf(SignalType.class))) {
            throw new IllegalStateException("missing signal types: " + EnumSet.complementOf(EnumSet.copyOf(types)));
        }
        Decision d = policy.evaluate(contact, now);
        if (d.engagementBreakdown().isEmpty() || d.fitBreakdown().isEmpty()) {
            throw new IllegalStateException("a benchmark contact that scores nothing measures nothing: " + d);
        }
        return contact;
    }
}
