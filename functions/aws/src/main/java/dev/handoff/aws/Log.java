package dev.handoff.aws;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON line per log event on stdout (CloudWatch Logs on AWS; the functions' {@code LogFormat: JSON} keeps them
 * as they are and puts Lambda's own START/REPORT lines in JSON beside them). A function builds one at init and
 * passes it; each invocation takes {@link #forRequest(Context)}, so that every line it writes names the Lambda
 * request id. Callers pass ids, codes and counts — never emails, names or phones: {@link #contact(String)} gives a
 * contact's keyed hash ({@link ContactHash}).
 *
 * <p>{@link #discard} builds every line and prints none: what SnapStart priming runs the function's code with.
 */
public final class Log {
    /** Writes a null message as {@code null} rather than leaving it out. */
    private static final JSON JR = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);

    /** Null for standard output. */
    private final PrintStream out;
    private final ContactHash contacts;
    private final String requestId;

    private Log(PrintStream out, ContactHash contacts, String requestId) {
        this.out = out;
        this.contacts = contacts;
        this.requestId = requestId;
    }

    /** Lines to standard output (whatever {@code System.out} is when a line is written), which Lambda sends to the function's log group. */
    public static Log stdout(ContactHash contacts) {
        return new Log(null, contacts, null);
    }

    /** Lines to standard output, for a function that never names a contact (it holds no hash key). */
    public static Log stdoutWithoutContacts() {
        return new Log(null, null, null);
    }

    /** Lines to {@code out} (tests). */
    public static Log to(PrintStream out, ContactHash contacts) {
        return new Log(out, contacts, null);
    }

    /** Lines built and dropped: priming runs the real code, its lines are not news. */
    public static Log discard(ContactHash contacts) {
        return new Log(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8), contacts, null);
    }

    /** This log for one invocation: its lines carry the request id (none when there is no Lambda context). */
    public Log forRequest(Context context) {
        return forRequest(context == null ? null : context.getAwsRequestId());
    }

    public Log forRequest(String requestId) {
        return new Log(out, contacts, requestId);
    }

    /** The same destination and key, lines dropped (for priming twins of a handler). */
    public Log discarding() {
        return new Log(new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8), contacts, null);
    }

    /** What a handler does with one invocation, given the invocation's log and metrics. */
    @FunctionalInterface
    public interface Invocation<T> {
        T handle(Log log, Metrics metrics);
    }

    /**
     * Runs one invocation with this log narrowed to its request id and a fresh set of metrics, written when it ends
     * (also when it fails: what was counted until then happened).
     */
    public <T> T invocation(Context context, Invocation<T> invocation) {
        Log log = forRequest(context);
        Metrics metrics = log.metrics();
        try {
            return invocation.handle(log, metrics);
        } finally {
            metrics.flush();
        }
    }

    /** A new set of metrics for this invocation, written through this log by {@link Metrics#flush()}. */
    public Metrics metrics() {
        return new Metrics(this);
    }

    /** How a contact appears in a line: the keyed hash of its email. */
    public String contact(String email) {
        if (contacts == null) throw new IllegalStateException("this function's log has no contact hash key");
        return email == null ? null : contacts.of(email);
    }

    public void info(String message, Object... keyValues) {
        write("INFO", message, keyValues);
    }

    public void warn(String message, Object... keyValues) {
        write("WARN", message, keyValues);
    }

    public void error(String message, Object... keyValues) {
        write("ERROR", message, keyValues);
    }

    /**
     * A number jackson-jr writes as one: the JDK's boxed numbers, BigInteger and BigDecimal as they are, another
     * {@link Number} (an AtomicLong, say) from its text, which jackson-jr would otherwise write as a bean.
     */
    private static Object number(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Double || n instanceof Float || n instanceof Short
                || n instanceof Byte || n instanceof BigInteger || n instanceof BigDecimal) {
            return n;
        }
        try {
            return new BigDecimal(n.toString());
        } catch (NumberFormatException e) {
            return n.toString();
        }
    }

    private void write(String level, String message, Object... kv) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("level", level);
        line.put("message", message);
        if (requestId != null) line.put("requestId", requestId);
        for (int i = 0; i + 1 < kv.length; i += 2) {
            Object v = kv[i + 1];
            if (v == null) continue;
            line.put(String.valueOf(kv[i]), v instanceof Number n ? number(n) : String.valueOf(v));
        }
        print(line);
    }

    /** An EMF line from {@link Metrics}: its own shape, with the request id beside the metrics. */
    void metricLine(Map<String, Object> emf) {
        if (requestId != null) emf.put("requestId", requestId);
        print(emf);
    }

    private void print(Map<String, Object> line) {
        try {
            (out == null ? System.out : out).println(JR.asString(line));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a log line", e);
        }
    }
}
