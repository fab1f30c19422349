package dev.handoff.functions.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.handoff.aws.Env;
import dev.handoff.local.LocalAws;
import dev.handoff.local.MotoServer;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The webhook URL from Secrets Manager: its two forms, and read once through moto's Secrets Manager. */
class SecretsManagerWebhookUrlTest {

    private static MotoServer moto;
    private static SecretsManagerClient admin;

    @BeforeAll
    static void startMoto() {
        moto = new MotoServer();
        admin = LocalAws.configure(SecretsManagerClient.builder(), moto.endpoint()).build();
    }

    @AfterAll
    static void stopMoto() {
        if (admin != null) admin.close();
        if (moto != null) moto.close();
    }

    // ------------------------------------------------------------------------------------------ the value

    @Test
    void the_secret_is_the_bare_url_or_json_with_a_webhook_url_member() {
        String url = "https://hooks.slack.com/services/T000/B000/XXXX";
        assertThat(SecretsManagerWebhookUrl.parse(url)).isEqualTo(URI.create(url));
        assertThat(SecretsManagerWebhookUrl.parse("  " + url + "\n")).isEqualTo(URI.create(url));
        assertThat(SecretsManagerWebhookUrl.parse("{\"webhookUrl\": \"" + url + "\", \"channel\": \"#sales\"}"))
                .isEqualTo(URI.create(url));
    }

    @Test
    void a_bad_secret_is_refused_without_quoting_it() {
        for (String bad : List.of("{\"url\": \"https://hooks.slack.com/services/SECRET\"}", "{not json SECRET",
                "http://hooks.slack.com/services/SECRET", "hooks.slack.com/services/SECRET", "https://  SECRET", " ")) {
            assertThatThrownBy(() -> SecretsManagerWebhookUrl.parse(bad)).as(bad)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("the Slack webhook secret")
                    .hasMessageNotContaining("SECRET")
                    .hasNoCause();
        }
    }

    @Test
    void plain_http_is_accepted_only_for_a_loopback_host() {
        assertThat(SecretsManagerWebhookUrl.parse("http://127.0.0.1:8080/hook")).hasHost("127.0.0.1");
        assertThat(SecretsManagerWebhookUrl.parse("http://localhost/hook")).hasHost("localhost");
    }

    // ------------------------------------------------------------------------------- through Secrets Manager

    @Test
    void the_secret_is_read_on_first_use_and_kept_for_the_life_of_the_handler() throws IOException {
        try (RecordingSlack slack = new RecordingSlack(); RecordingSlack other = new RecordingSlack()) {
            String arn = admin.createSecret(r -> r.name("slack-webhook-" + System.nanoTime())
                    .secretString("{\"webhookUrl\": \"" + other.url() + "\"}")).arn();

            SnsSlackNotifierHandler handler = withSecretsManagerSettings(() -> {
                SnsSlackNotifierHandler h = new SnsSlackNotifierHandler(new Env(Map.of(
                        SnsSlackNotifierHandler.SLACK_WEBHOOK_SECRET_ARN, arn)));
                // Built, not read yet: the value put before the first alert is the one used (a bare URL now).
                admin.putSecretValue(r -> r.secretId(arn).secretString(slack.url().toString()));
                h.handleRequest(SnsSlackNotifierHandlerTest.event(Samples.alertMessage()), null);
                return h;
            });
            // The value changes, and then the secret goes: the handler keeps the URL it read.
            admin.putSecretValue(r -> r.secretId(arn).secretString(other.url().toString()));
            admin.deleteSecret(r -> r.secretId(arn).forceDeleteWithoutRecovery(true));

            handler.handleRequest(SnsSlackNotifierHandlerTest.event(Samples.alertMessage()), null);

            assertThat(slack.requests()).hasSize(2);
            assertThat(other.requests()).isEmpty();
        }
    }

    @Test
    void a_failed_read_is_not_kept_and_the_next_use_reads_again() throws IOException {
        String name = "slack-webhook-later-" + System.nanoTime();
        try (RecordingSlack slack = new RecordingSlack();
                SecretsManagerClient client = LocalAws.configure(SecretsManagerClient.builder(), moto.endpoint()).build()) {
            SecretsManagerWebhookUrl url = new SecretsManagerWebhookUrl(client, name);

            assertThatThrownBy(url::get).isInstanceOf(RuntimeException.class);

            admin.createSecret(r -> r.name(name).secretString(slack.url().toString()));
            assertThat(url.get()).isEqualTo(slack.url());
        }
    }

    /**
     * Runs {@code body} with the SDK's standard settings pointing Secrets Manager at moto, as AWS_REGION and the
     * role's credentials do on Lambda: the handler's own client, built by its Env constructor, is the one tested.
     */
    private static <T> T withSecretsManagerSettings(java.util.function.Supplier<T> body) {
        Map<String, String> settings = Map.of(
                "aws.endpointUrlSecretsManager", moto.endpoint().toString(),
                "aws.region", LocalAws.REGION.id(),
                "aws.accessKeyId", "local",
                "aws.secretAccessKey", "local");
        Map<String, String> previous = new HashMap<>();
        settings.forEach((k, v) -> previous.put(k, System.setProperty(k, v)));
        try {
            return body.get();
        } finally {
            previous.forEach((k, v) -> {
                if (v == null) System.clearProperty(k);
                else System.setProperty(k, v);
            });
        }
    }
}
