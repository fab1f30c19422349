package dev.handoff.functions.form;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.handoff.aws.DynamoDbContacts;
import dev.handoff.aws.Env;
import dev.handoff.aws.dynamodb.LocalTable;
import dev.handoff.core.Signal;
import dev.handoff.core.app.FormIntake;
import dev.handoff.core.app.Ingest;
import dev.handoff.core.app.StoredContact;
import dev.handoff.core.policy.Policy;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The form handler alone, fed the sample posts of events/ (the same files {@code sam local invoke -e} plays),
 * on DynamoDB Local in this JVM.
 */
@ExtendWith(LocalTable.Shared.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ApiGatewayFormSubmissionHandlerTest {
    private static final Policy POLICY = new Env(Map.of(Env.POLICY, "score-threshold")).policy();

    private DynamoDbContacts contacts;
    private ApiGatewayFormSubmissionHandler handler;

    @BeforeEach
    void freshTable(LocalTable dynamoDb) {
        String table = dynamoDb.newTable();
        contacts = new DynamoDbContacts(dynamoDb.client(), table, POLICY.engagementWindowDays());
        handler = new ApiGatewayFormSubmissionHandler(new FormIntake(POLICY), new Ingest(contacts), Clock.systemUTC(), dev.handoff.aws.Log.stdout(dev.handoff.aws.ContactHash.withKey("handler-test-key-0123456789")));
    }

    @ParameterizedTest
    @Event(value = "events/form-submission-json.json", type = APIGatewayV2HTTPEvent.class)
    void the_sample_JSON_post_is_accepted_under_its_idempotency_key_and_stored(APIGatewayV2HTTPEvent post) {
        APIGatewayV2HTTPResponse response = handler.handleRequest(post, null);

        assertThat(response.getStatusCode()).isEqualTo(202);
        assertThat(response.getBody()).isEqualTo("{\"submissionId\":\"sub-0001\"}");
        StoredContact stored = contacts.load("ana@acme.com").orElseThrow();
        assertThat(stored.contact().properties()).containsEntry("firstname", "Ana").containsEntry("jobtitle", "VP Engineering")
                .containsEntry("numberofemployees", "500");
        assertThat(stored.contact().signals()).singleElement().isInstanceOf(Signal.FormSubmitted.class);
    }

    @ParameterizedTest
    @Event(value = "events/form-submission-json.json", type = APIGatewayV2HTTPEvent.class)
    void the_same_post_delivered_twice_is_recorded_once(APIGatewayV2HTTPEvent post) {
        assertThat(handler.handleRequest(post, null).getStatusCode()).isEqualTo(202);
        assertThat(handler.handleRequest(post, null).getStatusCode()).isEqualTo(202);

        assertThat(contacts.load("ana@acme.com").orElseThrow().contact().signals()).hasSize(1);
    }

    @ParameterizedTest
    @Event(value = "events/form-submission-urlencoded.json", type = APIGatewayV2HTTPEvent.class)
    void the_sample_plain_HTML_form_post_is_accepted_its_empty_honeypot_no_trap(APIGatewayV2HTTPEvent post) {
        APIGatewayV2HTTPResponse response = handler.handleRequest(post, null);

        assertThat(response.getStatusCode()).isEqualTo(202);
        assertThat(contacts.load("bo@globex.com").orElseThrow().contact().properties())
                .containsEntry("company", "Globex").containsEntry("jobtitle", "Marketing Manager");
    }

    @ParameterizedTest
    @Event(value = "events/form-submission-json.json", type = APIGatewayV2HTTPEvent.class)
    void a_post_without_an_email_is_refused_naming_the_field_and_nothing_is_stored(APIGatewayV2HTTPEvent post) {
        post.setBody(post.getBody().replace("\"email\": \"ana@acme.com\", ", ""));

        APIGatewayV2HTTPResponse response = handler.handleRequest(post, null);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getBody()).contains("\"field\":\"email\"");
        assertThat(contacts.load("ana@acme.com")).isEmpty();
    }

    @ParameterizedTest
    @Event(value = "events/form-submission-json.json", type = APIGatewayV2HTTPEvent.class)
    void a_form_the_policy_does_not_list_is_404(APIGatewayV2HTTPEvent post) {
        post.getPathParameters().put("formId", "no-such-form");

        assertThat(handler.handleRequest(post, null).getStatusCode()).isEqualTo(404);
        assertThat(contacts.load("ana@acme.com")).isEmpty();
    }
}
