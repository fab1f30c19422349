package dev.handoff.it;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the JVM's one {@link Stack} as a parameter. It is started on first use and kept in the root
 * context's store, which closes it (engines stopped, moto_server killed) when the whole run ends.
 *
 * <p>After each test: an interception the test armed but never triggered is cancelled, and stream records that a
 * delivery gave up on during the test fail it (a handler that keeps failing must not pass unnoticed).
 */
final class StackExtension implements ParameterResolver, BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(StackExtension.class);
    private static final String GIVEN_UP_BEFORE = "givenUpBefore";

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Stack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return stack(context);
    }

    static Stack stack(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Stack.class, k -> Stack.shared(), Stack.class);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put(GIVEN_UP_BEFORE, stack(context).givenUp.size());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Stack stack = stack(context);
        stack.forms.cancelPending();
        stack.tracking.cancelPending();
        stack.qualification.cancelPending();
        stack.alerts.cancelPending();
        int before = context.getStore(NAMESPACE).getOrDefault(GIVEN_UP_BEFORE, Integer.class, 0);
        var givenUp = stack.givenUp.subList(before, stack.givenUp.size());
        if (!givenUp.isEmpty() && context.getExecutionException().isEmpty()) {
            throw new AssertionError("a stream delivery gave up on records during this test: " + givenUp.stream()
                    .map(f -> f.records().size() + " record(s) after " + f.attempts() + " attempts, "
                            + (f.error() != null ? "handler threw " + f.error() : "reported " + f.failedSequenceNumbers()))
                    .toList());
        }
    }
}
