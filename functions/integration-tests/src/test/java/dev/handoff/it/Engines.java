package dev.handoff.it;

import java.lang.reflect.InvocationTargetException;
import java.net.URI;

/**
 * The AWS-compatible engines one test JVM runs on: where DynamoDB (with Streams) answers, and where SNS, SQS and
 * EventBridge answer. Chosen once per JVM by the system property {@value #PROPERTY}:
 *
 * <ul>
 *   <li>{@code local} (the default): DynamoDB Local in this JVM and {@code moto_server} as a child process
 *       ({@link LocalEngines}). A missing {@code moto_server} fails the run with the line that installs it;
 *       nothing is ever skipped.</li>
 *   <li>{@code localstack} (the Maven profile {@code -Plocalstack} sets it): LocalStack in a container started by
 *       Testcontainers ({@code LocalStackEngines}, compiled only in that profile). When no Docker engine answers,
 *       the suite says so on stderr and runs on the local engines instead, so the profile never turns a green
 *       run red for want of Docker, and never pretends LocalStack ran.</li>
 * </ul>
 */
interface Engines extends AutoCloseable {

    String PROPERTY = "handoff.engines";
    String LOCAL = "local";
    String LOCALSTACK = "localstack";

    /** Human name for logs and reports, e.g. "DynamoDB Local 2.6 + moto_server". */
    String name();

    /** The DynamoDB and DynamoDB Streams endpoint. */
    URI dynamoDb();

    /** The SNS, SQS and EventBridge endpoint. */
    URI aws();

    /**
     * Whether SNS and EventBridge hand messages on after the call that sent them has returned (LocalStack) rather
     * than before (moto): when true, the stack waits for deliveries to settle instead of trusting one pass.
     */
    boolean deliversAsynchronously();

    @Override
    void close();

    static Engines start() {
        String wanted = System.getProperty(PROPERTY, LOCAL).trim();
        if (wanted.isEmpty() || wanted.equals(LOCAL)) return new LocalEngines();
        if (!wanted.equals(LOCALSTACK)) {
            throw new IllegalStateException("-D" + PROPERTY + "=" + wanted + " is not known: use " + LOCAL + " or " + LOCALSTACK);
        }
        Engines localStack = startLocalStack();
        if (localStack != null) return localStack;
        return new LocalEngines();
    }

    /**
     * LocalStack through Testcontainers, or null (with the reason printed) when it cannot run here. The class is
     * reached by name: it and Testcontainers are on the classpath only with {@code -Plocalstack}.
     */
    private static Engines startLocalStack() {
        Class<?> type;
        try {
            type = Class.forName("dev.handoff.it.LocalStackEngines");
        } catch (ClassNotFoundException e) {
            System.err.println("[handoff-it] -D" + PROPERTY + "=" + LOCALSTACK + " without the localstack profile: "
                    + "Testcontainers is not on the classpath (run with -Plocalstack). "
                    + "Running the suite on DynamoDB Local and moto_server instead.");
            return null;
        }
        try {
            return (Engines) type.getMethod("startIfDockerAvailable").invoke(null);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException("LocalStack did not start", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("LocalStackEngines.startIfDockerAvailable() cannot be called", e);
        }
    }
}
