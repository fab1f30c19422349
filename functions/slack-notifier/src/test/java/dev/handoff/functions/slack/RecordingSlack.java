package dev.handoff.functions.slack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for Slack's incoming webhook: an HTTP server on 127.0.0.1 that records every request it receives and
 * answers from a script ({@link #answer}), then {@code 200 ok}.
 */
final class RecordingSlack implements AutoCloseable {

    /** The path of the webhook, shaped like Slack's; its last segment plays the secret token. */
    static final String PATH = "/services/T0000TEST/B0000TEST/s3cr3tT0k3nD0N0tL0g";
    static final String TOKEN = "s3cr3tT0k3nD0N0tL0g";

    record Request(String method, String path, String contentType, String body) {}

    record Answer(int status, Map<String, String> headers, String body) {}

    private final HttpServer server;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Deque<Answer> script = new ArrayDeque<>();

    RecordingSlack() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The next answers, in order; once they are used up every request gets {@code 200 ok}. */
    synchronized RecordingSlack answer(int status, Map<String, String> headers, String body) {
        script.add(new Answer(status, headers, body));
        return this;
    }

    RecordingSlack answer(int status, String body) {
        return answer(status, Map.of(), body);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body));
            Answer answer;
            synchronized (this) {
                answer = script.isEmpty() ? new Answer(200, Map.of(), "ok") : script.poll();
            }
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
