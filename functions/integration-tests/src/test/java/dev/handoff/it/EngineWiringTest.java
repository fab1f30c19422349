package dev.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.handoff.aws.Clients;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sns.SnsClient;

@ExtendWith(StackExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EngineWiringTest {

    @Test
    void the_functions_clients_find_the_engines_through_the_SDKs_standard_settings_alone(Stack stack) {
        assertThat(System.getenv().keySet()).noneMatch(name -> name.startsWith("AWS_ENDPOINT_URL"));
        try (DynamoDbClient ddb = Clients.dynamoDb(); SnsClient sns = Clients.sns(); EventBridgeClient events = Clients.eventBridge()) {
            assertThat(ddb.serviceClientConfiguration().endpointOverride()).contains(stack.engines.dynamoDb());
            assertThat(sns.serviceClientConfiguration().endpointOverride()).contains(stack.engines.aws());
            assertThat(events.serviceClientConfiguration().endpointOverride()).contains(stack.engines.aws());
            assertThat(ddb.serviceClientConfiguration().region().id()).isEqualTo("us-east-1");

            // And they reach them: the table, the topic and the bus the stack made are there.
            assertThat(ddb.describeTable(r -> r.tableName(Stack.TABLE)).table().streamSpecification().streamViewTypeAsString())
                    .isEqualTo("NEW_AND_OLD_IMAGES");
            assertThat(sns.listTopics().topics()).anyMatch(t -> t.topicArn().equals(stack.alertsTopicArn));
            assertThat(events.describeEventBus(r -> r.name(Stack.BUS)).name()).isEqualTo(Stack.BUS);
        }
    }

    @Test
    void the_table_has_time_to_live_on_its_ttl_attribute_as_the_template_defines_it(Stack stack) {
        var ttl = stack.dynamoDb.describeTimeToLive(r -> r.tableName(Stack.TABLE)).timeToLiveDescription();
        assertThat(ttl.attributeName()).isEqualTo("ttl");
        assertThat(ttl.timeToLiveStatusAsString()).isIn("ENABLED", "ENABLING");
    }
}
