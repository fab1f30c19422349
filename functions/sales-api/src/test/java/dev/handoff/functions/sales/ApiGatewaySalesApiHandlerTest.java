package dev.handoff.functions.sales;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.tests.annotations.Event;
import dev.handoff.aws.ContactTable;
import dev.handoff.aws.DynamoDbContacts;
import dev.handoff.aws.Env;
import dev.handoff.aws.dynamodb.LocalTable;
import dev.handoff.core.EmailAddress;
import dev.handoff.core.FormType;
import dev.handoff.core.Reason;
import dev.handoff.core.Stage;
import dev.handoff.core.StageMove;
import dev.handoff.core.app.FormSubmission;
import dev.handoff.core.app.SalesDesk;
import dev.handoff.core.app.SqlAlert;
import dev.handoff.core.policy.Policy;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The sales API handler alone, fed events/sales-api-stage-move.json (a person moves ana@acme.com into SQL through
 * the IAM-authorised HTTP API), on DynamoDB Local in this JVM.
 */
@ExtendWith(LocalTable.Shared.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ApiGatewaySalesApiHandlerTest {
    private static final Policy POLICY = new Env(Map.of(Env.POLICY, "score-threshold")).policy();
    private static final String ANA = "ana@acme.com";

    private LocalTable dynamoDb;
    private String table;
    private DynamoDbContacts contacts;
    private ApiGatewaySalesApiHandler handler;

    @BeforeEach
    void freshTable(LocalTable dynamoDb) {
        this.dynamoDb = dynamoDb;
        table = dynamoDb.newTable();
        contacts = new DynamoDbContacts(dynamoDb.client(), table, POLICY.engagementWindowDays());
        handler = new ApiGatewaySalesApiHandler(new SalesDesk(contacts, POLICY, Clock.systemUTC()), Clock.systemUTC(), dev.handoff.aws.Log.stdout(dev.handoff.aws.ContactHash.withKey("handler-test-key-0123456789")));
    }

    /** A lead: an ebook download by someone below the MQL fit. */
    private void lead() {
        contacts.recordSubmission(new FormSubmission("sub-1", "ebook-download", FormType.CONTENT, EmailAddress.parse(ANA),
                Map.of("firstname", "Ana", "jobtitle", "Engineer"), null, Instant.now()));
        contacts.recordMoves(ANA, 1, List.of(new StageMove(null, Stage.LEAD, Instant.now(), Reason.FORM_SUBMISSION,
                StageMove.POLICY_ACTOR, POLICY.version(), null)), null);
    }

    @ParameterizedTest
    @Event(value = "events/sales-api-stage-move.json", type = APIGatewayV2HTTPEvent.class)
    void a_persons_move_into_SQL_is_recorded_with_its_alert_whose_reason_is_manual(APIGatewayV2HTTPEvent request) {
        lead();

        APIGatewayV2HTTPResponse response = handler.handleRequest(request, null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getBody()).contains("\"lifecycleStage\":\"salesqualifiedlead\"", "\"moved\":true");
        assertThat(contacts.load(ANA).orElseThrow().contact().stage()).isEqualTo(Stage.SALES_QUALIFIED_LEAD);
        assertThat(alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.reasonCode()).isEqualTo("manual");
            assertThat(alert.reasonDetail()).isEqualTo("asked for a quote on the phone");
            assertThat(alert.from()).isEqualTo(Stage.LEAD);
        });
    }

    @ParameterizedTest
    @Event(value = "events/sales-api-stage-move.json", type = APIGatewayV2HTTPEvent.class)
    void the_same_request_sent_again_changes_nothing_and_alerts_once(APIGatewayV2HTTPEvent request) {
        lead();
        handler.handleRequest(request, null);

        APIGatewayV2HTTPResponse again = handler.handleRequest(request, null);

        assertThat(again.getStatusCode()).isEqualTo(200);
        assertThat(again.getBody()).contains("\"moved\":false");
        assertThat(alerts()).hasSize(1);
    }

    @ParameterizedTest
    @Event(value = "events/sales-api-stage-move.json", type = APIGatewayV2HTTPEvent.class)
    void a_contact_nobody_holds_is_404_and_nothing_is_written(APIGatewayV2HTTPEvent request) {
        APIGatewayV2HTTPResponse response = handler.handleRequest(request, null);

        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(contacts.load(ANA)).isEmpty();
    }

    @ParameterizedTest
    @Event(value = "events/sales-api-stage-move.json", type = APIGatewayV2HTTPEvent.class)
    void a_move_without_a_reason_is_refused_naming_the_field(APIGatewayV2HTTPEvent request) {
        lead();
        request.setBody("{\"stage\": \"salesqualifiedlead\", \"actor\": \"sam\"}");

        APIGatewayV2HTTPResponse response = handler.handleRequest(request, null);

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getBody()).contains("\"field\":\"reason\"");
        assertThat(contacts.load(ANA).orElseThrow().contact().stage()).isEqualTo(Stage.LEAD);
        assertThat(alerts()).isEmpty();
    }

    private List<SqlAlert> alerts() {
        return dynamoDb.items(table, ContactTable.contactKey(ANA), ContactTable.ALERT_PREFIX).stream()
                .map(DynamoDbContacts::alertFromItem).toList();
    }
}
