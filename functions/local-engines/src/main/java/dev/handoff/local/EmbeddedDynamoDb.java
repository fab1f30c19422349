package dev.handoff.local;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.AbstractLocalDynamoDBServerHandler;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.shared.access.LocalDBClient;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * DynamoDB Local (the real engine AWS ships, streams included), running in this JVM on 127.0.0.1, in memory or,
 * given a directory, in its file-backed mode (one SQLite file there that outlives the JVM).
 *
 * <pre>{@code
 * try (EmbeddedDynamoDb ddb = new EmbeddedDynamoDb()) {
 *     ddb.client().createTable(...);
 * }
 * }</pre>
 *
 * <p>Runs with {@code -sharedDb}, so every client sees the same tables whatever its credentials and region (a
 * handler that builds its own client still lands in the same database), and with {@code -disableTelemetry}, so
 * nothing is sent anywhere. The JVM should run with {@code --enable-native-access=ALL-UNNAMED} on JDK 24+, since
 * sqlite4java loads a native library.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EmbeddedDynamoDb.class.getName());
    private static final int FREE_PORT_ATTEMPTS = 3;

    private final DynamoDBProxyServer server;
    private final int port;
    private final Path dataDir;
    private DynamoDbClient client;
    private DynamoDbStreamsClient streamsClient;
    private boolean closed;

    /** Starts on a free port. */
    public EmbeddedDynamoDb() {
        this(0);
    }

    /** Starts on {@code port}, or on a free port when {@code port} is 0, in memory. */
    public EmbeddedDynamoDb(int port) {
        this(port, null);
    }

    /**
     * Starts on {@code port} (0: a free port), keeping its tables in {@code dataDir} (created when missing) across
     * restarts, or in memory when {@code dataDir} is null.
     */
    public EmbeddedDynamoDb(int port, Path dataDir) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 (any free port) or 1..65535, was " + port);
        }
        if (dataDir != null) {
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new IllegalStateException("cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
            }
        }
        Sqlite4javaNative.ensureLibraryPath();
        Started started = startOn(port, dataDir);
        this.server = started.server();
        this.port = started.port();
        this.dataDir = dataDir;
    }

    private record Started(DynamoDBProxyServer server, int port) {
    }

    private static Started startOn(int port, Path dataDir) {
        // A free port found here can be taken by someone else before Jetty binds it: try again on another one.
        int attempts = port == 0 ? FREE_PORT_ATTEMPTS : 1;
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            int candidate = port == 0 ? Loopback.freePort() : port;
            try {
                return new Started(start(candidate, dataDir), candidate);
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    private static DynamoDBProxyServer start(int port, Path dataDir) {
        DynamoDBProxyServer server;
        String[] storage = dataDir == null
                ? new String[] {"-inMemory"}
                : new String[] {"-dbPath", dataDir.toAbsolutePath().toString()};
        String[] rest = {"-sharedDb", "-disableTelemetry", "-port", Integer.toString(port)};
        String[] args = new String[storage.length + rest.length];
        System.arraycopy(storage, 0, args, 0, storage.length);
        System.arraycopy(rest, 0, args, storage.length, rest.length);
        try {
            server = ServerRunner.createServerFromCommandLineArgs(args);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local rejected its command line", e);
        }
        Server jetty = jettyOf(server);
        bindToLoopback(jetty);
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            throw new IllegalStateException("DynamoDB Local did not start on port " + port, e);
        }
        // DynamoDBProxyServer.start() prints and swallows a bind failure (port in use) instead of throwing.
        if (jetty != null && !jetty.isStarted()) {
            stopQuietly(server);
            throw new IllegalStateException("DynamoDB Local did not start on port " + port + " (port in use?)");
        }
        return server;
    }

    /** DynamoDBProxyServer keeps its Jetty server private; it is reached to bind to loopback and check startup. */
    private static Server jettyOf(DynamoDBProxyServer server) {
        try {
            return (Server) read(DynamoDBProxyServer.class, "server", server);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "DynamoDB Local's Jetty server is not reachable; it listens on all interfaces", e);
            return null;
        }
    }

    /** Jetty's {@code new Server(port)} listens on every interface; a developer's database stays on loopback. */
    private static void bindToLoopback(Server jetty) {
        if (jetty == null) {
            return;
        }
        for (Connector connector : jetty.getConnectors()) {
            if (connector instanceof ServerConnector serverConnector) {
                serverConnector.setHost(Loopback.HOST);
            }
        }
    }

    private static void stopQuietly(DynamoDBProxyServer server) {
        List<Object> databases = databasesOf(server);
        try {
            server.stop();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "DynamoDB Local did not stop cleanly", e);
        }
        // stop() shuts its job pool down gently, but the shard-rollover scheduler sleeps for hours between runs
        // in a non-daemon thread: without an interrupt, a JVM that used streams could not exit by itself.
        for (Object database : databases) {
            if (database instanceof LocalDBClient client) {
                client.shutdownNow();
            }
        }
    }

    /**
     * DynamoDB Local's databases (one with -sharedDb), reached through its private fields:
     * DynamoDBProxyServer.serverHandler, AbstractLocalDynamoDBServerHandler.primaryHandler,
     * LocalDynamoDBRequestHandler.dbRequestHandlers. Taken before stop(); empty if DynamoDB Local's insides
     * changed, in which case its job thread may outlive close() (logged).
     */
    private static List<Object> databasesOf(DynamoDBProxyServer server) {
        try {
            Object serverHandler = read(DynamoDBProxyServer.class, "serverHandler", server);
            Object primaryHandler = read(AbstractLocalDynamoDBServerHandler.class, "primaryHandler", serverHandler);
            if (!(primaryHandler instanceof LocalDynamoDBRequestHandler)) {
                return List.of();
            }
            Map<?, ?> databases = (Map<?, ?>) read(LocalDynamoDBRequestHandler.class, "dbRequestHandlers", primaryHandler);
            return new ArrayList<>(databases.values());
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot reach DynamoDB Local's job pool (not version "
                    + "2.6.x?): its shard-rollover thread may keep the JVM alive after close()", e);
            return List.of();
        }
    }

    private static Object read(Class<?> owner, String field, Object target) throws ReflectiveOperationException {
        Field f = owner.getDeclaredField(field);
        f.setAccessible(true);
        return f.get(target);
    }

    /** {@code http://127.0.0.1:PORT}: the endpoint override for DynamoDB and DynamoDB Streams clients. */
    public URI endpoint() {
        return URI.create("http://" + Loopback.HOST + ":" + port);
    }

    public int port() {
        return port;
    }

    /** Where the tables are kept, or empty when they live in memory. */
    public Optional<Path> dataDir() {
        return Optional.ofNullable(dataDir);
    }

    /** A DynamoDB client for this engine (one per instance, closed with it). */
    public synchronized DynamoDbClient client() {
        ensureOpen();
        if (client == null) {
            client = LocalAws.configure(DynamoDbClient.builder(), endpoint()).build();
        }
        return client;
    }

    /** A DynamoDB Streams client for this engine (one per instance, closed with it). */
    public synchronized DynamoDbStreamsClient streamsClient() {
        ensureOpen();
        if (streamsClient == null) {
            streamsClient = LocalAws.configure(DynamoDbStreamsClient.builder(), endpoint()).build();
        }
        return streamsClient;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("EmbeddedDynamoDb is closed");
        }
    }

    /** Stops the engine; in-memory tables are gone, file-backed ones stay in the data directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (client != null) {
            client.close();
        }
        if (streamsClient != null) {
            streamsClient.close();
        }
        stopQuietly(server);
    }
}
