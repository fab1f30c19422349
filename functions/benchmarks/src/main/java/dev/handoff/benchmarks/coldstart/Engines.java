package dev.handoff.benchmarks.coldstart;

import dev.handoff.aws.ContactTable;
import dev.handoff.local.EmbeddedDynamoDb;
import dev.handoff.local.LocalAws;
import dev.handoff.local.MotoServer;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * What the measured functions talk to, started once by the driver: DynamoDB Local (in this JVM) with the contacts
 * table, and moto_server holding the contact-hash key that every function reads at init. Each is exercised once
 * here, so that its own first-request costs are not charged to a measured function.
 */
final class Engines implements AutoCloseable {
    static final String TABLE = "handoff-contacts";

    private final EmbeddedDynamoDb dynamoDb;
    private final MotoServer moto;
    private final String hashKeyArn;

    private Engines(EmbeddedDynamoDb dynamoDb, MotoServer moto, String hashKeyArn) {
        this.dynamoDb = dynamoDb;
        this.moto = moto;
        this.hashKeyArn = hashKeyArn;
    }

    static Engines start() {
        EmbeddedDynamoDb ddb = new EmbeddedDynamoDb();
        ContactTable.create(ddb.client(), TABLE);
        MotoServer moto = new MotoServer();
        try (SecretsManagerClient secrets = LocalAws.configure(SecretsManagerClient.builder(), moto.endpoint()).build()) {
            String arn = secrets.createSecret(b -> b.name("handoff/contact-hash-key")
                    .secretString("cold-start-contact-hash-key-0123456789abcdef")).arn();
            secrets.getSecretValue(b -> b.secretId(arn));
            return new Engines(ddb, moto, arn);
        } catch (RuntimeException e) {
            moto.close();
            ddb.close();
            throw e;
        }
    }

    /**
     * A function's environment as template.yaml and Lambda give it: its variables, region and (dummy) credentials,
     * the SDK's endpoint variables pointing here, the trace header active tracing sets, no config files.
     */
    Map<String, String> env(String function) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TABLE_NAME", TABLE);
        env.put("POLICY", "score-threshold");
        env.put("CONTACT_HASH_SECRET_ARN", hashKeyArn);
        env.put("AWS_LAMBDA_FUNCTION_NAME", "handoff-" + function);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        env.put("_X_AMZN_TRACE_ID", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_SESSION_TOKEN", "local");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("AWS_CONFIG_FILE", "/nonexistent/aws-config");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/aws-credentials");
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynamoDb.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", moto.endpoint().toString());
        env.put("TZ", ":UTC");
        env.put("LANG", "en_US.UTF-8");
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        return env;
    }

    @Override
    public void close() {
        moto.close();
        dynamoDb.close();
    }
}
