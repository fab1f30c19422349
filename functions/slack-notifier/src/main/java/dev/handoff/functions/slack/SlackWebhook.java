package dev.handoff.functions.slack;

import dev.handoff.aws.Log;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Posts a message to a Slack incoming webhook with the JDK's HTTP client.
 *
 * <ul>
 *   <li>2xx: done.</li>
 *   <li>429 and 5xx, and an I/O failure (no answer, a timeout): tried again, at most {@value #MAX_ATTEMPTS} attempts
 *       in all, after the {@code Retry-After} Slack sends (seconds), else after 1 s then 2 s. The waits of one post
 *       add up to at most {@link #MAX_TOTAL_WAIT}, and a wait is taken only when the invocation still has time for
 *       it and one more request afterwards: rather than wait past that, the post fails at once, and the invocation
 *       is retried later (Lambda's asynchronous retries of an SNS delivery).</li>
 *   <li>Any other status (400 {@code invalid_payload}, 403, 404 {@code no_service}, 410 {@code channel_is_archived},
 *       a redirect): fails at once, without retrying what cannot succeed.</li>
 * </ul>
 *
 * Failures are {@link SlackDeliveryException}s whose message names the status and Slack's error code, never the
 * webhook URL (it is the secret: whoever has it can post to the channel) and never the message's text. For the
 * same reason I/O errors are not chained as causes: their messages can carry the URL.
 *
 * <p>Redirects are not followed, so the message never goes anywhere but the configured URL.
 */
public final class SlackWebhook {

    public static final int MAX_ATTEMPTS = 3;
    /** Each request's whole exchange, from sending to the answer's last byte. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** The most one post waits between its attempts, in all. */
    public static final Duration MAX_TOTAL_WAIT = Duration.ofSeconds(10);
    /** The first wait when Slack gives no Retry-After; it doubles on each retry. */
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    /** What must be left of the invocation after a wait: one more request, and a second to report. */
    static final Duration AFTER_WAIT = REQUEST_TIMEOUT.plusSeconds(1);

    /** Slack's error answers are short codes ({@code invalid_payload}, {@code no_service}); nothing else is quoted. */
    private static final Pattern SLACK_ERROR_CODE = Pattern.compile("[a-z_]{1,64}");
    private static final Pattern DELTA_SECONDS = Pattern.compile("\\d{1,9}");

    private final Supplier<URI> webhookUrl;
    private final HttpClient http;
    private final Sleeper sleeper;

    public SlackWebhook(Supplier<URI> webhookUrl, HttpClient http, Sleeper sleeper) {
        this.webhookUrl = Objects.requireNonNull(webhookUrl, "webhookUrl");
        this.http = Objects.requireNonNull(http, "http");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /** The client the function uses: connect timeout, no redirects, HTTP/1.1 (one small POST per alert). */
    public static HttpClient defaultHttpClient() {
        return HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** What a successful post took. */
    public record Delivery(int status, int attempts, Duration waited) {}

    /**
     * Posts {@code json}, retrying as the class says.
     *
     * @param remainingMillis how much of the invocation is left (Lambda's {@code Context}); waits that would not
     *     leave {@link #AFTER_WAIT} are not taken
     * @param log the invocation's log, for the retries
     * @throws SlackDeliveryException when Slack did not take it
     */
    public Delivery post(String json, LongSupplier remainingMillis, Log log) {
        HttpRequest request = request(webhookUrl.get(), json);
        Duration waited = Duration.ZERO;
        for (int attempt = 1; ; attempt++) {
            Answer answer = send(request, attempt);
            if (answer.status() / 100 == 2) return new Delivery(answer.status(), attempt, waited);
            if (!answer.retryable()) {
                throw new SlackDeliveryException("Slack refused the message: " + answer.describe()
                        + "; not retried (check the webhook and the channel)", answer.status(), attempt);
            }
            if (attempt == MAX_ATTEMPTS) {
                throw new SlackDeliveryException("Slack did not take the message in " + attempt + " attempts; last: "
                        + answer.describe(), answer.status(), attempt);
            }
            Duration wait = answer.retryAfter().orElse(FIRST_BACKOFF.multipliedBy(1L << (attempt - 1)));
            if (waited.plus(wait).compareTo(MAX_TOTAL_WAIT) > 0) {
                throw new SlackDeliveryException("Slack answered " + answer.describe() + " and asks to wait "
                        + wait.toSeconds() + " s, beyond the " + MAX_TOTAL_WAIT.toSeconds()
                        + " s this invocation may wait; failing so that it is retried later", answer.status(), attempt);
            }
            if (remainingMillis.getAsLong() - wait.toMillis() < AFTER_WAIT.toMillis()) {
                throw new SlackDeliveryException("Slack answered " + answer.describe() + "; no time left in this "
                        + "invocation to wait " + wait.toMillis() + " ms and try again", answer.status(), attempt);
            }
            log.warn("slack webhook: retrying", "status", answer.status(), "error", answer.error(),
                    "attempt", attempt, "waitMillis", wait.toMillis());
            sleep(wait, answer, attempt);
            waited = waited.plus(wait);
        }
    }

    private static HttpRequest request(URI url, String json) {
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(url);
        } catch (IllegalArgumentException | NullPointerException e) {
            // Not chained: the exception's message quotes the URL.
            throw new IllegalStateException("the Slack webhook URL is not an http(s) URL");
        }
        return builder
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
    }

    private Answer send(HttpRequest request, int attempt) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), slackError(response.body()),
                    response.headers().firstValue("Retry-After").flatMap(SlackWebhook::retryAfter));
        } catch (IOException e) {
            return new Answer(0, e.getClass().getSimpleName(), Optional.empty());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlackDeliveryException("interrupted while posting to Slack", 0, attempt);
        }
    }

    private void sleep(Duration wait, Answer answer, int attempt) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlackDeliveryException("interrupted while waiting to retry after " + answer.describe(),
                    answer.status(), attempt);
        }
    }

    /** {@code Retry-After} in seconds (Slack's form); an HTTP date or anything else counts as absent. */
    static Optional<Duration> retryAfter(String value) {
        String v = value.strip();
        return DELTA_SECONDS.matcher(v).matches() ? Optional.of(Duration.ofSeconds(Long.parseLong(v))) : Optional.empty();
    }

    private static String slackError(String body) {
        if (body == null) return null;
        String b = body.strip();
        return SLACK_ERROR_CODE.matcher(b).matches() ? b : null;
    }

    /** One attempt's outcome: an HTTP status, or 0 with the I/O exception's class name as the error. */
    private record Answer(int status, String error, Optional<Duration> retryAfter) {
        boolean retryable() {
            return status == 0 || status == 429 || status / 100 == 5;
        }

        String describe() {
            if (status == 0) return "no answer (" + error + ")";
            return "HTTP " + status + (error == null ? "" : " " + error);
        }
    }
}
