package dev.handoff.aws;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Reads a secret's string once, at init, with a client that shares the function's HTTP client and is then closed. */
final class SecretsManagerKey {
    private SecretsManagerKey() {}

    static String read(String secretArn) {
        try (SecretsManagerClient secrets = Clients.build(SecretsManagerClient.builder())) {
            String value = secrets.getSecretValue(b -> b.secretId(secretArn)).secretString();
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("the secret " + secretArn + " (" + Env.CONTACT_HASH_SECRET_ARN + ") has no text value");
            }
            return value;
        }
    }
}
