package dev.handoff.aws.alerts;

import dev.handoff.local.MotoServer;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands one moto_server to every alerts test class that asks for a {@link MotoServer} parameter
 * ({@code @ExtendWith(SharedMoto.class)}). It lives in the root store, which JUnit (5.13+) closes, with the
 * AutoCloseable server in it, when the run ends; MotoServer's shutdown hook covers the rest.
 */
public final class SharedMoto implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == MotoServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(SharedMoto.class))
                .getOrComputeIfAbsent("moto", key -> new MotoServer(), MotoServer.class);
    }
}
