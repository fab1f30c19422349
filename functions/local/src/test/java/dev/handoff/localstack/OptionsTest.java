package dev.handoff.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code run-local.sh --hubspot-url URL}: the HubSpot sync, its token from HUBSPOT_TOKEN (PRODUCT §6). */
class OptionsTest {

    @Test
    void the_hubspot_url_takes_the_token_from_HUBSPOT_TOKEN() {
        LocalStack.Options o = LocalStack.Options.parse(new String[] {"--hubspot-url", "http://127.0.0.1:8089"},
                Map.of("HUBSPOT_TOKEN", " pat-na1-xyz \n"));
        assertThat(o.hubspotUrl()).isEqualTo(URI.create("http://127.0.0.1:8089"));
        assertThat(o.hubspotToken()).isEqualTo("pat-na1-xyz");
    }

    @Test
    void without_the_hubspot_url_there_is_no_sync_and_no_token_is_read() {
        LocalStack.Options o = LocalStack.Options.parse(new String[] {}, Map.of("HUBSPOT_TOKEN", "pat"));
        assertThat(o.hubspotUrl()).isNull();
        assertThat(o.hubspotToken()).isNull();
    }

    @Test
    void a_hubspot_url_without_a_token_or_not_http_is_refused_naming_what_to_do() {
        assertThatThrownBy(() -> LocalStack.Options.parse(new String[] {"--hubspot-url", "https://api.hubapi.com"}, Map.of()))
                .hasMessageContaining("HUBSPOT_TOKEN");
        assertThatThrownBy(() -> LocalStack.Options.parse(new String[] {"--hubspot-url", "ftp://x"}, Map.of("HUBSPOT_TOKEN", "t")))
                .hasMessageContaining("--hubspot-url must be an http(s) URL");
    }
}
