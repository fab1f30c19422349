package dev.handoff.localstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The local stack's one port. {@code POST /} is both EventBridge (JSON 1.1 with {@code X-Amz-Target:
 * AWSEvents.PutEvents}, as the AWS CLI and SDK send it) and the SNS alerts topic (the query protocol's
 * {@code Action=Publish}, as the alert function's SDK client sends it); everything else goes to the API routes.
 */
final class LocalHttpServer implements AutoCloseable {
    static final int MAX_BODY = 10 * 1024 * 1024; // API Gateway's own payload limit

    /** An HTTP request as the routes see it; header names lower-cased. */
    record Request(String method, String path, String rawQuery, Map<String, String> headers, byte[] body, String sourceIp) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** An HTTP answer; {@code headers} are extra headers (Location, CORS), {@code contentType} null for none. */
    record Response(int status, String contentType, String body, Map<String, String> headers) {
        Response {
            headers = Map.copyOf(headers);
        }

        Response(int status, String contentType, String body) {
            this(status, contentType, body, Map.of());
        }

        static Response json(int status, String body) {
            return new Response(status, "application/json", body);
        }

        Response withHeaders(Map<String, String> more) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.putAll(more);
            return new Response(status, contentType, body, all);
        }
    }

    interface Route {
        /** Null when the route does not serve this method and path. */
        Response handle(Request request) throws Exception;
    }

    private final HttpServer server;
    private final AlertsTopic topic;
    private final List<Route> routes = new ArrayList<>();
    private PutEvents putEvents;

    LocalHttpServer(int port, Path alertsFile) throws IOException {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        } catch (java.net.BindException e) {
            throw new IllegalStateException("port " + port + " is taken; choose another with --port", e);
        }
        topic = new AlertsTopic(alertsFile);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::serve);
    }

    int port() {
        return server.getAddress().getPort();
    }

    void route(Route route) {
        routes.add(route);
    }

    void eventBridge(PutEvents putEvents) {
        this.putEvents = putEvents;
    }

    void start() {
        server.start();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            Response response;
            try {
                Request request = read(exchange);
                response = Cors.preflight(request);
                if (response == null) response = Cors.allow(request, dispatch(request));
            } catch (BodyTooLarge e) {
                response = Response.json(413, "{\"errors\":[{\"field\":\"body\",\"message\":\"must be at most 10 MiB\"}]}");
            } catch (Exception e) {
                System.err.println("local stack: " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
                        + " failed: " + e);
                response = Response.json(500, "{\"message\":\"Internal Server Error\"}");
            }
            byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
            if (response.contentType() != null) exchange.getResponseHeaders().set("Content-Type", response.contentType());
            response.headers().forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    private Response dispatch(Request request) throws Exception {
        if (request.method().equals("POST") && request.path().equals("/")) {
            String target = request.header("x-amz-target");
            if ("AWSEvents.PutEvents".equals(target)) return putEvents.putEvents(request.text(), true);
            if (target == null && request.text().contains("Action=Publish")) return topic.publish(request.text());
            return Response.json(400, "{\"__type\":\"UnknownOperationException\",\"message\":\"the local stack serves "
                    + "EventBridge PutEvents and SNS Publish at POST /\"}");
        }
        if (request.method().equals("POST") && request.path().equals("/events")) return putEvents.putEvents(request.text(), false);
        for (Route route : routes) {
            Response r = route.handle(request);
            if (r != null) return r;
        }
        return Response.json(404, "{\"message\":\"Not Found\"}");
    }

    private static Request read(HttpExchange exchange) throws IOException, BodyTooLarge {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> {
            if (!v.isEmpty()) headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v));
        });
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (body.length > MAX_BODY) throw new BodyTooLarge();
        return new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), headers, body, exchange.getRemoteAddress().getAddress().getHostAddress());
    }

    private static final class BodyTooLarge extends Exception {}
}
