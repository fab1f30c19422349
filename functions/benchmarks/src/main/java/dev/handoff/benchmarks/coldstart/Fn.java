package dev.handoff.benchmarks.coldstart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * A function under test, as template.yaml deploys it: its shaded jar, handler, environment and memory size, the
 * sample event from events/, and how one invocation's event differs from the next.
 *
 * <p>Every invocation gets an event of its own ({@link #event(String)} with a key {@code v}), so the tenth does the
 * same work as the first instead of finding a duplicate: a new contact for the form and the tracking batch (new
 * idempotency key, event ids and visitor id), a new contact to qualify (seeded with the sample form and tracking
 * batch beforehand), a new alert in the outbox (seeded as the sample's NewImage). The Slack notifier posts the
 * sample message every time.
 */
final class Fn {
    /** What the samples are about; each invocation's contact is {@code ana.<v>@acme.com}. */
    static final String SAMPLE_EMAIL = "ana@acme.com";
    static final String SAMPLE_ALERT_ID = "2abbea5c-26b7-3455-8113-736c37a07bf7";

    enum Seed { NONE, CONTACTS, ALERTS }

    final String name;
    final String handler;
    final int memoryMb;
    /** Prefix of the contacts its invocations are about; functions that read the same seeded contacts share it. */
    final String family;
    final Seed seed;
    final String expectedOutcome;
    /** The pieces of its init that the breakdown runs time one by one, in the handler's own order. */
    final List<String> initSteps;
    final List<String> envNames;
    final String sample;
    private final BiFunction<String, String, String> variant;
    private final String template;

    private Fn(String name, String handler, int memoryMb, String family, Seed seed, String expectedOutcome,
               List<String> initSteps, List<String> envNames, String sample, String template,
               BiFunction<String, String, String> variant) {
        this.name = name;
        this.handler = handler;
        this.memoryMb = memoryMb;
        this.family = family;
        this.seed = seed;
        this.expectedOutcome = expectedOutcome;
        this.initSteps = initSteps;
        this.envNames = envNames;
        this.sample = sample;
        this.template = template;
        this.variant = variant;
    }

    Path jar(Path root) {
        return root.resolve("functions").resolve(name).resolve("target").resolve(name + ".jar");
    }

    /** The event of the invocation keyed {@code v}. */
    String event(String v) {
        return variant.apply(template, v);
    }

    static String email(String v) {
        return "ana." + v + "@acme.com";
    }

    static String alertId(String v) {
        return UUID.nameUUIDFromBytes(("cold-start|" + v).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The sample form (events/form-submission-json.json) as a new contact. */
    static String form(String template, String v) {
        return template.replace(SAMPLE_EMAIL, email(v))
                .replace("\"sub-0001\"", "\"sub-" + v + "\"")
                .replace("v-7f3a9c", "v-" + v);
    }

    /** The sample tracking batch (nine events) for the same contact and visitor as {@link #form}. */
    static String tracking(String template, String v) {
        return template.replace(SAMPLE_EMAIL, email(v))
                .replace("v-7f3a9c", "v-" + v)
                .replace("evt-000", "evt-" + v + "-000")
                .replace("msg-000", "msg-" + v + "-000");
    }

    static List<Fn> catalogue(Path root) {
        Path events = root.resolve("events");
        List<Fn> all = new ArrayList<>();
        List<String> tableAndPolicy = List.of("TABLE_NAME", "POLICY");
        all.add(new Fn("form-submission", "dev.handoff.functions.form.ApiGatewayFormSubmissionHandler", 1024, "f",
                Seed.NONE, "status 202", List.of("policy", "jackson-jr", "dynamodb"), tableAndPolicy,
                "events/form-submission-json.json", read(events.resolve("form-submission-json.json")), Fn::form));
        all.add(new Fn("tracking-events", "dev.handoff.functions.tracking.SqsTrackingEventHandler", 1024, "t",
                Seed.NONE, "failures 0", List.of("policy", "jackson-jr", "dynamodb"), tableAndPolicy,
                "events/tracking-events-sqs-batch.json (9 messages)",
                read(events.resolve("tracking-events-sqs-batch.json")), Fn::tracking));
        all.add(new Fn("qualification", "dev.handoff.functions.qualification.DynamoDbStreamQualificationHandler", 1024,
                "q", Seed.CONTACTS, "failures 0", List.of("policy", "jackson-jr", "dynamodb"), tableAndPolicy,
                "events/qualification-stream-batch.json (contact seeded with the sample form + tracking batch)",
                read(events.resolve("qualification-stream-batch.json")),
                (t, v) -> t.replace(SAMPLE_EMAIL, email(v)).replace("evt-0004", "evt-" + v + "-0004")));
        all.add(new Fn("alerts", "dev.handoff.functions.alerts.DynamoDbStreamAlertHandler", 1024, "a",
                Seed.ALERTS, "failures 0", List.of("policy", "jackson-jr", "dynamodb", "sns", "eventbridge"),
                List.of("TABLE_NAME", "POLICY", "ALERTS_TOPIC_ARN", "EVENT_BUS_NAME"),
                "events/alert-stream-batch.json (alert item seeded from its NewImage)",
                read(events.resolve("alert-stream-batch.json")),
                (t, v) -> t.replace(SAMPLE_EMAIL, email(v)).replace(SAMPLE_ALERT_ID, alertId(v))));
        all.add(new Fn("slack-notifier", "dev.handoff.functions.slack.SnsSlackNotifierHandler", 1024, "s",
                Seed.NONE, "ok", List.of("jackson-jr", "secretsmanager", "java-http"),
                List.of("SLACK_WEBHOOK_SECRET_ARN"), "events/slack-notifier-sns-event.json",
                read(events.resolve("slack-notifier-sns-event.json")), (t, v) -> t));
        // No sample in events/ for the sales API: GET /contacts/{email} (its read path) of a qualified contact,
        // as an HTTP API v2 event shaped like the form sample.
        all.add(new Fn("sales-api", "dev.handoff.functions.sales.ApiGatewaySalesApiHandler", 2048, "q",
                Seed.CONTACTS, "status 200", List.of("policy", "jackson-jr", "dynamodb"), tableAndPolicy,
                "GET /contacts/{email} (made here: events/ has no sales API sample; a seeded contact)",
                salesGetTemplate(), (t, v) -> t.replace("{{email}}", email(v).replace("@", "%40"))));
        return all;
    }

    private static String salesGetTemplate() {
        return """
                {
                  "version": "2.0",
                  "routeKey": "GET /contacts/{email}",
                  "rawPath": "/contacts/{{email}}",
                  "rawQueryString": "",
                  "headers": {"accept": "application/json", "user-agent": "curl/8.5.0"},
                  "pathParameters": {"email": "{{email}}"},
                  "requestContext": {
                    "accountId": "123456789012", "apiId": "api1234",
                    "domainName": "api1234.execute-api.us-east-1.amazonaws.com",
                    "http": {"method": "GET", "path": "/contacts/{{email}}", "protocol": "HTTP/1.1",
                             "sourceIp": "198.51.100.7", "userAgent": "curl/8.5.0"},
                    "requestId": "req-1", "routeKey": "GET /contacts/{email}", "stage": "$default",
                    "timeEpoch": 1795340400000
                  },
                  "isBase64Encoded": false
                }
                """;
    }

    /** The function's environment variables, as template.yaml sets them, for these engines. */
    Map<String, String> env(Engines engines) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String n : envNames) {
            env.put(n, switch (n) {
                case "TABLE_NAME" -> engines.table();
                case "POLICY" -> "score-threshold";
                case "ALERTS_TOPIC_ARN" -> engines.topicArn();
                case "EVENT_BUS_NAME" -> engines.busName();
                case "SLACK_WEBHOOK_SECRET_ARN" -> engines.secretArn();
                default -> throw new IllegalStateException(n);
            });
        }
        env.put("AWS_LAMBDA_FUNCTION_NAME", "handoff-" + name);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(memoryMb));
        return env;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sample event " + p, e);
        }
    }
}
