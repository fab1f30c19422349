package dev.handoff.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every function's Handler exists in the jar sam build deploys and handles what its trigger sends. */
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

    /**
     * {@code sam build} runs {@code make build-<LogicalId>} in CodeUri (the repository) with ARTIFACTS_DIR set, and
     * zips that directory as the function's code. Run here as SAM runs it, with the jars this build made taken as
     * current ({@code -o} the stamp: no second Maven build inside this one).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void samBuildPutsTheModulesShadedJarWhereLambdaLoadsIt(String id, @TempDir Path artifacts) throws Exception {
        Expectations.Function expected = Expectations.forHandler(template.handler(id)[0]);
        assertThat(template.functionProperties(id).get("CodeUri")).as("%s CodeUri: the repository, where the Makefile is", id)
                .isEqualTo(".");
        assertThat(template.resource(id).get("Metadata")).as("%s Metadata", id)
                .isEqualTo(Map.of("BuildMethod", "makefile"));
        Path jar = template.moduleJar(id);
        assertThat(jar).as("%s: run ./mvnw package first", jar).isRegularFile();

        Process make = new ProcessBuilder("make", "--no-print-directory", "-s", "-o", "target/function-jars.stamp",
                "build-" + id, "ARTIFACTS_DIR=" + artifacts)
                .directory(template.repoRoot.toFile()).redirectErrorStream(true).start();
        String output = new String(make.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(make.waitFor()).as("make build-%s: %s", id, output).isZero();

        Path built = artifacts.resolve("lib").resolve(expected.module() + ".jar");
        assertThat(built).as("make build-%s", id).isRegularFile();
        assertThat(java.nio.file.Files.mismatch(built, jar)).as("%s is %s", built, jar).isEqualTo(-1L);
        try (var files = java.nio.file.Files.list(artifacts)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("what SAM zips for %s", id).containsExactly("lib");
        }
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

        try (FunctionJar jar = template.jar(id)) {
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
