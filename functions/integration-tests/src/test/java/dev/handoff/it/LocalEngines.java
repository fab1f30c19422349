package dev.handoff.it;

import dev.handoff.local.EmbeddedDynamoDb;
import dev.handoff.local.MotoServer;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * DynamoDB Local, in this JVM and in memory, and {@code moto_server} (SNS, SQS, EventBridge) as a child process,
 * both on 127.0.0.1 and free ports. {@link MotoServer} fails with {@value MotoServer#INSTALL_LINE} when
 * {@code moto_server} is missing: the suite then fails, it does not skip.
 */
final class LocalEngines implements Engines {
    private final EmbeddedDynamoDb dynamoDb;
    private final MotoServer moto;

    /** Starts both at once: moto_server's Python start and DynamoDB Local's JVM start overlap. */
    LocalEngines() {
        long t0 = System.nanoTime();
        CompletableFuture<MotoServer> motoStarting = CompletableFuture.supplyAsync(MotoServer::new);
        EmbeddedDynamoDb ddb;
        try {
            ddb = new EmbeddedDynamoDb();
        } catch (RuntimeException e) {
            motoStarting.thenAccept(MotoServer::close);
            throw e;
        }
        long ddbMillis = (System.nanoTime() - t0) / 1_000_000;
        try {
            this.moto = motoStarting.join();
        } catch (CompletionException e) {
            ddb.close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        this.dynamoDb = ddb;
        System.err.printf("[handoff-it] DynamoDB Local up in %d ms, moto_server in %d ms (started together)%n",
                ddbMillis, (System.nanoTime() - t0) / 1_000_000);
    }

    @Override
    public String name() {
        return "DynamoDB Local (in-process, " + dynamoDb.endpoint() + ") + moto_server (" + moto.endpoint() + ")";
    }

    @Override
    public URI dynamoDb() {
        return dynamoDb.endpoint();
    }

    @Override
    public URI aws() {
        return moto.endpoint();
    }

    @Override
    public boolean deliversAsynchronously() {
        return false;
    }

    @Override
    public void close() {
        try {
            moto.close();
        } finally {
            dynamoDb.close();
        }
    }
}
