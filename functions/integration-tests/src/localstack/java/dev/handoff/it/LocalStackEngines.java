package dev.handoff.it;

import java.net.URI;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * LocalStack (DynamoDB with Streams, SNS, SQS, EventBridge) in one container started by Testcontainers: compiled
 * and on the classpath only with {@code -Plocalstack}.
 *
 * <p>Docker is checked first with Testcontainers' own {@link DockerClientFactory#isDockerAvailable()}, which tries
 * every way Testcontainers knows to reach an engine (DOCKER_HOST, the socket, ~/.testcontainers.properties, ...).
 * On a machine where only the Docker client is installed (the {@code docker} command answers, no engine runs) it
 * answers false, and the suite runs on the local engines instead, saying so.
 *
 * <p>LocalStack's SNS and EventBridge deliver to SQS asynchronously, so this reports
 * {@link #deliversAsynchronously()} and the stack waits for deliveries to settle.
 */
public final class LocalStackEngines implements Engines {
    /** Pinned: a moving tag would make the suite's results change on their own. */
    static final String IMAGE = "localstack/localstack:3.8.1";

    static final String NO_DOCKER = "Docker is not available: running the suite on DynamoDB Local and moto_server instead";

    private final LocalStackContainer container;

    private LocalStackEngines(LocalStackContainer container) {
        this.container = container;
    }

    /** LocalStack when a Docker engine answers; null, after printing why, when none does. */
    public static Engines startIfDockerAvailable() {
        boolean docker;
        try {
            docker = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            docker = false;
        }
        if (!docker) {
            System.err.println("[handoff-it] " + NO_DOCKER);
            return null;
        }
        LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(IMAGE))
                .withServices(
                        LocalStackContainer.Service.DYNAMODB,
                        LocalStackContainer.Service.DYNAMODB_STREAMS,
                        LocalStackContainer.Service.SNS,
                        LocalStackContainer.Service.SQS,
                        LocalStackContainer.EnabledService.named("events"));
        container.start();
        System.err.println("[handoff-it] running the suite on LocalStack " + IMAGE + " at " + container.getEndpoint());
        return new LocalStackEngines(container);
    }

    @Override
    public String name() {
        return "LocalStack " + IMAGE + " (" + container.getEndpoint() + ")";
    }

    @Override
    public URI dynamoDb() {
        return container.getEndpoint();
    }

    @Override
    public URI aws() {
        return container.getEndpoint();
    }

    @Override
    public boolean deliversAsynchronously() {
        return true;
    }

    @Override
    public void close() {
        container.stop();
    }
}
