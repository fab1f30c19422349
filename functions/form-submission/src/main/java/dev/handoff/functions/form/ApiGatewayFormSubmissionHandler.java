package dev.handoff.functions.form;

import static dev.handoff.aws.HttpApiRequests.lowerCase;
import static dev.handoff.aws.HttpApiRequests.mediaType;
import static dev.handoff.aws.HttpApiResponses.error;
import static dev.handoff.aws.HttpApiResponses.errors;
import static dev.handoff.aws.HttpApiResponses.fieldError;
import static dev.handoff.aws.HttpApiResponses.respond;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.handoff.aws.Clients;
import dev.handoff.aws.DynamoDbContacts;
import dev.handoff.aws.Env;
import dev.handoff.aws.HttpApiRequests;
import dev.handoff.aws.HttpApiResponses;
import dev.handoff.aws.Json;
import dev.handoff.aws.Log;
import dev.handoff.aws.Metric;
import dev.handoff.aws.Metrics;
import dev.handoff.aws.Priming;
import dev.handoff.core.app.FormIntake;
import dev.handoff.core.app.Ingest;
import dev.handoff.core.policy.Policy;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crac.Context;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code POST /forms/{formId}/submissions} (PRODUCT §2.1): checks the post against the policy's form catalogue,
 * records it, and answers 202 with the submission id. It never tells the caller anything about the contact.
 */
public final class ApiGatewayFormSubmissionHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>,
        Resource {
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final FormIntake intake;
    private final Ingest ingest;
    private final Clock clock;
    private final Log log;
    /** SnapStart priming, set only on the Lambda wiring path (see {@link #beforeCheckpoint}). */
    private Priming.Step[] priming;

    /** Lambda's constructor: wired once from the environment (TABLE_NAME, POLICY or POLICY_FILE, the hash key). */
    public ApiGatewayFormSubmissionHandler() {
        this(Env.system());
    }

    public ApiGatewayFormSubmissionHandler(Env env) {
        this(env.policy(), env.require(Env.TABLE_NAME), Clients.dynamoDb(), env.log());
    }

    private ApiGatewayFormSubmissionHandler(Policy policy, String table, DynamoDbClient dynamoDb, Log log) {
        this(new FormIntake(policy), new Ingest(new DynamoDbContacts(dynamoDb, table, policy.engagementWindowDays())),
                Clock.systemUTC(), log);
        this.priming = primingSteps(policy, table, dynamoDb, log);
        Priming.register(this);
    }

    public ApiGatewayFormSubmissionHandler(FormIntake intake, Ingest ingest, Clock clock, Log log) {
        this.intake = intake;
        this.ingest = ingest;
        this.clock = clock;
        this.log = log;
    }

    /**
     * SnapStart priming: posts a synthetic submission (JSON, then urlencoded) through this handler's code with the
     * same policy and table name, but a throwaway DynamoDB client that answers in-process ({@link Priming}): nothing
     * is stored. Then one request the table refuses through the real client ({@link Priming#realRequest}), so the
     * first request after a restore finds the connection path warm too.
     */
    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        if (priming != null) Priming.run(log, "form-submission", priming);
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {}

    private static Priming.Step[] primingSteps(Policy policy, String table, DynamoDbClient dynamoDb, Log log) {
        return new Priming.Step[] {
            () -> {
                ApiGatewayFormSubmissionHandler twin = new ApiGatewayFormSubmissionHandler(new FormIntake(policy),
                        new Ingest(new DynamoDbContacts(Priming.dynamoDb(), table, policy.engagementWindowDays())),
                        Clock.systemUTC(), log.discarding());
                String formId = policy.forms().isEmpty() ? "priming" : policy.forms().keySet().iterator().next();
                twin.handleRequest(primingEvent(formId, "application/json", "{\"email\": \"" + Priming.EMAIL
                        + "\", \"firstname\": \"Pri\", \"lastname\": \"Ming\", \"company\": \"Example\", "
                        + "\"jobtitle\": \"Engineer\", \"numberofemployees\": \"50\", \"country\": \"PT\", "
                        + "\"visitorId\": \"v-priming\"}"), null);
                twin.handleRequest(primingEvent(formId, "application/x-www-form-urlencoded",
                        "email=priming%40example.com&firstname=Pri&company=Example"), null);
            },
            () -> Priming.realRequest(dynamoDb, table),
        };
    }

    private static APIGatewayV2HTTPEvent primingEvent(String formId, String contentType, String body) {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setRouteKey("POST /forms/{formId}/submissions");
        event.setRawPath("/forms/" + formId + "/submissions");
        event.setPathParameters(Map.of("formId", formId));
        event.setHeaders(Map.of("content-type", contentType, "idempotency-key", "priming"));
        event.setBody(body);
        event.setIsBase64Encoded(false);
        return event;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, com.amazonaws.services.lambda.runtime.Context context) {
        return log.invocation(context, (log, metrics) -> {
            APIGatewayV2HTTPResponse response = handle(event, log, metrics);
            if (response.getStatusCode() >= 400) metrics.count(Metric.FormsRejected);
            return response;
        });
    }

    private APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Log log, Metrics metrics) {
        String formId = formId(event);
        Map<String, String> headers = lowerCase(event.getHeaders());

        Map<String, String> fields;
        try {
            fields = fields(event, headers);
        } catch (HttpApiRequests.Refused refused) {
            return refused.response();
        }
        if (fields == null) {
            return error(415, "Content-Type", "must be application/json or application/x-www-form-urlencoded");
        }

        FormIntake.Result result = intake.accept(formId, fields, headers.get("idempotency-key"), clock.instant());
        // A plain HTML post (no script) to a form with a redirect lands on the site's thank-you page (PRODUCT §2.1).
        URI thanks = mediaType(headers).equals("application/x-www-form-urlencoded") ? intake.redirect(formId).orElse(null) : null;
        return switch (result) {
            case FormIntake.Result.UnknownForm u -> error(404, "formId", "no form with this id in the policy");
            case FormIntake.Result.Trapped t -> {
                log.info("form honeypot filled; nothing stored", "formId", formId);
                metrics.count(Metric.HoneypotCaught);
                yield accepted(t.submissionId(), thanks);
            }
            case FormIntake.Result.Invalid invalid -> {
                log.info("form rejected", "formId", formId, "errors", invalid.errors().size());
                yield HttpApiResponses.invalid(invalid.errors());
            }
            case FormIntake.Result.Accepted a -> {
                boolean fresh = ingest.submit(a.submission());
                log.info(fresh ? "form recorded" : "form submission already recorded", "formId", formId,
                        "submissionId", a.submission().submissionId(), "contact", log.contact(a.submission().email().value()));
                metrics.count(Metric.FormsAccepted);
                if (!fresh) metrics.count(Metric.DuplicateEvents);
                yield accepted(a.submission().submissionId(), thanks);
            }
        };
    }

    private static String formId(APIGatewayV2HTTPEvent event) {
        Map<String, String> params = event.getPathParameters();
        if (params != null && params.get("formId") != null) return params.get("formId");
        // Without path parameters (a hand-made event), take it from /forms/{formId}/submissions.
        String path = event.getRawPath() == null ? "" : event.getRawPath();
        String[] parts = path.split("/");
        String raw = parts.length >= 3 ? parts[2] : "";
        try {
            return HttpApiRequests.pathSegment(raw, "formId");
        } catch (HttpApiRequests.Refused malformed) {
            return ""; // no form has that id: 404
        }
    }

    /**
     * The posted fields, names as posted: a JSON object of scalars (a number or a boolean as written) or a plain
     * HTML form's urlencoded body; null for another content type.
     */
    static Map<String, String> fields(APIGatewayV2HTTPEvent event, Map<String, String> headers) throws HttpApiRequests.Refused {
        String text = HttpApiRequests.text(event, MAX_BODY_BYTES);
        return switch (mediaType(headers)) {
            case "application/json" -> {
                if (Json.isBlankJson(text)) throw new HttpApiRequests.Refused(400, "body", "must be a JSON object of form fields");
                Map<?, ?> root = HttpApiRequests.jsonObject(text);
                Map<String, String> fields = new LinkedHashMap<>();
                List<Object> nested = new ArrayList<>();
                for (Map.Entry<?, ?> f : root.entrySet()) {
                    String name = String.valueOf(f.getKey());
                    Object v = f.getValue();
                    if (v == null) continue;
                    if (v instanceof Map<?, ?> || v instanceof List<?>) {
                        nested.add(fieldError(name, "must be text or a number"));
                        continue;
                    }
                    fields.put(name, v.toString());
                }
                if (!nested.isEmpty()) throw new HttpApiRequests.Refused(errors(400, nested));
                yield fields;
            }
            case "application/x-www-form-urlencoded" -> HttpApiRequests.urlEncoded(text);
            default -> null;
        };
    }

    /** 202 with the submission id; or, for a plain HTML post to a form with a redirect, 303 to that page. */
    private static APIGatewayV2HTTPResponse accepted(String submissionId, URI redirect) {
        if (redirect != null) {
            return APIGatewayV2HTTPResponse.builder()
                    .withStatusCode(303)
                    .withHeaders(Map.of("Location", redirect.toString()))
                    .build();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("submissionId", submissionId);
        return respond(202, body);
    }

}
