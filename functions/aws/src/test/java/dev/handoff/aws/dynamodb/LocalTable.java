package dev.handoff.aws.dynamodb;

import dev.handoff.aws.ContactTable;
import dev.handoff.local.EmbeddedDynamoDb;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * DynamoDB Local in this JVM, with a fresh contacts table (defined by {@link ContactTable}) for each test. Shared
 * with the function modules' handler tests (this module's test-jar), one per test JVM through {@link Shared}.
 */
public final class LocalTable implements AutoCloseable {
    private static final AtomicInteger TABLES = new AtomicInteger();

    private final EmbeddedDynamoDb engine = new EmbeddedDynamoDb();

    public DynamoDbClient client() {
        return engine.client();
    }

    /** Creates a new table as the template defines it, with TTL on, and returns its name. */
    public String newTable() {
        String name = "contacts-" + TABLES.incrementAndGet();
        ContactTable.create(client(), name);
        return name;
    }

    /** The items of partition {@code pk} of {@code table} whose sort key begins with {@code skPrefix} ("" for all). */
    public List<Map<String, AttributeValue>> items(String table, String pk, String skPrefix) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":pk", AttributeValue.fromS(pk));
        if (!skPrefix.isEmpty()) values.put(":sk", AttributeValue.fromS(skPrefix));
        return client().query(q -> q.tableName(table).consistentRead(true)
                .keyConditionExpression(skPrefix.isEmpty() ? "pk = :pk" : "pk = :pk AND begins_with(sk, :sk)")
                .expressionAttributeValues(values)).items();
    }

    @Override
    public void close() {
        engine.close();
    }

    /**
     * Hands one {@link LocalTable} to every test that asks for one as a parameter ({@code @ExtendWith(Shared.class)});
     * it lives in JUnit's root store, which closes it when the run ends.
     */
    public static final class Shared implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == LocalTable.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(ExtensionContext.Namespace.create(LocalTable.class))
                    .getOrComputeIfAbsent("dynamodb", key -> new LocalTable(), LocalTable.class);
        }
    }
}
