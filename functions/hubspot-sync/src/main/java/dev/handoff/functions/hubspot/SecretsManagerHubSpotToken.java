package dev.handoff.functions.hubspot;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The HubSpot private app's access token, read from AWS Secrets Manager once, on first use, and kept for the
 * life of the container (lazily, so that a SnapStart snapshot never holds it). The secret's value is the token
 * itself or {@code {"token": "..."}}. Errors say what is wrong with the value, never the value.
 */
public final class SecretsManagerHubSpotToken implements Supplier<String> {
    public static final String JSON_MEMBER = "token";

    private final SecretsManagerClient secretsManager;
    private final String secretId;
    private volatile String token;

    public SecretsManagerHubSpotToken(SecretsManagerClient secretsManager, String secretId) {
        this.secretsManager = Objects.requireNonNull(secretsManager, "secretsManager");
        this.secretId = Objects.requireNonNull(secretId, "secretId");
    }

    @Override
    public String get() {
        String known = token;
        if (known != null) return known;
        synchronized (this) {
            if (token == null) token = parse(secretsManager.getSecretValue(r -> r.secretId(secretId)).secretString());
            return token;
        }
    }

    public static String parse(String secretValue) {
        if (secretValue == null || secretValue.isBlank()) {
            throw new IllegalStateException("the HubSpot token secret has no text value (binary or empty)");
        }
        String value = secretValue.strip();
        if (value.startsWith("{")) {
            Map<String, Object> tree;
            try {
                tree = JSON.std.mapFrom(value);
            } catch (IOException e) {
                throw new IllegalStateException("the HubSpot token secret starts with '{' but is not a JSON object");
            }
            if (!(tree.get(JSON_MEMBER) instanceof String s) || s.isBlank()) {
                throw new IllegalStateException("the HubSpot token secret is JSON without a string \"" + JSON_MEMBER + "\"");
            }
            value = s.strip();
        }
        if (value.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new IllegalStateException("the HubSpot token secret holds spaces or characters a token cannot have");
        }
        return value;
    }
}
