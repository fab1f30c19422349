package dev.handoff.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpApiRequestsTest {

    @Test
    void a_path_segment_is_percent_decoded_with_a_plus_kept_as_a_plus_and_a_bad_escape_refused() throws Exception {
        assertThat(HttpApiRequests.pathSegment("ana%2Bnews%40acme.com", "email")).isEqualTo("ana+news@acme.com");
        assertThat(HttpApiRequests.pathSegment("ana+news@acme.com", "email")).isEqualTo("ana+news@acme.com");
        assertThat(HttpApiRequests.pathSegment("%C3%A9lodie%40acme.com", "email")).isEqualTo("élodie@acme.com");
        for (String bad : new String[] {"ana%zz@acme.com", "%ZZ", "ana%", "ana%4", "%C3%28"}) {
            assertThatThrownBy(() -> HttpApiRequests.pathSegment(bad, "email"))
                    .isInstanceOfSatisfying(HttpApiRequests.Refused.class, r -> {
                        assertThat(r.response().getStatusCode()).isEqualTo(400);
                        assertThat(r.response().getBody()).contains("\"field\":\"email\"");
                    });
        }
    }

    @Test
    void a_urlencoded_form_with_a_malformed_escape_is_refused_naming_the_field() throws Exception {
        assertThat(HttpApiRequests.urlEncoded("email=ana%40acme.com&firstname=Ana+Maria&x"))
                .containsExactly(Map.entry("email", "ana@acme.com"), Map.entry("firstname", "Ana Maria"), Map.entry("x", ""));
        assertThatThrownBy(() -> HttpApiRequests.urlEncoded("email=%ZZx%40acme.com"))
                .isInstanceOfSatisfying(HttpApiRequests.Refused.class,
                        r -> assertThat(r.response().getBody()).contains("\"field\":\"email\""));
        assertThatThrownBy(() -> HttpApiRequests.urlEncoded("email=a%40acme.com&firstname=Fn%"))
                .isInstanceOfSatisfying(HttpApiRequests.Refused.class,
                        r -> assertThat(r.response().getBody()).contains("\"field\":\"firstname\""));
    }

    @Test
    void json_with_anything_after_the_object_is_refused() {
        for (String bad : new String[] {"{\"a\":1} trailing", "{\"a\":1}{\"x\":1}", "{\"a\":1}]", "[1]", "\"text\""}) {
            assertThatThrownBy(() -> HttpApiRequests.jsonObject(bad))
                    .as(bad)
                    .isInstanceOfSatisfying(HttpApiRequests.Refused.class, r -> assertThat(r.response().getStatusCode()).isEqualTo(400));
        }
    }

    @Test
    void a_body_that_is_not_utf8_or_holds_a_lone_surrogate_is_refused() {
        APIGatewayV2HTTPEvent binary = new APIGatewayV2HTTPEvent();
        binary.setBody(Base64.getEncoder().encodeToString(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'}));
        binary.setIsBase64Encoded(true);
        assertThatThrownBy(() -> HttpApiRequests.text(binary, 1024)).isInstanceOf(HttpApiRequests.Refused.class);

        APIGatewayV2HTTPEvent lone = new APIGatewayV2HTTPEvent();
        lone.setBody("{\"a\":\"\uD800\"}");
        assertThatThrownBy(() -> HttpApiRequests.text(lone, 1024)).isInstanceOf(HttpApiRequests.Refused.class);

        APIGatewayV2HTTPEvent big = new APIGatewayV2HTTPEvent();
        big.setBody("x".repeat(1025));
        assertThatThrownBy(() -> HttpApiRequests.text(big, 1024))
                .isInstanceOfSatisfying(HttpApiRequests.Refused.class, r -> assertThat(r.response().getStatusCode()).isEqualTo(413));
        assertThat("é".getBytes(StandardCharsets.UTF_8)).hasSize(2);
    }
}
