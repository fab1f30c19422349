package dev.handoff.it;

import com.amazonaws.services.lambda.runtime.Context;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One function as an event source mapping invokes it: each call gets a fresh {@link Context}, and every call is
 * recorded with its event and what the handler answered (or threw), so tests can read exactly what Lambda would
 * have seen, such as the {@code batchItemFailures} of one batch.
 *
 * <p>{@link #aroundNext} lets a test act around one coming invocation (break an engine before it, repair it
 * after), which is how a real failure is placed at a precise point without mocking anything.
 */
final class Invocations<E, R> implements Function<E, R> {

    /** One invocation: the event, and the response or the exception. */
    record Call<E, R>(E event, R response, RuntimeException error) {}

    /** Runs around one invocation; {@code proceed} runs the real handler. */
    @FunctionalInterface
    interface Around<E, R> {
        R invoke(E event, Supplier<R> proceed);
    }

    private record Pending<E, R>(Predicate<E> when, Around<E, R> around) {}

    private final String functionName;
    private final BiFunction<E, Context, R> handler;
    private final List<Call<E, R>> calls = new CopyOnWriteArrayList<>();
    private final AtomicReference<Pending<E, R>> next = new AtomicReference<>();

    Invocations(String functionName, BiFunction<E, Context, R> handler) {
        this.functionName = Objects.requireNonNull(functionName);
        this.handler = Objects.requireNonNull(handler);
    }

    @Override
    public R apply(E event) {
        Supplier<R> proceed = () -> handler.apply(event, LambdaContext.of(functionName));
        Pending<E, R> pending = next.get();
        R response;
        try {
            if (pending != null && pending.when().test(event) && next.compareAndSet(pending, null)) {
                response = pending.around().invoke(event, proceed);
            } else {
                response = proceed.get();
            }
        } catch (RuntimeException e) {
            calls.add(new Call<>(event, null, e));
            throw e;
        }
        calls.add(new Call<>(event, response, null));
        return response;
    }

    /** The next invocation whose event {@code when} accepts runs through {@code around}; later ones run plainly. */
    void aroundNext(Predicate<E> when, Around<E, R> around) {
        if (!next.compareAndSet(null, new Pending<>(when, around))) {
            throw new IllegalStateException("an interception is already waiting on " + functionName);
        }
    }

    /** Forgets an interception that never happened (so one test's cannot leak into the next). */
    boolean cancelPending() {
        return next.getAndSet(null) != null;
    }

    /** Every invocation so far, oldest first. */
    List<Call<E, R>> calls() {
        return List.copyOf(calls);
    }

    String functionName() {
        return functionName;
    }
}
