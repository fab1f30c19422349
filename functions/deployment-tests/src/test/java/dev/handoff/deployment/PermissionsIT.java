package dev.handoff.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every AWS action a function's code calls is granted to that function, and nothing more: its role holds exactly
 * the code's actions (Expectations.FUNCTIONS), what its event source mapping does with the role, and its logs;
 * each on exactly the resource it acts on, never {@code *}.
 */
class PermissionsIT {
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
    void theRoleGrantsExactlyWhatTheCodeAndItsTriggerUse(String id) {
        Expectations.Function expected = template.expected(id);
        Set<String> wanted = new TreeSet<>(expected.codeActions());
        wanted.addAll(Expectations.LOG_ACTIONS);
        wanted.addAll(Expectations.TRIGGER_ACTIONS.get(expected.trigger()));
        if ("Active".equals(template.functionProperties(id).get("Tracing"))) wanted.addAll(Expectations.TRACING_ACTIONS);
        for (String destination : onFailureDestinations(template, id)) {
            wanted.add(Expectations.ON_FAILURE_ACTION.get(template.type(destination)));
        }

        Set<String> granted = new TreeSet<>();
        for (Map<String, Object> statement : statements(id)) granted.addAll(SamTemplate.strings(statement.get("Action")));

        Set<String> missing = new TreeSet<>(wanted);
        missing.removeAll(granted);
        Set<String> extra = new TreeSet<>(granted);
        extra.removeAll(wanted);
        assertThat(missing).as("%s: actions its code or trigger needs that its role does not grant", id).isEmpty();
        assertThat(extra).as("%s: actions its role grants that nothing in it uses", id).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void noWildcardsAndOnlyAllowStatements(String id) {
        for (Map<String, Object> statement : statements(id)) {
            assertThat(statement).as("%s statement %s", id, statement.get("Sid"))
                    .doesNotContainKeys("NotAction", "NotResource", "NotPrincipal")
                    .containsEntry("Effect", "Allow");
            for (String action : SamTemplate.strings(statement.get("Action"))) {
                assertThat(action).as("%s action", id).doesNotContain("*").matches("[a-z0-9-]+:[A-Za-z0-9]+");
            }
            List<Object> resources = SamTemplate.values(statement.get("Resource"));
            assertThat(resources).as("%s statement %s Resource", id, statement.get("Sid")).isNotEmpty();
            if (Expectations.TRACING_ACTIONS.containsAll(SamTemplate.strings(statement.get("Action")))) {
                // X-Ray's two write actions take no resource: "*" is the only grant there is, and it is theirs alone.
                assertThat(resources).as("%s statement %s", id, statement.get("Sid")).containsExactly("*");
                continue;
            }
            for (Object resource : resources) {
                assertThat(resource).as("%s statement %s Resource", id, statement.get("Sid")).isNotEqualTo("*");
                assertThat(SamTemplate.references(resource)).as("%s statement %s names a resource of this stack", id,
                        statement.get("Sid")).isNotEmpty();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void eachActionIsScopedToWhatItActsOn(String id) {
        Map<String, Object> props = template.functionProperties(id);
        Map<String, Object> env = template.environment(id);
        String table = SamTemplate.target(env.get("TABLE_NAME"));
        String logGroup = SamTemplate.target(SamTemplate.map(props.get("LoggingConfig"), id + " LoggingConfig").get("LogGroup"));
        assertThat(logGroup).as("%s LoggingConfig.LogGroup is a !Ref", id).isNotNull();
        assertThat(template.type(logGroup)).isEqualTo("AWS::Logs::LogGroup");

        for (Map<String, Object> statement : statements(id)) {
            Set<String> refs = new TreeSet<>();
            for (Object r : SamTemplate.values(statement.get("Resource"))) refs.addAll(SamTemplate.references(r));
            for (String action : SamTemplate.strings(statement.get("Action"))) {
                String on = switch (action) {
                    case "logs:CreateLogStream", "logs:PutLogEvents" -> logGroup;
                    case "dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
                         "dynamodb:ListStreams" -> streamTable(id);
                    case "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes" -> polledQueue(id);
                    // The HubSpot sync sends a refused message to its own dead-letter queue; stream consumers
                    // and the Slack notifier write to their on-failure destination.
                    case "sqs:SendMessage" -> env.containsKey("HUBSPOT_DEAD_LETTER_QUEUE_URL")
                            ? SamTemplate.target(env.get("HUBSPOT_DEAD_LETTER_QUEUE_URL"))
                            : single(id, onFailureDestinations(template, id));
                    case "xray:PutTraceSegments", "xray:PutTelemetryRecords" -> null;
                    case "sns:Publish" -> SamTemplate.target(env.get("ALERTS_TOPIC_ARN"));
                    case "kms:GenerateDataKey", "kms:Decrypt" -> SamTemplate.target(
                            template.properties(SamTemplate.target(env.get("ALERTS_TOPIC_ARN"))).get("KmsMasterKeyId"));
                    case "events:PutEvents" -> SamTemplate.target(env.get("EVENT_BUS_NAME"));
                    // The Slack and HubSpot secrets are the stack's parameters (existing secrets); the hash key is
                    // the stack's own. One secret per statement, each one a variable of the function names.
                    case "secretsmanager:GetSecretValue" -> refs.size() == 1 && java.util.stream.Stream.of(
                                    env.get("SLACK_WEBHOOK_SECRET_ARN"), env.get("HUBSPOT_TOKEN_SECRET_ARN"),
                                    env.get("CONTACT_HASH_SECRET_ARN"))
                                    .map(SamTemplate::target).anyMatch(refs.iterator().next()::equals)
                            ? refs.iterator().next() : "a secret the function's environment names";
                    default -> {
                        assertThat(action).as("%s: a data-plane call on the table", id).startsWith("dynamodb:");
                        yield table;
                    }
                };
                if (on == null) continue; // tracing: "*", checked above
                assertThat(refs).as("%s: %s is granted on", id, action).containsExactly(on);
            }
            // Table actions on the table itself, stream actions on its streams: never one for the other.
            Object resource = statement.get("Resource");
            boolean streamStatement = SamTemplate.strings(statement.get("Action")).stream()
                    .anyMatch(Expectations.TRIGGER_ACTIONS.get(Expectations.DYNAMODB)::contains);
            if (table != null && refs.contains(table)) { // the Slack notifier has no table
                assertThat(resource.toString().contains("/stream/") || "StreamArn".equals(SamTemplate.attribute(resource)))
                        .as("%s statement %s: stream ARN iff stream actions", id, statement.get("Sid"))
                        .isEqualTo(streamStatement);
            }
        }
    }

    /** The role's statements: its inline policies and every AWS::IAM::Policy attached to it. */
    static List<Map<String, Object>> statements(String functionId) {
        Map<String, Object> props = template.functionProperties(functionId);
        assertThat(props).as("%s: permissions live on its own role, not SAM's Policies", functionId)
                .doesNotContainKey("Policies");
        String role = SamTemplate.target(props.get("Role"));
        assertThat(role).as("%s Role is !GetAtt <role>.Arn", functionId).isNotNull();
        assertThat(template.type(role)).isEqualTo("AWS::IAM::Role");
        Map<String, Object> roleProps = template.properties(role);
        assertThat(roleProps).as("%s: no managed policies (their actions and resources are not ours to scope)", role)
                .doesNotContainKey("ManagedPolicyArns");

        List<Object> documents = new ArrayList<>();
        for (Object policy : SamTemplate.values(roleProps.get("Policies"))) {
            documents.add(SamTemplate.map(policy, role + " policy").get("PolicyDocument"));
        }
        for (String policyId : template.ofType("AWS::IAM::Policy")) {
            Map<String, Object> p = template.properties(policyId);
            boolean attached = SamTemplate.values(p.get("Roles")).stream().anyMatch(r -> role.equals(SamTemplate.target(r)));
            if (attached) documents.add(p.get("PolicyDocument"));
        }
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Object document : documents) {
            for (Object s : SamTemplate.values(SamTemplate.map(document, role + " PolicyDocument").get("Statement"))) {
                statements.add(SamTemplate.map(s, role + " statement"));
            }
        }
        return statements;
    }

    /** The logical ids of a function's OnFailure destinations: its stream mappings' and its asynchronous invocations'. */
    static List<String> onFailureDestinations(SamTemplate template, String functionId) {
        List<String> out = new ArrayList<>();
        if (template.properties(functionId).get("EventInvokeConfig") instanceof Map<?, ?> invoke
                && invoke.get("DestinationConfig") instanceof Map<?, ?> d && d.get("OnFailure") instanceof Map<?, ?> onFailure) {
            out.add(SamTemplate.target(onFailure.get("Destination")));
        }
        for (Map<String, Object> event : template.events(functionId).values()) {
            Object props = event.get("Properties");
            if (!(props instanceof Map<?, ?> p) || !(p.get("DestinationConfig") instanceof Map<?, ?> d)) continue;
            if (d.get("OnFailure") instanceof Map<?, ?> onFailure) out.add(SamTemplate.target(onFailure.get("Destination")));
        }
        return out;
    }

    private static String polledQueue(String functionId) {
        List<String> queues = new ArrayList<>();
        for (Map<String, Object> event : template.events(functionId).values()) {
            if (Expectations.SQS.equals(event.get("Type"))) {
                queues.add(SamTemplate.target(SamTemplate.map(event.get("Properties"), "SQS event").get("Queue")));
            }
        }
        return single(functionId, queues);
    }

    private static String streamTable(String functionId) {
        List<String> tables = new ArrayList<>();
        for (Map<String, Object> event : template.events(functionId).values()) {
            if (Expectations.DYNAMODB.equals(event.get("Type"))) {
                tables.add(SamTemplate.target(SamTemplate.map(event.get("Properties"), "DynamoDB event").get("Stream")));
            }
        }
        return single(functionId, tables);
    }

    private static String single(String functionId, List<String> ids) {
        assertThat(new TreeSet<>(ids)).as("%s: exactly one resource", functionId).hasSize(1);
        return ids.get(0);
    }
}
