package dev.handoff.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rest of what issue 4 asks of the template that a mistake could silently undo: the runtime settings, the
 * queue and stream delivery settings, the table as the code defines it, the alarms and the outputs.
 */
class WiringIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTACT_TABLE = "dev.handoff.aws.ContactTable";

    /**
     * The stream records each stream handler acts on, as ContactTable constants: "prefix:NAME" is a key beginning
     * with that constant, "equals:NAME" a key equal to it; "inserted-" only when the item is new, "modified-" only
     * when it changed (a requalify request), else either. Mirrors the handlers' own checks (isLogKey,
     * isVisitorLinkKey, isAlertKey), so the FilterCriteria lets through exactly what the code would not skip.
     */
    private static final Map<String, Set<String>> STREAM_RECORDS = Map.of(
            "dev.handoff.functions.qualification.DynamoDbStreamQualificationHandler",
            Set.of("inserted-prefix:CONTACT_LOG_PREFIX", "inserted-prefix:VISITOR_LOG_PREFIX", "equals:LINK", "modified-equals:PROFILE"),
            "dev.handoff.functions.alerts.DynamoDbStreamAlertHandler", Set.of("inserted-prefix:ALERT_PREFIX"));

    /** The sales API's routes (PRODUCT §2.3), as "METHOD path". */
    private static final Set<String> SALES_ROUTES = Set.of(
            "GET /contacts/{email}",
            "PUT /contacts/{email}/stage",
            "POST /contacts/{email}/sales-acceptance",
            "POST /contacts/{email}/activities",
            "POST /imports",
            "GET /owners",
            "PUT /owners/{id}",
            "DELETE /contacts/{email}");

    private static final String FORM_ROUTE = "POST /forms/{formId}/submissions";
    private static final Set<String> PUBLIC_ROUTES = Set.of(FORM_ROUTE, "POST /t", "GET /handoff.js");

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
    void java21WithSnapStartOnTheAliasEveryTriggerUses(String id) {
        Map<String, Object> props = template.functionProperties(id);
        assertThat(props.get("Runtime")).as("%s Runtime", id).isEqualTo("java21");
        assertThat(SamTemplate.strings(props.get("Architectures"))).as("%s Architectures", id)
                .hasSize(1).first().isIn("arm64", "x86_64");
        assertThat(props.get("SnapStart")).as("%s SnapStart", id).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
        assertThat(props.get("AutoPublishAlias")).as("%s AutoPublishAlias", id).isInstanceOf(String.class);
        assertThat(props).as(id).containsKeys("MemorySize", "Timeout");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void logsGoToItsOwnLogGroupKeptForTheRetentionParameter(String id) {
        Object logGroup = SamTemplate.map(template.functionProperties(id).get("LoggingConfig"), id).get("LogGroup");
        String groupId = SamTemplate.target(logGroup);
        assertThat(template.type(groupId)).isEqualTo("AWS::Logs::LogGroup");
        assertThat(template.properties(groupId).get("RetentionInDays")).isEqualTo(Map.of("Ref", "LogRetentionDays"));
    }

    @Test
    void everyLogGroupHasTheRetentionParameter() {
        for (String id : template.ofType("AWS::Logs::LogGroup")) {
            assertThat(template.properties(id).get("RetentionInDays")).as(id).isEqualTo(Map.of("Ref", "LogRetentionDays"));
        }
    }

    @Test
    void theFormRouteIsPublicThrottledAndCorsComesFromAParameterWithoutWildcard() {
        String function = functionOf("dev.handoff.functions.form.ApiGatewayFormSubmissionHandler");
        Map<String, Object> event = SamTemplate.map(template.events(function).values().iterator().next().get("Properties"), "");
        assertThat(event).containsEntry("Method", "POST").containsEntry("Path", "/forms/{formId}/submissions")
                .containsEntry("PayloadFormatVersion", "2.0");
        String api = SamTemplate.target(event.get("ApiId"));
        Map<String, Object> apiProps = template.properties(api);

        // Every other route (the sales API) defaults to IAM; this one opts out.
        Map<String, Object> auth = SamTemplate.map(apiProps.get("Auth"), api + " Auth");
        assertThat(auth).containsEntry("EnableIamAuthorizer", true).containsEntry("DefaultAuthorizer", "AWS_IAM");
        assertThat(event.get("Auth")).isEqualTo(Map.of("Authorizer", "NONE"));

        Map<String, Object> throttling = SamTemplate.map(apiProps.get("DefaultRouteSettings"), api);
        assertThat(throttling).containsEntry("ThrottlingBurstLimit", Map.of("Ref", "ThrottleBurst"))
                .containsEntry("ThrottlingRateLimit", Map.of("Ref", "ThrottleRate"));

        // The beacon has a budget of its own, from parameters.
        Map<String, Object> routes = SamTemplate.map(apiProps.get("RouteSettings"), api + " RouteSettings");
        assertThat(SamTemplate.map(routes.get("POST /t"), "POST /t"))
                .containsEntry("ThrottlingBurstLimit", Map.of("Ref", "BeaconThrottleBurst"))
                .containsEntry("ThrottlingRateLimit", Map.of("Ref", "BeaconThrottleRate"));

        Map<String, Object> cors = SamTemplate.map(apiProps.get("CorsConfiguration"), api + " CorsConfiguration");
        assertThat(cors.get("AllowOrigins")).isEqualTo(Map.of("Ref", "AllowedOrigins"));
        assertThat(SamTemplate.strings(cors.get("AllowMethods"))).contains("POST");
        assertThat(SamTemplate.strings(cors.get("AllowHeaders"))).contains("content-type");
        Map<String, Object> origins = SamTemplate.map(template.parameters().get("AllowedOrigins"), "AllowedOrigins");
        assertThat(String.valueOf(origins.get("Default"))).doesNotContain("*");
    }

    @Test
    void everySalesRouteIsIamAuthorisedAndOnlyTheBrowserRoutesArePublic() {
        String form = functionOf("dev.handoff.functions.form.ApiGatewayFormSubmissionHandler");
        String sales = functionOf("dev.handoff.functions.sales.ApiGatewaySalesApiHandler");

        // Every route of the template, wherever declared, with the authoriser it names itself.
        Map<String, Object> authByRoute = new TreeMap<>();
        Map<String, String> functionByRoute = new TreeMap<>();
        Set<String> apis = new TreeSet<>();
        for (String function : template.ofType(SamTemplate.FUNCTION)) {
            for (Map.Entry<String, Map<String, Object>> e : template.events(function).entrySet()) {
                if (!Expectations.HTTP_API.equals(e.getValue().get("Type"))) continue;
                Map<String, Object> p = SamTemplate.map(e.getValue().get("Properties"), function + " " + e.getKey());
                String route = p.get("Method") + " " + p.get("Path");
                assertThat(functionByRoute.put(route, function)).as("%s is declared once", route).isNull();
                authByRoute.put(route, p.get("Auth"));
                apis.add(SamTemplate.target(p.get("ApiId")));
                assertThat(p).as("%s %s", function, route).containsEntry("PayloadFormatVersion", "2.0");
            }
        }
        assertThat(apis).as("every route is on the one HTTP API").hasSize(1);
        String api = apis.iterator().next();
        assertThat(template.type(api)).isEqualTo("AWS::Serverless::HttpApi");
        // No OpenAPI body of its own: every route of the API is one of the events above.
        assertThat(template.properties(api)).doesNotContainKeys("DefinitionBody", "DefinitionUri");
        Map<String, Object> auth = SamTemplate.map(template.properties(api).get("Auth"), api + " Auth");
        assertThat(auth).containsEntry("EnableIamAuthorizer", true).containsEntry("DefaultAuthorizer", "AWS_IAM");

        // The sales function serves exactly the sales routes, each naming AWS_IAM itself (not only by default).
        Set<String> salesRoutes = new TreeSet<>();
        functionByRoute.forEach((route, function) -> {
            if (function.equals(sales)) salesRoutes.add(route);
        });
        assertThat(salesRoutes).as("%s routes", sales).containsExactlyInAnyOrderElementsOf(SALES_ROUTES);
        for (String route : SALES_ROUTES) {
            assertThat(authByRoute.get(route)).as("%s Auth", route).isEqualTo(Map.of("Authorizer", "AWS_IAM"));
        }

        // The browser's routes (the form, the beacon and its snippet) are the public ones; any other route names
        // AWS_IAM too.
        String beacon = functionOf("dev.handoff.functions.beacon.ApiGatewayBeaconHandler");
        assertThat(functionByRoute).containsEntry(FORM_ROUTE, form)
                .containsEntry("POST /t", beacon).containsEntry("GET /handoff.js", beacon);
        for (String route : PUBLIC_ROUTES) {
            assertThat(authByRoute.get(route)).as("%s Auth", route).isEqualTo(Map.of("Authorizer", "NONE"));
        }
        authByRoute.forEach((route, routeAuth) -> {
            if (!PUBLIC_ROUTES.contains(route)) {
                assertThat(routeAuth).as("%s Auth", route).isEqualTo(Map.of("Authorizer", "AWS_IAM"));
            }
        });
    }

    @Test
    void trackingEventsFlowFromTheBusThroughAQueueWithADeadLetterQueue() {
        String function = functionOf("dev.handoff.functions.tracking.SqsTrackingEventHandler");
        Map<String, Object> event = SamTemplate.map(template.events(function).values().iterator().next().get("Properties"), "");
        assertThat(event).containsKeys("BatchSize", "MaximumBatchingWindowInSeconds");
        assertThat(SamTemplate.strings(event.get("FunctionResponseTypes"))).contains("ReportBatchItemFailures");

        String queue = SamTemplate.target(event.get("Queue"));
        Map<String, Object> queueProps = template.properties(queue);
        int timeout = ((Number) template.functionProperties(function).get("Timeout")).intValue();
        int window = ((Number) event.get("MaximumBatchingWindowInSeconds")).intValue();
        assertThat(((Number) queueProps.get("VisibilityTimeout")).intValue()).as("visibility >= 6 x timeout + window")
                .isGreaterThanOrEqualTo(6 * timeout + window);
        Map<String, Object> redrive = SamTemplate.map(queueProps.get("RedrivePolicy"), queue + " RedrivePolicy");
        assertThat(((Number) redrive.get("maxReceiveCount")).intValue()).isGreaterThanOrEqualTo(5);
        String dlq = SamTemplate.target(redrive.get("deadLetterTargetArn"));
        assertThat(template.type(dlq)).isEqualTo("AWS::SQS::Queue");

        // A rule on the project's bus for source handoff.tracking targets the queue, as do the rules of the tools of
        // PRODUCT §2.5 (Segment, RudderStack, SES), each on the bus its tool publishes to...
        Set<String> rules = new TreeSet<>();
        String rule = null;
        for (String id : template.ofType("AWS::Events::Rule")) {
            Map<String, Object> p = template.properties(id);
            boolean targetsQueue = SamTemplate.values(p.get("Targets")).stream()
                    .anyMatch(t -> queue.equals(SamTemplate.target(SamTemplate.map(t, id).get("Arn"))));
            if (!targetsQueue) continue;
            rules.add(id);
            if (List.of("handoff.tracking").equals(SamTemplate.map(p.get("EventPattern"), id).get("source"))) rule = id;
        }
        assertThat(rule).as("a rule for handoff.tracking that targets %s", queue).isNotNull();
        Map<String, Object> ruleProps = template.properties(rule);
        assertThat(template.type(SamTemplate.target(ruleProps.get("EventBusName")))).isEqualTo("AWS::Events::EventBus");
        assertThat(rules).contains("SegmentRule", "RudderStackRule", "SesRule");
        assertThat(SamTemplate.map(template.properties("SesRule").get("EventPattern"), "SesRule").get("source"))
                .isEqualTo(List.of("aws.ses"));

        // ...and the queue's policy lets those rules, and only them, send.
        boolean allowed = false;
        for (String id : template.ofType("AWS::SQS::QueuePolicy")) {
            Map<String, Object> p = template.properties(id);
            if (SamTemplate.values(p.get("Queues")).stream().noneMatch(q -> queue.equals(SamTemplate.target(q)))) continue;
            for (Object s : SamTemplate.values(SamTemplate.map(p.get("PolicyDocument"), id).get("Statement"))) {
                Map<String, Object> st = SamTemplate.map(s, id);
                if (!SamTemplate.strings(st.get("Action")).contains("sqs:SendMessage")) continue;
                assertThat(st.get("Principal")).isEqualTo(Map.of("Service", "events.amazonaws.com"));
                assertThat(SamTemplate.references(st.get("Condition"))).containsExactlyInAnyOrderElementsOf(rules);
                allowed = true;
            }
        }
        assertThat(allowed).as("a queue policy lets %s send to %s", rules, queue).isTrue();
    }

    @Test
    void streamMappingsFilterRetryBisectAndReportFailures() throws Exception {
        for (Map.Entry<String, Set<String>> entry : STREAM_RECORDS.entrySet()) {
            String function = functionOf(entry.getKey());
            Map<String, String> keys;
            try (FunctionJar jar = template.jar(function)) {
                keys = jar.stringConstants(CONTACT_TABLE);
            }
            for (Map<String, Object> event : template.events(function).values()) {
                Map<String, Object> p = SamTemplate.map(event.get("Properties"), function);
                assertThat(SamTemplate.attribute(p.get("Stream"))).isEqualTo("StreamArn");
                assertThat(p).containsEntry("BisectBatchOnFunctionError", true).containsKey("MaximumRetryAttempts");
                assertThat(SamTemplate.strings(p.get("FunctionResponseTypes"))).contains("ReportBatchItemFailures");
                String destination = PermissionsIT.onFailureDestinations(template, function).get(0);
                assertThat(template.type(destination)).isEqualTo("AWS::SQS::Queue");

                Set<String> matched = new TreeSet<>();
                Map<String, Object> filters = SamTemplate.map(p.get("FilterCriteria"), function + " FilterCriteria");
                for (Object f : SamTemplate.values(filters.get("Filters"))) {
                    JsonNode pattern = JSON.readTree((String) SamTemplate.map(f, "filter").get("Pattern"));
                    String eventName = pattern.path("eventName").toString();
                    String kind = switch (eventName) {
                        case "[\"INSERT\"]" -> "inserted-";
                        case "[\"INSERT\",\"MODIFY\"]" -> "";
                        case "[\"MODIFY\"]" -> {
                            // Only a requalify request: a profile change whose new image carries the run id.
                            assertThat(pattern.path("dynamodb").path("NewImage").path(keys.get("REQUALIFY")).path("S").toString())
                                    .as(function).isEqualTo("[{\"exists\":true}]");
                            yield "modified-";
                        }
                        default -> throw new AssertionError(function + ": a filter on " + eventName);
                    };
                    for (JsonNode m : pattern.path("dynamodb").path("Keys").path(keys.get("SK")).path("S")) {
                        matched.add(kind + (m.isTextual() ? "equals:" + m.asText() : "prefix:" + m.path("prefix").asText()));
                    }
                }
                Set<String> wanted = new TreeSet<>();
                for (String spec : entry.getValue()) {
                    String[] kv = spec.split(":");
                    wanted.add(kv[0] + ":" + keys.get(kv[1]));
                }
                assertThat(matched).as("%s stream records let through", function).isEqualTo(wanted);
            }
        }
    }

    @Test
    void theTableIsTheOneContactTableDefines() throws Exception {
        List<String> tables = template.ofType("AWS::DynamoDB::Table");
        assertThat(tables).hasSize(1);
        Map<String, Object> p = template.properties(tables.get(0));
        String function = template.ofType(SamTemplate.FUNCTION).get(0);
        try (FunctionJar jar = template.jar(function)) {
            Class<?> contactTable = jar.load(CONTACT_TABLE);
            Object request = contactTable.getMethod("createTableRequest", String.class).invoke(null, "t");

            Set<String> keySchema = new HashSet<>();
            for (Object k : (List<?>) call(request, "keySchema")) {
                keySchema.add(call(k, "attributeName") + ":" + call(k, "keyTypeAsString"));
            }
            Set<String> templateKeys = new HashSet<>();
            for (Object k : SamTemplate.values(p.get("KeySchema"))) {
                Map<String, Object> m = SamTemplate.map(k, "KeySchema");
                templateKeys.add(m.get("AttributeName") + ":" + m.get("KeyType"));
            }
            assertThat(templateKeys).isEqualTo(keySchema);

            Set<String> attributes = new HashSet<>();
            for (Object a : (List<?>) call(request, "attributeDefinitions")) {
                attributes.add(call(a, "attributeName") + ":" + call(a, "attributeTypeAsString"));
            }
            Set<String> templateAttributes = new HashSet<>();
            for (Object a : SamTemplate.values(p.get("AttributeDefinitions"))) {
                Map<String, Object> m = SamTemplate.map(a, "AttributeDefinitions");
                templateAttributes.add(m.get("AttributeName") + ":" + m.get("AttributeType"));
            }
            assertThat(templateAttributes).isEqualTo(attributes);

            assertThat(p.get("BillingMode")).isEqualTo(call(request, "billingModeAsString"));
            assertThat(SamTemplate.map(p.get("StreamSpecification"), "StreamSpecification").get("StreamViewType"))
                    .isEqualTo(call(call(request, "streamSpecification"), "streamViewTypeAsString"));
            assertThat(p.get("TimeToLiveSpecification")).isEqualTo(
                    Map.of("AttributeName", contactTable.getField("TTL").get(null), "Enabled", true));
        }
        assertThat(p.get("PointInTimeRecoverySpecification")).isEqualTo(Map.of("PointInTimeRecoveryEnabled", true));
        assertThat(SamTemplate.map(p.get("SSESpecification"), "SSESpecification")).containsEntry("SSEEnabled", true);
    }

    @Test
    void theAlertsTopicIsEncryptedWithARotatedCustomerKeyAndTheEmailIsOptional() {
        List<String> topics = alertTopics();
        assertThat(topics).hasSize(1);
        String key = SamTemplate.target(template.properties(topics.get(0)).get("KmsMasterKeyId"));
        assertThat(template.type(key)).isEqualTo("AWS::KMS::Key");
        assertThat(template.properties(key)).containsEntry("EnableKeyRotation", true);
        for (String sub : template.ofType("AWS::SNS::Subscription")) {
            Map<String, Object> p = template.properties(sub);
            if ("email".equals(p.get("Protocol")) && topics.contains(SamTemplate.target(p.get("TopicArn")))) {
                assertThat(p.get("Endpoint")).isEqualTo(Map.of("Ref", "AlertEmail"));
                assertThat(template.resource(sub)).as("only when AlertEmail is given").containsKey("Condition");
            }
        }
    }

    @Test
    void theSlackNotifierIsSubscribedToTheAlertsTopicOnlyWhenItsWebhookSecretIsGiven() {
        String function = functionOf("dev.handoff.functions.slack.SnsSlackNotifierHandler");

        // Optional, like AlertEmail: an empty parameter deploys no function, role, log group, alarm or subscription.
        Map<String, Object> parameter = SamTemplate.map(template.parameters().get("SlackWebhookSecretArn"), "parameter");
        assertThat(parameter).containsEntry("Type", "String").containsEntry("Default", "");
        String pattern = (String) parameter.get("AllowedPattern");
        assertThat("").matches(pattern);
        assertThat("arn:aws:secretsmanager:eu-west-1:123456789012:secret:handoff/slack-webhook-AbC123").matches(pattern);
        // IAM matches a secret's ARN with its random suffix: a name or a partial ARN would match nothing.
        assertThat("arn:aws:secretsmanager:eu-west-1:123456789012:secret:handoff/slack-webhook").doesNotMatch(pattern);
        assertThat("handoff/slack-webhook").doesNotMatch(pattern);

        String condition = (String) template.resource(function).get("Condition");
        assertThat(condition).as("%s Condition", function).isNotNull();
        assertThat(SamTemplate.map(template.root.get("Conditions"), "Conditions").get(condition)).isEqualTo(
                Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "SlackWebhookSecretArn"), "")))));
        Map<String, Object> props = template.functionProperties(function);
        Set<String> own = new TreeSet<>(List.of(
                SamTemplate.target(props.get("Role")),
                SamTemplate.target(SamTemplate.map(props.get("LoggingConfig"), function).get("LogGroup"))));
        for (String alarm : template.ofType("AWS::CloudWatch::Alarm")) {
            if (SamTemplate.references(template.properties(alarm).get("Dimensions")).contains(function)) own.add(alarm);
        }
        assertThat(own).hasSize(3);
        for (String id : own) {
            assertThat(template.resource(id).get("Condition")).as("%s Condition", id).isEqualTo(condition);
        }

        // Every alert, from the one (encrypted) alerts topic; SAM subscribes the alias and lets SNS invoke it.
        Map<String, Map<String, Object>> events = template.events(function);
        assertThat(events).hasSize(1);
        Map<String, Object> event = SamTemplate.map(events.values().iterator().next().get("Properties"), function);
        String topic = SamTemplate.target(event.get("Topic"));
        assertThat(alertTopics()).containsExactly(topic);
        assertThat(event).doesNotContainKeys("FilterPolicy", "FilterPolicyScope", "SqsSubscription");
        assertThat(props.get("AutoPublishAlias")).isEqualTo("live");
    }

    @Test
    void snsCanUseTheAlertsKeyToDeliverToTheSlackNotifier() {
        String topic = template.ofType("AWS::SNS::Topic").get(0);
        String key = SamTemplate.target(template.properties(topic).get("KmsMasterKeyId"));
        Map<String, Object> policy = SamTemplate.map(template.properties(key).get("KeyPolicy"), key + " KeyPolicy");
        boolean snsUsesTheKey = SamTemplate.values(policy.get("Statement")).stream()
                .map(st -> SamTemplate.map(st, key))
                .anyMatch(st -> "Allow".equals(st.get("Effect"))
                        && Map.of("Service", "sns.amazonaws.com").equals(st.get("Principal"))
                        && SamTemplate.strings(st.get("Action")).containsAll(List.of("kms:GenerateDataKey", "kms:Decrypt")));
        assertThat(snsUsesTheKey).as("%s lets sns.amazonaws.com GenerateDataKey and Decrypt", key).isTrue();
    }

    @Test
    void everyDeadLetterAndOnFailureQueueAndEveryFunctionHasAnAlarm() {
        Set<String> queues = new TreeSet<>();
        for (String q : template.ofType("AWS::SQS::Queue")) {
            Object redrive = template.properties(q).get("RedrivePolicy");
            if (redrive != null) queues.add(SamTemplate.target(SamTemplate.map(redrive, q).get("deadLetterTargetArn")));
        }
        for (String f : template.ofType(SamTemplate.FUNCTION)) queues.addAll(PermissionsIT.onFailureDestinations(template, f));
        assertThat(queues).hasSizeGreaterThanOrEqualTo(3);

        Set<String> alarmedQueues = new TreeSet<>();
        Set<String> alarmedFunctions = new TreeSet<>();
        for (String alarm : template.ofType("AWS::CloudWatch::Alarm")) {
            Map<String, Object> p = template.properties(alarm);
            for (Object d : SamTemplate.values(p.get("Dimensions"))) {
                Map<String, Object> dim = SamTemplate.map(d, alarm);
                if ("AWS/SQS".equals(p.get("Namespace")) && "QueueName".equals(dim.get("Name"))
                        && "ApproximateNumberOfMessagesVisible".equals(p.get("MetricName"))) {
                    alarmedQueues.add(SamTemplate.target(dim.get("Value")));
                }
                if ("AWS/Lambda".equals(p.get("Namespace")) && "FunctionName".equals(dim.get("Name"))
                        && "Errors".equals(p.get("MetricName"))) {
                    alarmedFunctions.add(SamTemplate.target(dim.get("Value")));
                }
            }
        }
        assertThat(alarmedQueues).containsAll(queues);
        assertThat(alarmedFunctions).containsExactlyInAnyOrderElementsOf(template.ofType(SamTemplate.FUNCTION));
    }

    @Test
    void outputsAndParameters() {
        assertThat(SamTemplate.map(template.root.get("Outputs"), "Outputs"))
                .containsKeys("ApiUrl", "SalesApiUrl", "AlertsTopicArn", "EventBusName", "TableName");
        assertThat(template.parameters())
                .containsKeys("Policy", "AlertEmail", "AllowedOrigins", "ThrottleBurst", "ThrottleRate", "LogRetentionDays",
                        "SlackWebhookSecretArn");
    }

    private static String functionOf(String handlerClass) {
        List<String> ids = new ArrayList<>();
        for (String id : template.ofType(SamTemplate.FUNCTION)) {
            if (template.handler(id)[0].equals(handlerClass)) ids.add(id);
        }
        assertThat(ids).as("functions with handler %s", handlerClass).hasSize(1);
        return ids.get(0);
    }

    private static Object call(Object target, String method) throws ReflectiveOperationException {
        return target.getClass().getMethod(method).invoke(target);
    }

    /** The SNS topics other than the operations topic (the one the alarms notify, OperationsIT). */
    static List<String> alertTopics() {
        Set<String> ops = new TreeSet<>();
        for (String alarm : template.ofType("AWS::CloudWatch::Alarm")) {
            for (Object t : SamTemplate.values(template.properties(alarm).get("AlarmActions"))) ops.add(SamTemplate.target(t));
        }
        List<String> topics = new java.util.ArrayList<>(template.ofType("AWS::SNS::Topic"));
        topics.removeAll(ops);
        return topics;
    }
}
