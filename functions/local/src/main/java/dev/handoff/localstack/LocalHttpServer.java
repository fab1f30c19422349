package dev.handoff.localstack;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The local stack's one port. {@code POST /} is EventBridge (JSON 1.1 with {@code X-Amz-Target:
 * AWSEvents.PutEvents}, as the AWS CLI and SDK send it) and the SNS alerts topic (the query protocol's
 * {@code Action=Publish}), which answers only requests signed with an access key id that is random for each run and
 * known only to this process's own SDK clients ({@link #accessKeyId()}), so no other local client can append an
 * alert; everything else goes to the API routes.
 *
 * <p>A small HTTP/1.1 server of its own, one request per connection: the JDK's {@code HttpServer} answers a
 * request line it cannot parse as a URI ({@code GET /contacts/%ZZ}) with an HTML page before any route sees it,
 * where API Gateway's routes answer JSON. Here the raw path reaches the routes as sent.
 */
final class LocalHttpServer implements AutoCloseable {
    static final int MAX_BODY = 10 * 1024 * 1024; // API Gateway's own payload limit
    static final int MAX_HEAD = 64 * 1024;

    /** An HTTP request as the routes see it; header names lower-cased, the path raw (still percent-encoded). */
    record Request(String method, String path, String rawQuery, Map<String, String> headers, byte[] body, String sourceIp) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** An HTTP answer; {@code headers} are extra headers (Location, CORS), {@code contentType} null for none (a 204). */
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

        static Response error(int status, String field, String message) {
            return json(status, "{\"errors\":[{\"field\":\"" + field + "\",\"message\":\"" + message + "\"}]}");
        }
    }

    interface Route {
        /** Null when the route does not serve this method and path. */
        Response handle(Request request) throws Exception;
    }

    private final ServerSocket socket;
    // Not a fixed pool: the functions call this same port (the beacon's PutEvents, the alerts' SNS Publish) while a
    // request of theirs holds a thread, so a fixed pool full of beacons would wait on itself until timeouts.
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "local-http");
        t.setDaemon(true);
        return t;
    });
    private final AlertsTopic topic;
    private final String accessKeyId = "LOCAL" + randomHex().toUpperCase(Locale.ROOT);
    private final List<Route> routes = new ArrayList<>();
    private PutEvents putEvents;
    private Thread acceptor;
    private volatile boolean closed;

    LocalHttpServer(int port, Path alertsFile) throws IOException {
        try {
            socket = new ServerSocket(port, 64, InetAddress.getByName("127.0.0.1"));
        } catch (java.net.BindException e) {
            throw new IllegalStateException("port " + port + " is taken; choose another with --port", e);
        }
        topic = new AlertsTopic(alertsFile);
    }

    private static String randomHex() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    int port() {
        return socket.getLocalPort();
    }

    /**
     * The access key id this process's own SDK clients sign with: random for each run and never printed, so only they
     * can publish to the SNS stand-in.
     */
    String accessKeyId() {
        return accessKeyId;
    }

    /** Whether a SigV4 request names this access key id and service in its credential scope. */
    private static boolean signedBy(Request request, String accessKeyId, String service) {
        String authorization = request.header("authorization");
        if (authorization == null) return false;
        int at = authorization.indexOf("Credential=");
        if (at < 0) return false;
        String[] scope = authorization.substring(at + "Credential=".length()).split("[,\\s]")[0].split("/");
        return scope.length == 5 && scope[0].equals(accessKeyId) && scope[3].equals(service);
    }

    void route(Route route) {
        routes.add(route);
    }

    void eventBridge(PutEvents putEvents) {
        this.putEvents = putEvents;
    }

    void start() {
        acceptor = new Thread(() -> {
            while (!closed) {
                try {
                    Socket connection = socket.accept();
                    workers.execute(() -> serve(connection));
                } catch (IOException e) {
                    if (!closed) System.err.println("local stack: accept failed: " + e.getClass().getSimpleName());
                }
            }
        }, "local-http-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        workers.shutdownNow();
    }

    private void serve(Socket connection) {
        try (connection) {
            connection.setSoTimeout(30_000);
            InputStream in = new BufferedInputStream(connection.getInputStream());
            OutputStream out = new BufferedOutputStream(connection.getOutputStream());
            Response response;
            String method = null;
            try {
                Request request = read(in, out, connection.getInetAddress().getHostAddress());
                if (request == null) return; // the client connected and left
                method = request.method();
                response = Cors.preflight(request);
                if (response == null) response = Cors.allow(request, dispatch(request));
            } catch (BadRequest e) {
                response = e.response;
            } catch (SocketException e) {
                return;
            } catch (Exception e) {
                // Never the path or the message: either may hold an email.
                System.err.println("local stack: a request failed: " + e.getClass().getName());
                response = Response.json(500, "{\"message\":\"Internal Server Error\"}");
            }
            write(out, response, "HEAD".equals(method));
        } catch (IOException e) {
            // the client went away
        }
    }

    private Response dispatch(Request request) throws Exception {
        if (request.method().equals("POST") && request.path().equals("/")) {
            String target = request.header("x-amz-target");
            if ("AWSEvents.PutEvents".equals(target)) return putEvents.putEvents(request.body(), true);
            if (target == null && signedBy(request, accessKeyId, "sns")) return topic.publish(request.text());
            return Response.json(400, "{\"__type\":\"UnknownOperationException\",\"message\":\"the local stack serves "
                    + "EventBridge PutEvents at POST /\"}");
        }
        if (request.method().equals("POST") && request.path().equals("/events")) return putEvents.putEvents(request.body(), false);
        for (Route route : routes) {
            Response r = route.handle(request);
            if (r != null) return r;
        }
        return Response.json(404, "{\"message\":\"Not Found\"}");
    }

    // ------------------------------------------------------------------------------------------------ HTTP/1.1

    private static final class BadRequest extends Exception {
        final transient Response response;

        BadRequest(int status, String message) {
            super(null, null, false, false);
            this.response = Response.error(status, status == 413 ? "body" : "request", message);
        }
    }

    private static Request read(InputStream in, OutputStream out, String sourceIp) throws IOException, BadRequest {
        int[] budget = {MAX_HEAD};
        String requestLine = line(in, budget);
        if (requestLine == null) return null;
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.") || parts[0].isEmpty()) {
            throw new BadRequest(400, "is not an HTTP/1.1 request line");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in, budget); h != null && !h.isEmpty(); h = line(in, budget)) {
            int colon = h.indexOf(':');
            if (colon <= 0) throw new BadRequest(400, "has a malformed header line");
            headers.merge(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim(), (a, b) -> a + "," + b);
        }
        String target = parts[1];
        if (target.startsWith("http://") || target.startsWith("https://")) { // absolute form: keep the path
            int slash = target.indexOf('/', target.indexOf("//") + 2);
            target = slash < 0 ? "/" : target.substring(slash);
        }
        int hash = target.indexOf('#');
        if (hash >= 0) target = target.substring(0, hash);
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? null : target.substring(q + 1);

        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            continueIfAsked(headers, out);
            body = chunked(in, budget);
        } else {
            long length;
            try {
                length = Long.parseLong(headers.getOrDefault("content-length", "0"));
            } catch (NumberFormatException e) {
                throw new BadRequest(400, "has a Content-Length that is not a number");
            }
            if (length < 0) throw new BadRequest(400, "has a negative Content-Length");
            if (length > MAX_BODY) throw new BadRequest(413, "must be at most 10 MiB");
            continueIfAsked(headers, out);
            body = in.readNBytes((int) length);
            if (body.length < length) throw new SocketException("the body ended early");
        }
        return new Request(parts[0], path, query, headers, body, sourceIp);
    }

    private static void continueIfAsked(Map<String, String> headers, OutputStream out) throws IOException {
        if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }

    private static byte[] chunked(InputStream in, int[] budget) throws IOException, BadRequest {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in, budget);
            if (size == null) throw new SocketException("the body ended early");
            int semicolon = size.indexOf(';');
            int n;
            try {
                n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new BadRequest(400, "has a malformed chunk");
            }
            if (n < 0 || body.size() + (long) n > MAX_BODY) throw new BadRequest(413, "must be at most 10 MiB");
            if (n == 0) {
                for (String trailer = line(in, budget); trailer != null && !trailer.isEmpty(); trailer = line(in, budget)) {
                    // trailers are not used
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(n);
            if (chunk.length < n) throw new SocketException("the body ended early");
            body.write(chunk);
            line(in, budget);
        }
    }

    /** One CRLF- (or LF-) terminated line of the head, ISO-8859-1; null at the end of the stream. */
    private static String line(InputStream in, int[] budget) throws IOException, BadRequest {
        StringBuilder s = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (--budget[0] < 0) throw new BadRequest(431, "has a head over 64 KiB");
            if (c == '\n') {
                int end = s.length();
                if (end > 0 && s.charAt(end - 1) == '\r') s.setLength(end - 1);
                return s.toString();
            }
            s.append((char) c);
        }
        return s.isEmpty() ? null : s.toString();
    }

    private static void write(OutputStream out, Response response, boolean head) throws IOException {
        byte[] body = response.body() == null ? new byte[0] : response.body().getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder("HTTP/1.1 ").append(response.status()).append(' ').append(reason(response.status()))
                .append("\r\n");
        boolean noBody = response.status() == 204 || response.status() == 304;
        if (response.contentType() != null && !noBody) h.append("Content-Type: ").append(response.contentType()).append("\r\n");
        if (!noBody) h.append("Content-Length: ").append(body.length).append("\r\n");
        response.headers().forEach((name, value) -> h.append(name).append(": ").append(value).append("\r\n"));
        h.append("Connection: close\r\n\r\n");
        out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!noBody && !head) out.write(body);
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 303 -> "See Other";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }
}
