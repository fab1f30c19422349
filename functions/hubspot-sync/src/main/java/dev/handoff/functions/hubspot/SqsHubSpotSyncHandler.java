package dev.handoff.functions.hubspot;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.handoff.aws.Clients;
import dev.handoff.aws.DynamoDbHubSpotLedger;
import dev.handoff.aws.Env;
import dev.handoff.aws.Log;
import dev.handoff.aws.Metric;
import dev.handoff.aws.Metrics;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * The HubSpot sync (PRODUCT §3): {@code ContactBecameSalesQualified} events from the bus, through a queue, each
 * handed to HubSpot once ({@link HubSpotSync}). A message HubSpot refuses (a 4xx that retrying cannot mend) or
 * that is no such event goes to the dead-letter queue with the reason as its {@code reason} attribute, and the
 * rest of the batch goes on; one that cannot be finished now (429s, 5xx, the function's time running short, a
 * concurrent delivery holding the alert) is reported failed, and SQS delivers it again. Logs carry the alert id
 * and the contact's keyed hash, never the token or the contact's data.
 */
public final class SqsHubSpotSyncHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    public static final String HUBSPOT_TOKEN_SECRET_ARN = "HUBSPOT_TOKEN_SECRET_ARN";
    public static final String HUBSPOT_PIPELINE = "HUBSPOT_PIPELINE";
    public static final String HUBSPOT_DEAL_STAGE = "HUBSPOT_DEAL_STAGE";
    public static final String HUBSPOT_DEAD_LETTER_QUEUE_URL = "HUBSPOT_DEAD_LETTER_QUEUE_URL";

    /** Time kept back from the invocation's end, to record a step and answer. */
    static final Duration MARGIN = Duration.ofSeconds(5);
    /** Below this much time left, a record is not started: it is delivered again. */
    static final Duration ENOUGH_TO_START = Duration.ofSeconds(3);

    /** Where a message goes that HubSpot refused or that is no such event, with the reason. */
    @FunctionalInterface
    public interface DeadLetters {
        void send(String body, String reason);

        /** The SQS dead-letter queue, the reason as the message attribute {@code reason}. */
        static DeadLetters sqs(SqsClient sqs, String queueUrl) {
            return (body, reason) -> sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body)
                    .messageAttributes(Map.of("reason", MessageAttributeValue.builder().dataType("String").stringValue(reason).build())));
        }
    }

    private final HubSpotSync sync;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final Log log;

    /** Lambda's constructor: wired once from the environment (see template.yaml). */
    public SqsHubSpotSyncHandler() {
        this(Env.system());
    }

    public SqsHubSpotSyncHandler(Env env) {
        this(env, new SecretsManagerHubSpotToken(Clients.build(SecretsManagerClient.builder()),
                env.require(HUBSPOT_TOKEN_SECRET_ARN)), URI.create(HubSpotClient.DEFAULT_BASE_URL));
    }

    private SqsHubSpotSyncHandler(Env env, Supplier<String> token, URI hubspotUrl) {
        this(env, token, hubspotUrl, DeadLetters.sqs(Clients.build(SqsClient.builder()), env.require(HUBSPOT_DEAD_LETTER_QUEUE_URL)));
    }

    /** With the token, HubSpot's address and the dead letters from elsewhere: the local stack's {@code HUBSPOT_TOKEN} and {@code --hubspot-url}. */
    public SqsHubSpotSyncHandler(Env env, Supplier<String> token, URI hubspotUrl, DeadLetters deadLetters) {
        this(new HubSpotSync(
                        new HubSpotClient(HubSpotClient.defaultHttpClient(), hubspotUrl, token),
                        new DynamoDbHubSpotLedger(Clients.dynamoDb(), env.require(Env.TABLE_NAME)),
                        env.policy().routing(),
                        new HubSpotSync.Settings(env.require(HUBSPOT_PIPELINE), env.require(HUBSPOT_DEAL_STAGE))),
                deadLetters, Clock.systemUTC(), env.log());
    }

    public SqsHubSpotSyncHandler(HubSpotSync sync, DeadLetters deadLetters, Clock clock, Log log) {
        this.sync = sync;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        return log.invocation(context, (log, metrics) -> sync(event, context, log, metrics));
    }

    private SQSBatchResponse sync(SQSEvent event, Context context, Log log, Metrics metrics) {
        long remaining = context == null ? 60_000 : context.getRemainingTimeInMillis();
        Instant deadline = clock.instant().plusMillis(remaining).minus(MARGIN);
        String invocation = context == null || context.getAwsRequestId() == null
                ? java.util.UUID.randomUUID().toString() : context.getAwsRequestId();
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            if (Duration.between(clock.instant(), deadline).compareTo(ENOUGH_TO_START) < 0) {
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                continue;
            }
            QualifiedEvent e = null;
            try {
                e = QualifiedEvent.parse(message.getBody());
                HubSpotSync.Result result = sync.sync(e, invocation + "/" + message.getMessageId(), deadline);
                if (result == HubSpotSync.Result.BUSY) failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                log.info("hubspot sync " + result.name().toLowerCase(Locale.ROOT).replace('_', ' '),
                        "alertId", e.alertId(), "contact", log.contact(e.email()));
                if (result == HubSpotSync.Result.SYNCED) metrics.count(Metric.HubSpotSynced);
            } catch (QualifiedEvent.UndecodableException bad) {
                deadLetter(message, bad.getMessage(), failures, log);
            } catch (HubSpotRefusedException refused) {
                log.error("hubspot refused; message sent to the dead-letter queue", "alertId", e.alertId(),
                        "contact", log.contact(e.email()), "status", refused.status(), "error", refused.getMessage());
                deadLetter(message, refused.reason(), failures, log);
                metrics.count(Metric.HubSpotFailed);
            } catch (RuntimeException failed) {
                log.error("hubspot sync not done; the message is delivered again", "alertId", e == null ? null : e.alertId(),
                        "error", failed.getClass().getSimpleName(), "detail", failed instanceof HubSpotUnavailableException ? failed.getMessage() : null);
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    /** The message as it came, with the reason; when that fails, the message is delivered again instead. */
    private void deadLetter(SQSEvent.SQSMessage message, String reason, List<SQSBatchResponse.BatchItemFailure> failures, Log log) {
        try {
            deadLetters.send(message.getBody(), reason);
        } catch (RuntimeException e) {
            log.error("cannot send to the hubspot dead-letter queue", "error", e.getClass().getSimpleName());
            failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
        }
    }
}
