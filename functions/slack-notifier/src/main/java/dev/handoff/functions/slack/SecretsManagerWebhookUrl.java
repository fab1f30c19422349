package dev.handoff.functions.slack;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Slack webhook URL, read from AWS Secrets Manager on first use and kept for the life of the container.
 *
 * <p>Read lazily, on the first alert, not when the function initialises: with SnapStart the initialisation runs
 * once, when the version is published, and its memory is snapshotted; the secret then stays out of the snapshot,
 * and a secret changed before a new cold start is picked up. A failed read is not kept, so the next invocation
 * tries again. To rotate the URL, update the secret; running containers keep the old one until they are replaced
 * (publish a new version, or wait for them to be recycled).
 *
 * <p>The secret's value is the URL itself or a JSON object {@code {"webhookUrl": "https://hooks.slack.com/..."}}.
 * It must be {@code https}; plain {@code http} is accepted only for a loopback host, for tests. Errors say what is
 * wrong with the value, never the value.
 */
public final class SecretsManagerWebhookUrl implements Supplier<URI> {

    /** The member of a JSON secret that holds the URL. */
    public static final String JSON_MEMBER = "webhookUrl";

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    private final SecretsManagerClient secretsManager;
    private final String secretId;
    private volatile URI url;

    public SecretsManagerWebhookUrl(SecretsManagerClient secretsManager, String secretId) {
        this.secretsManager = Objects.requireNonNull(secretsManager, "secretsManager");
        this.secretId = Objects.requireNonNull(secretId, "secretId");
    }

    @Override
    public URI get() {
        URI known = url;
        if (known != null) return known;
        synchronized (this) {
            if (url == null) url = parse(secretsManager.getSecretValue(r -> r.secretId(secretId)).secretString());
            return url;
        }
    }

    /**
     * The URL in a secret's value: the bare URL or {@code {"webhookUrl": "..."}}.
     *
     * @throws IllegalStateException naming what is wrong, without the value
     */
    public static URI parse(String secretValue) {
        if (secretValue == null || secretValue.isBlank()) {
            throw new IllegalStateException("the Slack webhook secret has no text value (binary or empty)");
        }
        String value = secretValue.strip();
        if (value.startsWith("{")) value = fromJson(value);
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the Slack webhook secret is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || (scheme.equals("http") && LOOPBACK.contains(uri.getHost())))) {
            throw new IllegalStateException("the Slack webhook secret must be an https URL with a host");
        }
        return uri;
    }

    private static String fromJson(String value) {
        Map<String, Object> tree;
        try {
            tree = JSON.std.mapFrom(value);
        } catch (IOException e) {
            // Not chained: a parser's message quotes the text around the error.
            throw new IllegalStateException("the Slack webhook secret starts with '{' but is not a JSON object");
        }
        if (!(tree.get(JSON_MEMBER) instanceof String s) || s.isBlank()) {
            throw new IllegalStateException("the Slack webhook secret is JSON without a string \"" + JSON_MEMBER + "\"");
        }
        return s.strip();
    }
}
