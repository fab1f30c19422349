package dev.handoff.tools;

import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbServiceClientConfiguration;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * A DynamoDB client that can only read: the five read operations go to the real client, and every other operation
 * is the SDK interface's default, which throws {@link UnsupportedOperationException} without sending anything. The
 * what-if tool reads the table through the same repository the functions use, and this is what makes "writes
 * nothing" true by construction rather than by care.
 */
final class ReadOnlyDynamoDb implements DynamoDbClient {
    private final DynamoDbClient reads;

    ReadOnlyDynamoDb(DynamoDbClient reads) {
        this.reads = Objects.requireNonNull(reads, "reads");
    }

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
        return reads.getItem(request);
    }

    @Override
    public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
        return reads.batchGetItem(request);
    }

    @Override
    public QueryResponse query(QueryRequest request) {
        return reads.query(request);
    }

    @Override
    public ScanResponse scan(ScanRequest request) {
        return reads.scan(request);
    }

    @Override
    public DescribeTableResponse describeTable(DescribeTableRequest request) {
        return reads.describeTable(request);
    }

    @Override
    public DynamoDbServiceClientConfiguration serviceClientConfiguration() {
        return reads.serviceClientConfiguration();
    }

    @Override
    public String serviceName() {
        return reads.serviceName();
    }

    @Override
    public void close() {
        reads.close();
    }
}
