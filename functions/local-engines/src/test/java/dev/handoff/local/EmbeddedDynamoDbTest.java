package dev.handoff.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

class EmbeddedDynamoDbTest {

    @Test
    void it_serves_on_loopback_with_its_own_database_and_stops_when_closed() {
        int port;
        try (EmbeddedDynamoDb ddb = new EmbeddedDynamoDb()) {
            port = ddb.port();
            assertThat(ddb.endpoint().toString()).isEqualTo("http://127.0.0.1:" + port);
            assertThat(ddb.client().listTables().tableNames()).isEmpty();
            assertThat(System.getProperty("sqlite4java.library.path")).isNotBlank();
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void a_port_already_taken_fails_loudly_instead_of_serving_nothing() throws Exception {
        // DynamoDBProxyServer.start() only prints a bind failure; EmbeddedDynamoDb must not pretend it started.
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> new EmbeddedDynamoDb(taken.getLocalPort()).close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("did not start on port " + taken.getLocalPort());
        }
    }

    @Test
    void with_a_data_directory_its_tables_and_items_outlive_a_restart(@TempDir Path data) {
        try (EmbeddedDynamoDb ddb = new EmbeddedDynamoDb(0, data.resolve("db"))) {
            assertThat(ddb.dataDir()).contains(data.resolve("db"));
            ddb.client().createTable(r -> r.tableName("kept")
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST));
            ddb.client().putItem(r -> r.tableName("kept").item(Map.of("pk", AttributeValue.fromS("x"), "v", AttributeValue.fromN("1"))));
        }
        try (EmbeddedDynamoDb again = new EmbeddedDynamoDb(0, data.resolve("db"))) {
            assertThat(again.client().listTables().tableNames()).containsExactly("kept");
            assertThat(again.client().getItem(r -> r.tableName("kept").key(Map.of("pk", AttributeValue.fromS("x")))).item())
                    .containsEntry("v", AttributeValue.fromN("1"));
        }
        try (EmbeddedDynamoDb inMemory = new EmbeddedDynamoDb()) {
            assertThat(inMemory.dataDir()).isEmpty();
            assertThat(inMemory.client().listTables().tableNames()).isEmpty();
        }
    }

    /** DynamoDB Local's stop() leaves its shard-rollover scheduler asleep in a non-daemon thread for hours. */
    @Test
    void closing_it_leaves_no_thread_that_would_keep_the_jvm_alive() throws InterruptedException {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (EmbeddedDynamoDb ddb = new EmbeddedDynamoDb()) {
            ddb.client().createTable(r -> r.tableName("with-stream")
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE)));
            ddb.client().putItem(r -> r.tableName("with-stream").item(Map.of("pk", AttributeValue.fromS("x"))));
            assertThat(dynamoDbLocalJobThreads(before)).isNotEmpty(); // the thread this test is about exists
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!dynamoDbLocalJobThreads(before).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(dynamoDbLocalJobThreads(before)).isEmpty();
    }

    private static List<Thread> dynamoDbLocalJobThreads(Set<Thread> except) {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> !except.contains(e.getKey()) && !e.getKey().isDaemon() && e.getKey().isAlive())
                .filter(e -> Arrays.stream(e.getValue())
                        .anyMatch(frame -> frame.getClassName().startsWith("com.amazonaws.services.dynamodbv2.local.shared.jobs.")))
                .map(Map.Entry::getKey)
                .toList();
    }
}
