package dev.handoff.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every function's Handler exists in the jar its CodeUri names and handles what its trigger sends. */
class HandlersIT {
    private static final String REQUEST_HANDLER = "com.amazonaws.services.lambda.runtime.RequestHandler";
    private static final String CONTEXT = "com.amazonaws.services.lambda.runtime.Context";

    static SamTemplate template;

    @BeforeAll
    static void load() throws Exception {
        template = SamTemplate.get();
    }

    static List<String> functions() throws Exception {
        return SamTemplate.functionIds();
    }

    @Test
    void theTemplateDeploysEveryFunctionAndOnlyThose() {
        Set<String> deployed = new TreeSet<>();
        for (String id : template.ofType(SamTemplate.FUNCTION)) {
            deployed.add(template.handler(id)[0]);
        }
        assertThat(deployed).containsExactlyInAnyOrderElementsOf(
                Expectations.FUNCTIONS.stream().map(Expectations.Function::handlerClass).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void codeUriIsTheShadedJarThatMavenBuilds(String id) {
        Expectations.Function expected = Expectations.forHandler(template.handler(id)[0]);
        Object codeUri = template.functionProperties(id).get("CodeUri");
        assertThat(codeUri).as("%s CodeUri", id)
                .isEqualTo("functions/" + expected.module() + "/target/" + expected.module() + ".jar");
        // The same file as ../<module>/target/<module>.jar from this module.
        assertThat(template.repoRoot.resolve((String) codeUri)).as("%s: run ./mvnw package first", codeUri).isRegularFile();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void handlerIsInItsJarAndHandlesTheEventItsTriggerSends(String id) throws Exception {
        String[] handler = template.handler(id);
        Expectations.Function expected = Expectations.forHandler(handler[0]);
        Map<String, Map<String, Object>> events = template.events(id);
        Set<String> triggers = events.values().stream().map(e -> (String) e.get("Type")).collect(Collectors.toSet());
        assertThat(triggers).as("%s event types", id).containsExactly(expected.trigger());
        Expectations.Io io = Expectations.TRIGGER_IO.get(expected.trigger());

        String codeUri = (String) template.functionProperties(id).get("CodeUri");
        try (FunctionJar jar = FunctionJar.open(template.repoRoot.resolve(codeUri))) {
            Class<?> type = jar.load(handler[0]);
            assertThat(Modifier.isPublic(type.getModifiers()) && !Modifier.isAbstract(type.getModifiers()))
                    .as("%s is a public concrete class", type.getName()).isTrue();
            assertThat(type.getConstructor().getModifiers() & Modifier.PUBLIC)
                    .as("%s has the public no-argument constructor Lambda calls", type.getName()).isNotZero();

            ParameterizedType requestHandler = requestHandlerOf(type);
            assertThat(requestHandler).as("%s implements %s", type.getName(), REQUEST_HANDLER).isNotNull();
            Type[] args = requestHandler.getActualTypeArguments();
            assertThat(args[0].getTypeName()).as("%s input (what a %s trigger sends)", id, expected.trigger())
                    .isEqualTo(io.event());
            boolean batchFailures = events.values().stream().anyMatch(HandlersIT::reportsBatchItemFailures);
            if (expected.trigger().equals(Expectations.HTTP_API) || expected.trigger().equals(Expectations.SNS)
                    || batchFailures) {
                assertThat(args[1].getTypeName()).as("%s output", id).isEqualTo(io.batchResponse());
            }

            List<Method> methods = java.util.Arrays.stream(type.getMethods())
                    .filter(m -> m.getName().equals(handler[1]) && !m.isBridge() && m.getParameterCount() == 2)
                    .toList();
            assertThat(methods).as("%s has a method %s(event, Context)", type.getName(), handler[1]).hasSize(1);
            Class<?>[] params = methods.get(0).getParameterTypes();
            assertThat(params[0].getName()).isEqualTo(io.event());
            assertThat(params[1].getName()).isEqualTo(CONTEXT);
        }
    }

    static boolean reportsBatchItemFailures(Map<String, Object> event) {
        Object props = event.get("Properties");
        return props instanceof Map<?, ?> p
                && SamTemplate.strings(p.get("FunctionResponseTypes")).contains("ReportBatchItemFailures");
    }

    /** RequestHandler<I, O> as the class or one of its superclasses declares it. */
    private static ParameterizedType requestHandlerOf(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Type t : c.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p && p.getRawType().getTypeName().equals(REQUEST_HANDLER)) return p;
            }
        }
        return null;
    }
}
