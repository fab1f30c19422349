package dev.handoff.deployment;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the code of each function needs from its deployment, kept here by hand and checked against template.yaml.
 * When a handler or an adapter starts calling something new, its row changes with it; a function in the template
 * without a row here fails the tests until it has one.
 */
final class Expectations {
    private Expectations() {}

    /** What a function's code needs, whatever the template calls the function. */
    record Function(
            String handlerClass,
            /* the module whose shaded jar CodeUri must name: functions/<module>/target/<module>.jar */
            String module,
            /* the SAM event type that triggers it */
            String trigger,
            /* environment variables its code reads (Env's constants, and the handler's own), all of which the
               template must set */
            List<String> environment,
            /* the AWS actions its own code calls (SDK calls of the adapters it wires) */
            Set<String> codeActions) {}

    static final String HTTP_API = "HttpApi";
    static final String SQS = "SQS";
    static final String DYNAMODB = "DynamoDB";
    static final String SNS = "SNS";

    private static final String EVENTS = "com.amazonaws.services.lambda.runtime.events.";

    /** What Lambda passes each kind of trigger's function, and what the function must return for it. */
    record Io(String event, String batchResponse) {}

    static final Map<String, Io> TRIGGER_IO = Map.of(
            HTTP_API, new Io(EVENTS + "APIGatewayV2HTTPEvent", EVENTS + "APIGatewayV2HTTPResponse"),
            // With FunctionResponseTypes ReportBatchItemFailures, Lambda reads the failed items from these.
            SQS, new Io(EVENTS + "SQSEvent", EVENTS + "SQSBatchResponse"),
            DYNAMODB, new Io(EVENTS + "DynamodbEvent", EVENTS + "StreamsEventResponse"),
            // SNS invokes asynchronously and ignores what the function returns; a failure is an exception.
            SNS, new Io(EVENTS + "SNSEvent", "java.lang.Void"));

    /*
     * Environment: dev.handoff.aws.Env. Every handler's Lambda constructor calls Env.system() and then
     *   env.require(Env.TABLE_NAME)  - the contacts table
     *   env.policy()                 - POLICY_FILE when set, else the preset named by POLICY (default
     *                                  score-threshold); the template always names the preset with POLICY
     *   env.log()                    - CONTACT_HASH_SECRET_ARN, the secret read once for the contacts' hash
     * and the alerts handler also env.require(Env.ALERTS_TOPIC_ARN) and env.require(Env.EVENT_BUS_NAME).
     * A handler whose variable is its own (the Slack notifier's SLACK_WEBHOOK_SECRET_ARN) declares it as a
     * public static final String named as its value, as Env does, and reads it with env.require(...).
     * EnvironmentIT also reads which of those constants each handler's bytecode names, so a new
     * env.require(...) that is not listed here fails.
     *
     * Actions: IAM authorises each item of a TransactWriteItems as its own action (Put -> dynamodb:PutItem,
     * Update -> dynamodb:UpdateItem, ConditionCheck -> dynamodb:ConditionCheckItem).
     */
    static final List<Function> FUNCTIONS = List.of(
            new Function(
                    "dev.handoff.functions.form.ApiGatewayFormSubmissionHandler",
                    "form-submission",
                    HTTP_API,
                    List.of("TABLE_NAME", "POLICY", "CONTACT_HASH_SECRET_ARN"),
                    // DynamoDbContacts.recordSubmission: TransactWriteItems of Put (submission signal, conditional)
                    // + Update (profile) + Put (visitor link). Write-only.
                    Set.of("dynamodb:PutItem", "dynamodb:UpdateItem", Expectations.HASH_KEY)),
            new Function(
                    "dev.handoff.functions.beacon.ApiGatewayBeaconHandler",
                    "beacon",
                    HTTP_API,
                    List.of("EVENT_BUS_NAME"),
                    // EventBridgeBeacons.put: PutEvents of one entry on the project's bus. Stores nothing.
                    Set.of("events:PutEvents")),
            new Function(
                    "dev.handoff.functions.tracking.SqsTrackingEventHandler",
                    "tracking-events",
                    SQS,
                    List.of("TABLE_NAME", "POLICY", "CONTACT_HASH_SECRET_ARN"),
                    // DynamoDbContacts.recordSignal: one PutItem with attribute_not_exists(pk); DynamoDbVisitorLinks.link
                    // (Segment's or RudderStack's identify): TransactWriteItems of Put (link) + Update (profile).
                    Set.of("dynamodb:PutItem", "dynamodb:UpdateItem", Expectations.HASH_KEY)),
            new Function(
                    "dev.handoff.functions.qualification.DynamoDbStreamQualificationHandler",
                    "qualification",
                    DYNAMODB,
                    List.of("TABLE_NAME", "POLICY", "CONTACT_HASH_SECRET_ARN"),
                    // DynamoDbContacts.load (Query), emailOfVisitor (GetItem), recordMoves (TransactWriteItems:
                    // Update of the profile + Put of the alert outbox item).
                    Set.of("dynamodb:Query", "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:PutItem", Expectations.HASH_KEY)),
            new Function(
                    "dev.handoff.functions.sales.ApiGatewaySalesApiHandler",
                    "sales-api",
                    HTTP_API,
                    List.of("TABLE_NAME", "POLICY", "CONTACT_HASH_SECRET_ARN"),
                    // DynamoDbContacts.load (Query), recordMoves (TransactWriteItems: Update of the profile + Put of
                    // the alert outbox item), recordSignal (PutItem), recordProperties (UpdateItem), erase (Query,
                    // then BatchWriteItem of DeleteRequests), deals (Query). DynamoDbOwners (Query of the routing
                    // partition, UpdateItem of an owner), DynamoDbHubSpotLedger.latest (Query). No index.
                    Set.of("dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem",
                            Expectations.HASH_KEY)),
            new Function(
                    "dev.handoff.functions.alerts.DynamoDbStreamAlertHandler",
                    "alerts",
                    DYNAMODB,
                    List.of("TABLE_NAME", "POLICY", "ALERTS_TOPIC_ARN", "EVENT_BUS_NAME", "CONTACT_HASH_SECRET_ARN"),
                    Set.of(
                            // DynamoDbContacts.progress (GetItem), createDeal (TransactWriteItems: Put of the deal +
                            // Update of the alert), markEventPut / markPublished (UpdateItem)
                            "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                            // OwnerRouting: DynamoDbContacts.load (Query), DynamoDbOwnerRotation (GetItem of the alert,
                            // Query of the routing partition, TransactWriteItems: Update of the alert + Put of the
                            // pool + ConditionCheck of the owner)
                            "dynamodb:Query", "dynamodb:ConditionCheckItem",
                            // SnsAlerts.publish (Publish) to a topic encrypted with a customer-managed key, which
                            // needs the publisher to be allowed these two on the key
                            "sns:Publish", "kms:GenerateDataKey", "kms:Decrypt",
                            // EventBridgeQualificationEvents.put (PutEvents)
                            "events:PutEvents",
                            Expectations.HASH_KEY)),
            new Function(
                    "dev.handoff.functions.hubspot.SqsHubSpotSyncHandler",
                    "hubspot-sync",
                    SQS,
                    List.of("TABLE_NAME", "POLICY", "HUBSPOT_TOKEN_SECRET_ARN", "HUBSPOT_PIPELINE", "HUBSPOT_DEAL_STAGE",
                            "HUBSPOT_DEAD_LETTER_QUEUE_URL", "CONTACT_HASH_SECRET_ARN"),
                    // DynamoDbHubSpotLedger: progress (GetItem), lease and records (UpdateItem);
                    // SecretsManagerHubSpotToken (GetSecretValue, AWS managed key); a refusal to the DLQ (SendMessage).
                    Set.of("dynamodb:GetItem", "dynamodb:UpdateItem", "secretsmanager:GetSecretValue", "sqs:SendMessage")),
            new Function(
                    "dev.handoff.functions.slack.SnsSlackNotifierHandler",
                    "slack-notifier",
                    SNS,
                    List.of("SLACK_WEBHOOK_SECRET_ARN", "CONTACT_HASH_SECRET_ARN"),
                    // SecretsManagerWebhookUrl: GetSecretValue of the webhook secret (AWS managed key: no kms
                    // action). The alerts topic's key is SNS's business: it decrypts before delivering.
                    Set.of("secretsmanager:GetSecretValue")));

    /** Env.contactHash: every function reads its contact-hash key from Secrets Manager once, at init. */
    static final String HASH_KEY = "secretsmanager:GetSecretValue";

    /** Active tracing: Lambda sends the segments with the function's role (X-Ray has no resource-level grants). */
    static final Set<String> TRACING_ACTIONS = Set.of("xray:PutTraceSegments", "xray:PutTelemetryRecords");

    /** What every function's role needs to write its logs to its own log group. */
    static final Set<String> LOG_ACTIONS = Set.of("logs:CreateLogStream", "logs:PutLogEvents");

    /** What Lambda's event source mapping does with the function's role, per trigger (none for HttpApi). */
    static final Map<String, Set<String>> TRIGGER_ACTIONS = Map.of(
            HTTP_API, Set.of(),
            SQS, Set.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
            DYNAMODB, Set.of("dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
                    "dynamodb:ListStreams"),
            // SNS invokes the function under its resource policy (the Lambda permission), not with its role.
            SNS, Set.of());

    /** A stream mapping's (or an asynchronous invocation's) OnFailure destination is written with the function's role too. */
    static final Map<String, String> ON_FAILURE_ACTION = Map.of(
            "AWS::SQS::Queue", "sqs:SendMessage",
            "AWS::SNS::Topic", "sns:Publish");

    /** Variables a function may set besides Env's own (read by the JVM or the runtime, not by our code). */
    static final Set<String> RUNTIME_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");

    static Function forHandler(String handlerClass) {
        return FUNCTIONS.stream()
                .filter(f -> f.handlerClass().equals(handlerClass))
                .findFirst()
                .orElseThrow(() -> new AssertionError("template.yaml deploys " + handlerClass
                        + ", which has no row in Expectations.FUNCTIONS: add what its code needs"));
    }
}
