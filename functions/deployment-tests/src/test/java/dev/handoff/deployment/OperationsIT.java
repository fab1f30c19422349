package dev.handoff.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Operations as PRODUCT §8 states them: every alarm reaches someone, nothing that can fall behind is unwatched, the
 * dashboard shows exactly the business metrics the code writes, and the tracking events can be replayed.
 */
class OperationsIT {
    private static final String ALARM = "AWS::CloudWatch::Alarm";
    private static final String QUEUE = "AWS::SQS::Queue";
    /** The enum whose constants are the metrics (dev.handoff.aws.Metric); its constant names are the metric names. */
    private static final Path METRIC_SOURCE = Path.of("functions/aws/src/main/java/dev/handoff/aws/Metric.java");

    static SamTemplate template;

    @BeforeAll
    static void load() throws Exception {
        template = SamTemplate.get();
    }

    @Test
    void everyAlarmNotifiesTheOperationsTopicWhenItFiresAndWhenItRecovers() {
        List<String> alarms = template.ofType(ALARM);
        assertThat(alarms).isNotEmpty();
        String ops = opsTopic();
        for (String alarm : alarms) {
            Map<String, Object> props = template.properties(alarm);
            for (String actions : List.of("AlarmActions", "OKActions")) {
                List<Object> targets = SamTemplate.values(props.get(actions));
                assertThat(targets).as("%s %s", alarm, actions).isNotEmpty();
                assertThat(targets.stream().map(SamTemplate::target).toList()).as("%s %s", alarm, actions).containsOnly(ops);
            }
        }
    }

    @Test
    void theOperationsTopicCanBeUsedByCloudWatchAndAnEmailCanSubscribe() {
        String ops = opsTopic();
        Object key = template.properties(ops).get("KmsMasterKeyId");
        if (key != null) {
            // An encrypted topic that CloudWatch may not use drops every alarm notification silently.
            String keyId = SamTemplate.target(key);
            assertThat(template.type(keyId)).isEqualTo("AWS::KMS::Key");
            Map<String, Object> policy = SamTemplate.map(template.properties(keyId).get("KeyPolicy"), keyId + " KeyPolicy");
            boolean granted = false;
            for (Object s : SamTemplate.values(policy.get("Statement"))) {
                Map<String, Object> statement = SamTemplate.map(s, "statement");
                Object principal = statement.get("Principal");
                if (principal instanceof Map<?, ?> p && "cloudwatch.amazonaws.com".equals(p.get("Service"))) {
                    List<String> actions = SamTemplate.strings(statement.get("Action"));
                    granted = actions.contains("kms:Decrypt")
                            && (actions.contains("kms:GenerateDataKey*") || actions.contains("kms:GenerateDataKey"));
                }
            }
            assertThat(granted).as("%s's key policy lets cloudwatch.amazonaws.com GenerateDataKey and Decrypt", ops).isTrue();
        }
        assertThat(template.parameters()).containsKey("OpsEmail");
        assertThat(template.ofType("AWS::SNS::Subscription").stream().map(template::properties)
                .filter(p -> ops.equals(SamTemplate.target(p.get("TopicArn"))))
                .filter(p -> "email".equals(p.get("Protocol")))
                .map(p -> SamTemplate.target(p.get("Endpoint"))))
                .as("an email subscription of %s to the OpsEmail parameter", ops).containsExactly("OpsEmail");
    }

    @Test
    void everyQueueHasAnAlarmOnTheAgeOfItsOldestMessage() {
        List<String> queues = template.ofType(QUEUE);
        assertThat(queues).isNotEmpty();
        for (String queue : queues) {
            List<String> alarms = alarmsOn("AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", queue);
            assertThat(alarms).as("ApproximateAgeOfOldestMessage alarm on %s (Dimensions QueueName: !GetAtt %s.QueueName)",
                    queue, queue).isNotEmpty();
            for (String alarm : alarms) {
                assertThat(template.resource(alarm).get("Condition")).as("%s exists exactly when %s does", alarm, queue)
                        .isEqualTo(template.resource(queue).get("Condition"));
            }
        }
    }

    @Test
    void everyStreamConsumerHasAnAlarmOnItsIteratorAge() {
        List<String> consumers = new ArrayList<>();
        for (String function : template.ofType(SamTemplate.FUNCTION)) {
            boolean streams = template.events(function).values().stream()
                    .anyMatch(e -> Set.of("DynamoDB", "Kinesis").contains(e.get("Type")));
            if (streams) consumers.add(function);
        }
        assertThat(consumers).isNotEmpty();
        for (String function : consumers) {
            assertThat(alarmsOn("AWS/Lambda", "IteratorAge", "FunctionName", function))
                    .as("IteratorAge alarm on %s (Dimensions FunctionName: !Ref %s)", function, function).isNotEmpty();
        }
    }

    @Test
    void theSlackNotifierKeepsWhatItCouldNotPost() {
        for (String function : template.ofType(SamTemplate.FUNCTION)) {
            boolean asynchronous = template.events(function).values().stream().anyMatch(e -> "SNS".equals(e.get("Type")));
            if (!asynchronous) continue;
            Object invoke = template.properties(function).get("EventInvokeConfig");
            assertThat(invoke).as("%s EventInvokeConfig (an on-failure destination)", function).isInstanceOf(Map.class);
            Object onFailure = SamTemplate.map(SamTemplate.map(invoke, "EventInvokeConfig").get("DestinationConfig"),
                    "DestinationConfig").get("OnFailure");
            String destination = SamTemplate.target(SamTemplate.map(onFailure, "OnFailure").get("Destination"));
            assertThat(template.type(destination)).isEqualTo(QUEUE);
        }
    }

    @Test
    void everyFunctionLogsJson() {
        for (String function : template.ofType(SamTemplate.FUNCTION)) {
            Map<String, Object> logging = SamTemplate.map(template.functionProperties(function).get("LoggingConfig"),
                    function + " LoggingConfig");
            assertThat(logging.get("LogFormat")).as("%s LogFormat", function).isEqualTo("JSON");
        }
    }

    @Test
    void theDashboardShowsExactlyTheBusinessMetricsTheCodeEmits() throws IOException {
        Set<String> onDashboard = dashboardMetrics("Handoff");
        Set<String> emitted = emittedMetrics();
        assertThat(emitted).as("metrics the code emits (Metric.X in functions/*/src/main)").isNotEmpty();
        assertThat(onDashboard).as("Handoff metrics on the dashboard vs those the code emits").isEqualTo(emitted);
    }

    @Test
    void theDashboardWatchesTheQueuesTheStreamsTheErrorsAndTheDurations() throws IOException {
        Set<String> lambda = dashboardMetrics("AWS/Lambda");
        assertThat(lambda).contains("IteratorAge", "Errors", "Duration");
        assertThat(dashboardMetrics("AWS/SQS")).contains("ApproximateNumberOfMessagesVisible", "ApproximateAgeOfOldestMessage");
    }

    @Test
    void theTrackingArchiveKeepsWhatTheTrackingRuleTakesForAsLongAsTheParameterSays() {
        List<String> archives = template.ofType("AWS::Events::Archive");
        assertThat(archives).hasSize(1);
        Map<String, Object> archive = template.properties(archives.get(0));
        Map<String, Object> rule = template.properties("TrackingRule");
        assertThat(SamTemplate.target(archive.get("SourceArn"))).isEqualTo(SamTemplate.target(rule.get("EventBusName")));
        assertThat(archive.get("EventPattern")).as("the archive's pattern is the tracking rule's").isEqualTo(rule.get("EventPattern"));
        String retention = SamTemplate.target(archive.get("RetentionDays"));
        assertThat(template.parameters()).containsKey(retention);
    }

    // ---------------------------------------------------------------------------------------------------------

    private static String opsTopic() {
        Set<String> topics = new TreeSet<>();
        for (String alarm : template.ofType(ALARM)) {
            for (Object t : SamTemplate.values(template.properties(alarm).get("AlarmActions"))) {
                String target = SamTemplate.target(t);
                assertThat(target).as("%s AlarmActions: a !Ref to a topic of the stack", alarm).isNotNull();
                topics.add(target);
            }
        }
        assertThat(topics).as("the topic the alarms notify").hasSize(1);
        String ops = topics.iterator().next();
        assertThat(template.type(ops)).isEqualTo("AWS::SNS::Topic");
        return ops;
    }

    /** Alarms on {@code namespace/metric} whose one dimension {@code dimension} names {@code resource}. */
    private static List<String> alarmsOn(String namespace, String metric, String dimension, String resource) {
        List<String> out = new ArrayList<>();
        for (String alarm : template.ofType(ALARM)) {
            Map<String, Object> p = template.properties(alarm);
            if (!namespace.equals(p.get("Namespace")) || !metric.equals(p.get("MetricName"))) continue;
            for (Object d : SamTemplate.values(p.get("Dimensions"))) {
                Map<String, Object> dim = SamTemplate.map(d, alarm + " dimension");
                if (dimension.equals(dim.get("Name")) && resource.equals(SamTemplate.target(dim.get("Value")))) out.add(alarm);
            }
        }
        return out;
    }

    private static final Pattern SEARCH = Pattern.compile("SEARCH\\('\\{([^,}]+)[^}]*}[^']*MetricName=\"([A-Za-z0-9]+)\"");

    /** The metric names of one namespace the dashboard's widgets show: listed metrics and SEARCH expressions alike. */
    static Set<String> dashboardMetrics(String namespace) throws IOException {
        List<String> dashboards = template.ofType("AWS::CloudWatch::Dashboard");
        assertThat(dashboards).hasSize(1);
        Object body = template.properties(dashboards.get(0)).get("DashboardBody");
        String text = body instanceof Map<?, ?> m && m.get("Fn::Sub") instanceof String sub ? sub : (String) body;
        // ${Logical.Id} and ${AWS::Region} are CloudFormation's to fill: any text will do for reading the JSON.
        JsonNode root = new ObjectMapper().readTree(text.replaceAll("\\$\\{[^}]+}", "x"));
        Set<String> names = new TreeSet<>();
        for (JsonNode widget : root.path("widgets")) {
            for (JsonNode metric : widget.path("properties").path("metrics")) {
                if (metric.size() >= 2 && namespace.equals(metric.get(0).asText()) && metric.get(1).isTextual()) {
                    names.add(metric.get(1).asText());
                }
                for (JsonNode part : metric) {
                    Matcher s = SEARCH.matcher(part.path("expression").asText());
                    if (s.find() && s.group(1).equals(namespace)) names.add(s.group(2));
                }
            }
        }
        return names;
    }

    /**
     * The metrics the functions' code emits: every {@code Metric.X} in their main sources, X being a constant of the
     * Metric enum (whatever module it is in: a module added later counts as soon as it is in the repository).
     */
    static Set<String> emittedMetrics() throws IOException {
        Path root = template.repoRoot;
        Set<String> constants = new TreeSet<>();
        Matcher c = Pattern.compile("(?m)^    ([A-Z][A-Za-z0-9]+)\\s*(?:\\(|,|;)").matcher(
                Files.readString(root.resolve(METRIC_SOURCE), StandardCharsets.UTF_8));
        while (c.find()) constants.add(c.group(1));
        assertThat(constants).as("constants of %s", METRIC_SOURCE).isNotEmpty();

        Set<String> used = new TreeSet<>();
        Pattern use = Pattern.compile("\\bMetric\\.([A-Z][A-Za-z0-9]+)\\b");
        try (Stream<Path> files = Files.walk(root.resolve("functions"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> f.toString().contains("/src/main/java/"))
                    .filter(f -> !f.endsWith(METRIC_SOURCE)).toList()) {
                Matcher m = use.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (m.find()) if (constants.contains(m.group(1))) used.add(m.group(1));
            }
        }
        return used;
    }

    @Test
    void theMetricsReaderFindsWhatTheHandlersWrite() throws IOException {
        // The form handler counts accepted forms: if the reader above missed it, the equality above would be empty-handed.
        assertThat(emittedMetrics()).contains("FormsAccepted", "TrackingEvents", "StageMoves", "SqlAlerts");
        assertThat(Objects.requireNonNull(dashboardMetrics("Handoff"))).contains("StageMoves", "SqlAlerts");
    }
}
