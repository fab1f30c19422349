package dev.handoff.functions.slack;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import dev.handoff.aws.AlertJson;
import dev.handoff.aws.Clients;
import dev.handoff.aws.Env;
import dev.handoff.aws.Log;
import dev.handoff.aws.Priming;
import dev.handoff.core.app.SqlAlert;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Posts each SQL alert of the alerts topic to Slack (PRODUCT §3): SNS hands a Lambda subscriber the message's
 * {@code default} member (the alert JSON, {@link AlertJson}); it becomes a Block Kit message ({@link SlackMessage})
 * with the contact's text escaped, posted to the incoming webhook whose URL is in Secrets Manager
 * ({@link SecretsManagerWebhookUrl}) with retries on 429 and 5xx ({@link SlackWebhook}).
 *
 * <p>When a post fails for good, or the message is not an alert, the invocation fails: SNS invokes Lambda
 * asynchronously, so Lambda retries it (twice by default, about one and three minutes later), and the function's
 * Errors alarm fires. A retry may post a message Slack had in fact taken (an answer lost on the way): at least once.
 *
 * <p>Logs carry the alert id, the reason code, a hash of the contact's email, statuses and counts: no names, no
 * addresses, no URL.
 */
public final class SnsSlackNotifierHandler implements RequestHandler<SNSEvent, Void>, org.crac.Resource {

    /** The ARN of the Secrets Manager secret holding the webhook URL (see {@link SecretsManagerWebhookUrl}). */
    public static final String SLACK_WEBHOOK_SECRET_ARN = "SLACK_WEBHOOK_SECRET_ARN";

    private final SlackWebhook webhook;
    private final Log log;
    /** SnapStart priming, set only on the Lambda wiring path (see {@link #beforeCheckpoint}). */
    private Priming.Step[] priming;

    /** Lambda's constructor: wired once from the environment (SLACK_WEBHOOK_SECRET_ARN). */
    public SnsSlackNotifierHandler() {
        this(Env.system());
    }

    /** The secret is read on the first alert, not here (see {@link SecretsManagerWebhookUrl}). */
    public SnsSlackNotifierHandler(Env env) {
        this(new SecretsManagerWebhookUrl(
                        Clients.build(SecretsManagerClient.builder()),
                        env.require(SLACK_WEBHOOK_SECRET_ARN)),
                SlackWebhook.defaultHttpClient(),
                Sleeper.THREAD, env.log());
        this.priming = new Priming.Step[] {
            () -> SlackMessage.json(AlertJson.parse(Priming.ALERT_JSON)),
            // The secret's read and parse, through a throwaway client answering in-process: not this function's
            // secret, which is read on the first alert and never before the snapshot.
            () -> new SecretsManagerWebhookUrl(Priming.client(SecretsManagerClient.builder(), "application/x-amz-json-1.1",
                    "{\"ARN\":\"arn:aws:secretsmanager:us-east-1:000000000000:secret:priming\",\"Name\":\"priming\","
                            + "\"SecretString\":\"{\\\"webhookUrl\\\":\\\"https://hooks.slack.com/services/T0/B0/priming\\\"}\"}"),
                    "priming").get(),
        };
        Priming.register(this);
    }

    /**
     * SnapStart priming: decodes a synthetic alert ({@link Priming#ALERT_JSON}) and builds its Slack message, and
     * reads and parses a synthetic secret through a throwaway Secrets Manager client that answers in-process
     * ({@link Priming}). The function's secret is not read (it is read on the first alert, on purpose) and nothing
     * is posted to Slack. No connection is opened, so there is nothing to drop after a restore.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends org.crac.Resource> context) {
        if (priming != null) Priming.run(log, "slack-notifier", priming);
    }

    @Override
    public void afterRestore(org.crac.Context<? extends org.crac.Resource> context) {}

    public SnsSlackNotifierHandler(Supplier<URI> webhookUrl, HttpClient http, Sleeper sleeper, Log log) {
        this.webhook = new SlackWebhook(webhookUrl, http, sleeper);
        this.log = log;
    }

    @Override
    public Void handleRequest(SNSEvent event, Context context) {
        Log log = this.log.forRequest(context);
        LongSupplier remainingMillis = context == null ? () -> Long.MAX_VALUE : () -> context.getRemainingTimeInMillis();
        for (SNSEvent.SNSRecord record : event.getRecords()) {
            String messageId = record.getSNS() == null ? null : record.getSNS().getMessageId();
            SqlAlert alert = alertOf(record, messageId, log);
            try {
                SlackWebhook.Delivery delivery = webhook.post(SlackMessage.json(alert), remainingMillis, log);
                log.info("sql alert posted to slack", "alertId", alert.alertId(), "reason", alert.reasonCode(),
                        "contact", log.contact(alert.contact().email()), "snsMessageId", messageId, "status", delivery.status(),
                        "attempts", delivery.attempts(), "waitedMillis", delivery.waited().toMillis());
            } catch (RuntimeException e) {
                log.error("sql alert not posted to slack; the invocation fails so that Lambda retries it",
                        "alertId", alert.alertId(), "reason", alert.reasonCode(), "snsMessageId", messageId,
                        "error", e.getClass().getSimpleName(), "detail", e.getMessage());
                throw e;
            }
        }
        return null;
    }

    /**
     * The alert in an SNS record. A message that is not one fails the invocation with its SNS message id only:
     * the parser's own message can quote the text, which is personal data.
     */
    private static SqlAlert alertOf(SNSEvent.SNSRecord record, String messageId, Log log) {
        try {
            return AlertJson.parse(record.getSNS() == null ? null : record.getSNS().getMessage());
        } catch (IllegalArgumentException e) {
            log.error("sns message is not an sql alert", "snsMessageId", messageId);
            throw new IllegalArgumentException("SNS message " + messageId + " is not an SQL alert (PRODUCT §3)");
        }
    }
}
