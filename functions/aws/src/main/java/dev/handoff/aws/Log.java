package dev.handoff.aws;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON line per log event on stdout (CloudWatch Logs on AWS). Callers pass ids, codes and counts — never
 * emails or names; {@link #contactRef(String)} gives a stable, non-reversible handle for correlating a contact.
 */
public final class Log {
    /** Writes a null message as {@code null} rather than leaving it out. */
    private static final JSON JR = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);

    /** Set by {@link Priming} while it runs: lines are still built (that is part of the warm-up), not printed. */
    static volatile boolean quiet;

    private Log() {}

    public static void info(String message, Object... keyValues) {
        write("INFO", message, keyValues);
    }

    public static void warn(String message, Object... keyValues) {
        write("WARN", message, keyValues);
    }

    public static void error(String message, Object... keyValues) {
        write("ERROR", message, keyValues);
    }

    /** A short hash of an email, enough to follow one contact through the logs without naming them. */
    public static String contactRef(String email) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(email.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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

    private static void write(String level, String message, Object... kv) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("level", level);
        line.put("message", message);
        for (int i = 0; i + 1 < kv.length; i += 2) {
            Object v = kv[i + 1];
            if (v == null) continue;
            line.put(String.valueOf(kv[i]), v instanceof Number n ? number(n) : String.valueOf(v));
        }
        try {
            String json = JR.asString(line);
            if (!quiet) System.out.println(json);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a log line", e);
        }
    }
}
