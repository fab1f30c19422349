package dev.handoff.benchmarks.coldstart;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The yardstick: a handler that does the least a function of its trigger can — one PutItem — with the same SDK and
 * HTTP client as the project (they run from the function's own jar), the same event classes and the same table.
 */
final class BareHandlers {
    private BareHandlers() {}

    private static DynamoDbClient client() {
        return DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(System.getenv("AWS_REGION"))).build();
    }

    private static void putOne(DynamoDbClient dynamoDb, String body) {
        dynamoDb.putItem(b -> b.tableName(System.getenv("TABLE_NAME")).item(Map.of(
                "pk", AttributeValue.fromS("BARE#" + UUID.randomUUID()), "sk", AttributeValue.fromS("BARE"),
                "body", AttributeValue.fromS(body))));
    }

    /** A form post: one PutItem of its body, 202. */
    public static final class Form implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
        private final DynamoDbClient dynamoDb = client();

        @Override
        public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
            putOne(dynamoDb, event.getBody());
            return APIGatewayV2HTTPResponse.builder().withStatusCode(202).withBody("{}").build();
        }
    }

    /** An SQS batch: one PutItem of its first body, no failures. */
    public static final class Tracking implements RequestHandler<SQSEvent, SQSBatchResponse> {
        private final DynamoDbClient dynamoDb = client();

        @Override
        public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
            putOne(dynamoDb, event.getRecords().get(0).getBody());
            return SQSBatchResponse.builder().withBatchItemFailures(List.of()).build();
        }
    }
}
