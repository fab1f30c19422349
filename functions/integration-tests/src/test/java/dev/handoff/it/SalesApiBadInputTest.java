package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.core.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The sales API's bad input (issue 5): a clear 4xx naming what is wrong, every problem at once, and nothing written.
 * Each request is made against a contact whose stored items are compared before and after.
 */
@ExtendWith(StackExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SalesApiBadInputTest {

    /** Runs {@code request} and checks that the contact's partition is exactly as it was. */
    private static SalesApi.Answer writesNothing(Stack stack, String email, Supplier<SalesApi.Answer> request) {
        List<Map<String, AttributeValue>> before = SalesApi.partition(stack, email);
        SalesApi.Answer answer = request.get();
        stack.settle();
        assertThat(SalesApi.partition(stack, email)).as("items after %s", answer).isEqualTo(before);
        return answer;
    }

    private static String lead(Stack stack, String tag) {
        String email = Stack.email(tag);
        SalesApiTest.throughForm(stack, "ebook-download", email, Map.of("jobtitle", "Engineer"));
        return email;
    }

    @Test
    void an_unknown_stage_name_is_400_naming_the_valid_ones(Stack stack) {
        SalesApi api = SalesApi.of(stack);
        String email = lead(stack, "bad-stage");

        for (String stage : List.of("\"mql\"", "\"SQL\"", "3", "null")) {
            SalesApi.Answer answer = writesNothing(stack, email,
                    () -> api.stage(email, "{\"stage\": " + stage + ", \"reason\": \"r\", \"actor\": \"sam\"}"));
            assertThat(answer.status()).as(stage).isEqualTo(400);
            assertThat(answer.errorFields()).as(stage).containsExactly("stage");
            assertThat(answer.errors().get(0).path("message").asText()).contains(Stage.allIds());
        }
    }

    @Test
    void a_move_without_reason_or_actor_or_with_a_force_that_is_not_a_boolean_is_400_naming_each(Stack stack) {
        SalesApi api = SalesApi.of(stack);
        String email = lead(stack, "bad-move");

        SalesApi.Answer missing = writesNothing(stack, email, () -> api.stage(email, "{\"stage\": \"customer\", \"reason\": \"  \"}"));
        SalesApi.Answer force = writesNothing(stack, email,
                () -> api.stage(email, "{\"stage\": \"customer\", \"reason\": \"r\", \"actor\": \"sam\", \"force\": \"yes\"}"));
        SalesApi.Answer everything = writesNothing(stack, email,
                () -> api.stage(email, "{\"stage\": \"boss\", \"actor\": 7, \"force\": 1}"));

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.errorFields()).containsExactly("reason", "actor");
        assertThat(force.status()).isEqualTo(400);
        assertThat(force.errorFields()).containsExactly("force");
        assertThat(everything.errorFields()).containsExactly("stage", "reason", "actor", "force");
    }

    @Test
    void a_move_of_a_contact_nobody_has_is_404_and_creates_nothing(Stack stack) {
        String email = Stack.email("ghost");

        SalesApi.Answer answer = SalesApi.of(stack).stage(email, "{\"stage\": \"lead\", \"reason\": \"r\", \"actor\": \"sam\"}");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.errorFields()).containsExactly("email");
        assertThat(stack.exists(email)).isFalse();
    }

    @Test
    void bad_sales_signals_are_400_naming_each_field(Stack stack) {
        SalesApi api = SalesApi.of(stack);
        String email = lead(stack, "bad-signal");

        SalesApi.Answer noActor = writesNothing(stack, email, () -> api.accept(email, "{\"occurredAt\": \"yesterday\"}", null));
        SalesApi.Answer future = writesNothing(stack, email,
                () -> api.accept(email, "{\"actor\": \"sam\", \"occurredAt\": \"2999-01-01T00:00:00Z\"}", null));
        SalesApi.Answer badKey = writesNothing(stack, email, () -> api.accept(email, "{\"actor\": \"sam\"}", "not a key!"));
        SalesApi.Answer badType = writesNothing(stack, email, () -> api.activity(email, "{\"type\": \"lunch\", \"actor\": \"sam\"}"));
        SalesApi.Answer noType = writesNothing(stack, email, () -> api.activity(email, "{\"actor\": \"\"}"));

        assertThat(noActor.status()).isEqualTo(400);
        assertThat(noActor.errorFields()).containsExactly("actor", "occurredAt");
        assertThat(future.errorFields()).containsExactly("occurredAt");
        assertThat(badKey.errorFields()).containsExactly("Idempotency-Key");
        assertThat(badType.errorFields()).containsExactly("type");
        assertThat(badType.errors().get(0).path("message").asText()).contains("call, meeting or email");
        assertThat(noType.errorFields()).containsExactly("type", "actor");
    }

    @Test
    void an_invalid_email_in_the_path_is_400_naming_email_on_every_route(Stack stack) {
        SalesApi api = SalesApi.of(stack);
        List<SalesApi.Answer> answers = new ArrayList<>();
        for (String bad : List.of("not-an-email", "ana@", "a b@acme.com", "%zz@acme.com")) {
            answers.add(api.send("GET /contacts/{email}", "GET", "/contacts/" + bad, Map.of("email", bad), null, null, Map.of()));
            answers.add(api.send("DELETE /contacts/{email}", "DELETE", "/contacts/" + bad, Map.of("email", bad), null, null, Map.of()));
            answers.add(api.send("PUT /contacts/{email}/stage", "PUT", "/contacts/" + bad + "/stage", Map.of("email", bad),
                    "application/json", "{\"stage\": \"lead\", \"reason\": \"r\", \"actor\": \"sam\"}", Map.of()));
            answers.add(api.send("POST /contacts/{email}/sales-acceptance", "POST", "/contacts/" + bad + "/sales-acceptance",
                    Map.of("email", bad), "application/json", "{\"actor\": \"sam\"}", Map.of()));
            answers.add(api.send("POST /contacts/{email}/activities", "POST", "/contacts/" + bad + "/activities",
                    Map.of("email", bad), "application/json", "{\"type\": \"call\", \"actor\": \"sam\"}", Map.of()));
        }

        assertThat(answers).allSatisfy(a -> {
            assertThat(a.status()).as(a.toString()).isEqualTo(400);
            assertThat(a.errorFields()).containsExactly("email");
        });
    }

    @Test
    void malformed_JSON_is_400_naming_body_with_line_and_column(Stack stack) {
        SalesApi api = SalesApi.of(stack);
        String email = lead(stack, "bad-json");

        SalesApi.Answer broken = writesNothing(stack, email, () -> api.stage(email, "{\"stage\": \"customer\",\n  \"reason\": }"));
        SalesApi.Answer array = writesNothing(stack, email, () -> api.accept(email, "[\"sam\"]", null));
        SalesApi.Answer empty = writesNothing(stack, email, () -> api.activity(email, "  "));
        SalesApi.Answer importBroken = api.importContacts("{\"contacts\": [");

        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.errorFields()).containsExactly("body");
        assertThat(broken.errors().get(0).path("message").asText()).contains("not valid JSON").contains("line 2, column");
        assertThat(array.status()).isEqualTo(400);
        assertThat(array.errors().get(0).path("message").asText()).contains("JSON object");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.errorFields()).containsExactly("body");
        assertThat(importBroken.status()).isEqualTo(400);
        assertThat(importBroken.errors().get(0).path("message").asText()).contains("line 1");
    }

    @Test
    void a_body_over_64_KiB_is_413_and_an_import_over_2_MiB_too(Stack stack) {
        SalesApi api = SalesApi.of(stack);
        String email = lead(stack, "big-body");
        String big = "{\"actor\": \"sam\", \"pad\": \"" + "x".repeat(64 * 1024) + "\"}";
        String hugeImport = "{\"contacts\": [], \"pad\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}";

        SalesApi.Answer accept = writesNothing(stack, email, () -> api.accept(email, big, null));
        SalesApi.Answer stage = writesNothing(stack, email, () -> api.stage(email, big));
        SalesApi.Answer imports = api.importContacts(hugeImport);

        assertThat(accept.status()).isEqualTo(413);
        assertThat(accept.errorFields()).containsExactly("body");
        assertThat(stage.status()).isEqualTo(413);
        assertThat(imports.status()).isEqualTo(413);
        assertThat(imports.errors().get(0).path("message").asText()).contains("2 MiB");
    }

    @Test
    void a_body_of_another_content_type_is_415(Stack stack) {
        SalesApi api = SalesApi.of(stack);
        String email = lead(stack, "bad-type");
        String body = "{\"actor\": \"sam\"}";

        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", null}) {
            SalesApi.Answer answer = writesNothing(stack, email, () -> api.send("POST", "/contacts/{email}/sales-acceptance",
                    email, type, body, Map.of()));
            assertThat(answer.status()).as(String.valueOf(type)).isEqualTo(415);
            assertThat(answer.errorFields()).containsExactly("Content-Type");
        }
        SalesApi.Answer charset = api.send("POST", "/contacts/{email}/sales-acceptance", email, "application/json; charset=UTF-8",
                body, Map.of());
        assertThat(charset.status()).isEqualTo(202);
    }

    @Test
    void an_import_without_a_contacts_array_or_with_501_rows_is_400_and_writes_nothing(Stack stack) {
        SalesApi api = SalesApi.of(stack);
        String tag = Stack.email("bulk");
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 501; i++) {
            if (i > 0) rows.append(',');
            rows.append("{\"email\": \"row").append(i).append('-').append(tag).append("\", \"properties\": {\"jobtitle\": \"CTO\"}}");
        }

        SalesApi.Answer tooMany = api.importContacts("{\"contacts\": [" + rows + "]}");
        SalesApi.Answer none = api.importContacts("{\"rows\": []}");
        SalesApi.Answer notArray = api.importContacts("{\"contacts\": {\"email\": \"" + tag + "\"}}");

        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.errorFields()).containsExactly("contacts");
        assertThat(tooMany.errors().get(0).path("message").asText()).contains("500").contains("501");
        assertThat(stack.exists("row0-" + tag)).isFalse();
        assertThat(stack.exists("row500-" + tag)).isFalse();
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.errorFields()).containsExactly("contacts");
        assertThat(notArray.status()).isEqualTo(400);
        assertThat(stack.exists(tag)).isFalse();
    }

    @Test
    void an_unknown_route_is_404_and_a_known_path_with_another_method_405(Stack stack) {
        SalesApi api = SalesApi.of(stack);

        SalesApi.Answer unknown = api.send("$default", "GET", "/contacts", null, null, null, Map.of());
        SalesApi.Answer patch = api.send("$default", "PATCH", "/contacts/ana%40acme.com", null, null, null, Map.of());

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(patch.status()).isEqualTo(405);
    }
}
