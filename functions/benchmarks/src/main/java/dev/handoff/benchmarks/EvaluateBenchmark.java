package dev.handoff.benchmarks;

import dev.handoff.core.Contact;
import dev.handoff.core.Decision;
import dev.handoff.core.Signal;
import dev.handoff.core.SignalTally;
import dev.handoff.core.SignalType;
import dev.handoff.core.policy.InvalidPolicyException;
import dev.handoff.core.policy.Policy;
import dev.handoff.core.policy.PolicyLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One evaluation of one contact from its kept state (the {@link SignalTally} the store keeps), under the default
 * preset ({@code score-threshold}) and under the same preset with decay on ({@code halfLifeDays: 30}): fit,
 * knockouts, engagement over the 90-day window, fast tracks and the stage. Only {@code Policy.evaluate} is
 * measured; the contact and its tally are built once. Goal (issue 9): at least 300,000 evaluations per second for
 * any history length, under Lambda's C1 JIT ({@code -XX:TieredStopAtLevel=1}, the default fork options here).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-XX:TieredStopAtLevel=1")
@Threads(1)
public class EvaluateBenchmark {
    @Param({"200", "1000", "5000"})
    public int signals;

    private Policy policy;
    private Policy decaying;
    private Contact contact;
    private SignalTally tally;
    private Instant now;

    @Setup(Level.Trial)
    public void setUp() throws InvalidPolicyException, IOException {
        policy = PolicyLoader.preset("score-threshold");
        decaying = withDecay(30);
        now = Contacts.NOW;
        Contact raw = checked(Contacts.icpLead(signals, signals), signals);
        tally = policy.tallyOf(raw.signals());
        contact = new Contact(raw.email(), raw.properties(), raw.visitorIds(), tally.keptSignals(), raw.stage(), raw.history());
        if (!policy.evaluate(contact, tally, now).equals(policy.evaluate(raw, now))) {
            throw new IllegalStateException("the kept state does not score as the raw signals do");
        }
        if (decaying.evaluate(contact, tally, now).engagementBreakdown().stream().noneMatch(c -> c.halfLifeDays() != null)) {
            throw new IllegalStateException("the decaying policy decays nothing");
        }
    }

    @Benchmark
    public Decision fromKeptState() {
        return policy.evaluate(contact, tally, now);
    }

    @Benchmark
    public Decision fromKeptStateWithDecay() {
        return decaying.evaluate(contact, tally, now);
    }

    /** The tally evaluated (for EvaluateCpuTime, which also evaluates copies of it). */
    SignalTally tally() {
        return tally;
    }

    Decision plain(SignalTally t) {
        return policy.evaluate(contact, t, now);
    }

    Decision withDecay(SignalTally t) {
        return decaying.evaluate(contact, t, now);
    }

    private static Policy withDecay(int halfLifeDays) throws IOException, InvalidPolicyException {
        try (InputStream in = EvaluateBenchmark.class.getClassLoader().getResourceAsStream("policies/score-threshold.yaml")) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("  windowDays: 90\n", "  windowDays: 90\n  halfLifeDays: " + halfLifeDays + "\n");
            return PolicyLoader.parse(yaml, "score-threshold with decay");
        }
    }

    /** Refuses a fixture that would not measure what the benchmark's name says. */
    private Contact checked(Contact contact, int expectedSignals) {
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
        if (!types.equals(EnumSet.allOf(SignalType.class))) {
            throw new IllegalStateException("missing signal types: " + EnumSet.complementOf(EnumSet.copyOf(types)));
        }
        Decision d = policy.evaluate(contact, now);
        if (d.engagementBreakdown().isEmpty() || d.fitBreakdown().isEmpty()) {
            throw new IllegalStateException("a benchmark contact that scores nothing measures nothing: " + d);
        }
        return contact;
    }
}
