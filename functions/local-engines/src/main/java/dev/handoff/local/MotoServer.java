package dev.handoff.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * A {@code moto_server} subprocess on 127.0.0.1: SNS, SQS and EventBridge for integration tests.
 *
 * <p>Only those three: moto's DynamoDB is not faithful enough (use {@link EmbeddedDynamoDb}). When
 * {@code moto_server} cannot be found this fails loudly with the install line, {@value #INSTALL_LINE}: a test
 * that needs it must fail, never skip. The process (and anything it spawned) is destroyed on {@link #close()}, and
 * by a shutdown hook if the JVM exits first.
 */
public final class MotoServer implements AutoCloseable {

    /** What to run to get {@code moto_server}; it appears verbatim in the error when the executable is missing. */
    public static final String INSTALL_LINE = "pip install \"moto[server]\"";

    public static final String DEFAULT_EXECUTABLE = "moto_server";
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);

    private static final int FREE_PORT_ATTEMPTS = 3;
    private static final int LOG_TAIL_LINES = 30;

    private final Process process;
    private final int port;
    private final Path log;
    private final Thread shutdownHook;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private boolean closed;

    /** Starts {@code moto_server} from the PATH on a free port. */
    public MotoServer() {
        this(DEFAULT_EXECUTABLE);
    }

    /** Starts {@code executable} (a name looked up on the PATH, or a path) on a free port. */
    public MotoServer(String executable) {
        this(executable, 0, DEFAULT_START_TIMEOUT);
    }

    /**
     * Starts {@code executable} on {@code port} (0: a free one) and waits up to {@code startTimeout} for it to
     * answer HTTP.
     *
     * @throws IllegalStateException when the executable is missing (the message holds {@link #INSTALL_LINE}), when
     *     it exits early, or when it does not answer in time (the message holds the tail of its output)
     */
    public MotoServer(String executable, int port, Duration startTimeout) {
        Objects.requireNonNull(executable, "executable");
        Objects.requireNonNull(startTimeout, "startTimeout");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 (any free port) or 1..65535, was " + port);
        }
        String resolved = resolve(executable);
        try {
            this.log = Files.createTempFile("handoff-moto-", ".log");
            log.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create moto_server's log file", e);
        }
        Started started = startWithRetries(resolved, executable, port, startTimeout);
        this.process = started.process();
        this.port = started.port();
        this.shutdownHook = new Thread(this::destroyProcess, "moto_server-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    private record Started(Process process, int port) {
    }

    private Started startWithRetries(String resolved, String executable, int port, Duration startTimeout) {
        // A free port found here can be taken before moto binds it; moto then exits, and another port is tried.
        int attempts = port == 0 ? FREE_PORT_ATTEMPTS : 1;
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            int candidate = port == 0 ? Loopback.freePort() : port;
            Process started = launch(resolved, executable, candidate);
            try {
                awaitReady(started, candidate, startTimeout);
                return new Started(started, candidate);
            } catch (IllegalStateException e) {
                destroy(started);
                last = e;
            }
        }
        throw last;
    }

    private Process launch(String resolved, String executable, int port) {
        ProcessBuilder builder = new ProcessBuilder(resolved, "-H", Loopback.HOST, "-p", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        // moto reads no AWS credentials, but keep a developer's real ones out of its environment all the same.
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        try {
            return builder.start();
        } catch (IOException e) {
            throw missing(executable, e);
        }
    }

    private void awaitReady(Process started, int port, Duration timeout) {
        URI probe = URI.create("http://" + Loopback.HOST + ":" + port + "/moto-api/");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!started.isAlive()) {
                throw new IllegalStateException("moto_server exited with code " + started.exitValue()
                        + " before answering on port " + port + ". Its output:\n" + logTail());
            }
            try {
                HttpRequest request = HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(2)).GET().build();
                http.send(request, HttpResponse.BodyHandlers.discarding());
                return; // any HTTP answer means it is serving
            } catch (IOException e) {
                sleep(100); // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for moto_server", e);
            }
        }
        throw new IllegalStateException("moto_server did not answer on port " + port + " within " + timeout
                + ". Its output:\n" + logTail());
    }

    /** Finds the executable on the PATH (or checks a given path) so that a missing one fails with the install line. */
    private static String resolve(String executable) {
        if (executable.contains(File.separator)) {
            File file = new File(executable);
            if (file.isFile() && file.canExecute()) {
                return file.getAbsolutePath();
            }
            throw missing(executable, null);
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                File candidate = new File(dir, executable);
                if (candidate.isFile() && candidate.canExecute()) {
                    return candidate.getAbsolutePath();
                }
            }
        }
        throw missing(executable, null);
    }

    private static IllegalStateException missing(String executable, Throwable cause) {
        return new IllegalStateException("'" + executable + "' was not found on the PATH; the integration tests need "
                + "moto's server for SNS, SQS and EventBridge. Install it with: " + INSTALL_LINE, cause);
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(could not read " + log + ": " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for moto_server", e);
        }
    }

    /** {@code http://127.0.0.1:PORT}: the endpoint override for SNS, SQS and EventBridge clients. */
    public URI endpoint() {
        return URI.create("http://" + Loopback.HOST + ":" + port);
    }

    public int port() {
        return port;
    }

    /** Where moto's own output goes (one line per request): worth a look when a test against it fails. */
    public Path logFile() {
        return log;
    }

    /** A new SQS client for this server; the caller closes it. */
    public SqsClient sqsClient() {
        return LocalAws.configure(SqsClient.builder(), endpoint()).build();
    }

    /** Forgets every queue, topic, bus and message (moto's {@code POST /moto-api/reset}), for test isolation. */
    public void reset() {
        HttpRequest request = HttpRequest.newBuilder(endpoint().resolve("/moto-api/reset"))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("moto reset answered " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("moto reset failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during moto reset", e);
        }
    }

    /** Destroys moto_server and its children. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        destroyProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook runs (or ran) destroyProcess, which is harmless twice.
        }
    }

    private void destroyProcess() {
        destroy(process);
    }

    private static void destroy(Process process) {
        // Children first: pyenv shims and wrappers can leave the real Python process as a child.
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }
}
