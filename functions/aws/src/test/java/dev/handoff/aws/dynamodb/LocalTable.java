package dev.handoff.aws.dynamodb;

import dev.handoff.aws.ContactTable;
import dev.handoff.local.EmbeddedDynamoDb;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** DynamoDB Local in this JVM, with a fresh contacts table (defined by {@link ContactTable}) for each test. */
final class LocalTable implements AutoCloseable {
    private static final AtomicInteger TABLES = new AtomicInteger();

    private final EmbeddedDynamoDb engine = new EmbeddedDynamoDb();

    DynamoDbClient client() {
        return engine.client();
    }

    /** Creates a new table as the template defines it, with TTL on, and returns its name. */
    String newTable() {
        String name = "contacts-" + TABLES.incrementAndGet();
        ContactTable.create(client(), name);
        return name;
    }

    @Override
    public void close() {
        engine.close();
    }
}
