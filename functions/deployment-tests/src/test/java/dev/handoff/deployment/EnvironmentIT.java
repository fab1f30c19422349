package dev.handoff.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every environment variable a function's code requires is set, to the right thing, and nothing unknown is. */
class EnvironmentIT {
    private static final String ENV = "dev.handoff.aws.Env";
    private static final String POLICY_LOADER = "dev.handoff.core.policy.PolicyLoader";

    /** What each variable must point at: a resource type, or the parameter named. */
    private static final Map<String, String> VARIABLE_TARGETS = Map.of(
            "TABLE_NAME", "AWS::DynamoDB::Table",
            "POLICY", "Parameter:Policy",
            "ALERTS_TOPIC_ARN", "AWS::SNS::Topic",
            "EVENT_BUS_NAME", "AWS::Events::EventBus",
            "SLACK_WEBHOOK_SECRET_ARN", "Parameter:SlackWebhookSecretArn",
            "CONTACT_HASH_SECRET_ARN", "AWS::SecretsManager::Secret");

    static SamTemplate template;

    @BeforeAll
    static void load() throws Exception {
        template = SamTemplate.get();
    }

    static List<String> functions() throws Exception {
        return SamTemplate.functionIds();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void everyVariableTheCodeReadsIsSet(String id) {
        Expectations.Function expected = template.expected(id);
        Map<String, Object> env = template.environment(id);
        assertThat(env.keySet()).as("%s Environment.Variables", id).containsAll(expected.environment());
        for (String name : expected.environment()) {
            assertThat(env.get(name)).as("%s %s", id, name).isNotNull().isNotEqualTo("");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void theHandlerNamesNoVariableMissingFromItsRow(String id) throws Exception {
        Expectations.Function expected = template.expected(id);
        try (FunctionJar jar = template.jar(id)) {
            Map<String, String> envConstants = jar.stringConstants(ENV);
            Set<String> literals = jar.stringLiterals(expected.handlerClass());
            Set<String> named = new TreeSet<>(envConstants.values());
            named.retainAll(literals);
            named.addAll(ownVariables(jar, expected.handlerClass()));
            assertThat(named).as("Env constants (or its own) that %s names in its code", expected.handlerClass())
                    .isNotEmpty();
            assertThat(expected.environment()).as("Expectations row of %s", expected.handlerClass()).containsAll(named);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void everyVariableSetIsOneTheCodeKnows(String id) throws Exception {
        try (FunctionJar jar = template.jar(id)) {
            Set<String> known = new HashSet<>(jar.stringConstants(ENV).values());
            known.addAll(ownVariables(jar, template.expected(id).handlerClass()));
            known.addAll(Expectations.RUNTIME_VARIABLES);
            assertThat(known).as("variables %s's code reads (Env's constants)", id)
                    .containsAll(template.environment(id).keySet());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void variablesPointAtTheRightResources(String id) {
        template.environment(id).forEach((name, value) -> {
            String expectedTarget = VARIABLE_TARGETS.get(name);
            if (expectedTarget == null) return;
            assertThat(value).as("%s %s is a !Ref", id, name).isInstanceOf(Map.class);
            String target = (String) ((Map<?, ?>) value).get("Ref");
            assertThat(target).as("%s %s is a !Ref", id, name).isNotNull();
            if (expectedTarget.startsWith("Parameter:")) {
                assertThat(target).isEqualTo(expectedTarget.substring("Parameter:".length()));
                assertThat(template.parameters()).containsKey(target);
            } else {
                assertThat(template.type(target)).as("%s %s -> %s", id, name, target).isEqualTo(expectedTarget);
            }
        });
    }

    /**
     * The variables a handler declares itself, as Env declares its own: public static final Strings whose value is
     * their name ({@code SLACK_WEBHOOK_SECRET_ARN = "SLACK_WEBHOOK_SECRET_ARN"}).
     */
    static Set<String> ownVariables(FunctionJar jar, String handlerClass) throws ReflectiveOperationException {
        Set<String> out = new TreeSet<>();
        jar.stringConstants(handlerClass).forEach((name, value) -> {
            if (name.equals(value)) out.add(value);
        });
        return out;
    }

    @Test
    void thePolicyParameterOffersExactlyThePresetsEveryJarShips() throws Exception {
        Map<String, Object> policy = SamTemplate.map(template.parameters().get("Policy"), "Parameters.Policy");
        List<String> allowed = SamTemplate.strings(policy.get("AllowedValues"));
        assertThat(allowed).contains((String) policy.get("Default"));
        for (String id : template.ofType(SamTemplate.FUNCTION)) {
            try (FunctionJar jar = template.jar(id)) {
                Object presets = jar.load(POLICY_LOADER).getField("PRESETS").get(null);
                assertThat(allowed).as("Policy AllowedValues vs PolicyLoader.PRESETS in %s", jar.path)
                        .containsExactlyInAnyOrderElementsOf(SamTemplate.strings(presets));
                for (String preset : allowed) {
                    assertThat(jar.has("policies/" + preset + ".yaml")).as("%s ships policies/%s.yaml", jar.path, preset)
                            .isTrue();
                }
            }
        }
    }

}
