package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.aws.ContactTable;
import dev.handoff.aws.Env;
import dev.handoff.aws.Priming;
import dev.handoff.functions.alerts.DynamoDbStreamAlertHandler;
import dev.handoff.functions.form.ApiGatewayFormSubmissionHandler;
import dev.handoff.functions.qualification.DynamoDbStreamQualificationHandler;
import dev.handoff.functions.sales.ApiGatewaySalesApiHandler;
import dev.handoff.functions.tracking.SqsTrackingEventHandler;
import java.util.Map;
import java.util.stream.Stream;
import org.crac.Resource;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * SnapStart priming ({@code beforeCheckpoint}) of each handler, built as Lambda builds it (its Env constructor,
 * which registers it), against the stack: every step runs (the real request included), its twins print nothing, and
 * it stores nothing (the synthetic contact, its visitor and the refused write's key have no item afterwards).
 */
@ExtendWith(StackExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PrimingTest {

    static Stream<String> functions() {
        return Stream.of("form-submission", "tracking-events", "qualification", "alerts", "sales-api");
    }

    @ParameterizedTest
    @MethodSource("functions")
    void priming_before_the_checkpoint_writes_nothing_to_the_table(String function, Stack stack) throws Exception {
        Resource handler = switch (function) {
            case "form-submission" -> new ApiGatewayFormSubmissionHandler(new Env(stack.functionEnv));
            case "tracking-events" -> new SqsTrackingEventHandler(new Env(stack.functionEnv));
            case "qualification" -> new DynamoDbStreamQualificationHandler(new Env(stack.functionEnv));
            case "alerts" -> new DynamoDbStreamAlertHandler(new Env(stack.alertsEnv));
            case "sales-api" -> new ApiGatewaySalesApiHandler(new Env(stack.functionEnv));
            default -> throw new IllegalArgumentException(function);
        };

        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            handler.beforeCheckpoint(null);
            handler.afterRestore(null);
        } finally {
            System.setOut(original);
        }
        // One line, no step failed: the real request through the function's own client was made and refused.
        String lines = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(lines.lines().filter(l -> !l.isBlank()).toList()).singleElement().satisfies(line ->
                assertThat(line).contains("primed before snapshot").doesNotContain("\"failed\""));

        for (String pk : new String[] {ContactTable.CONTACT_PREFIX + Priming.EMAIL, ContactTable.VISITOR_PREFIX + "v-priming",
                Priming.PRIMING_KEY}) {
            assertThat(stack.dynamoDb.query(r -> r.tableName(Stack.TABLE).keyConditionExpression("pk = :pk")
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk)))).items())
                    .as("%s primed, items under %s", function, pk)
                    .isEmpty();
        }
    }
}
