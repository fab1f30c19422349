package dev.handoff.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * One JSON line per log event on stdout (CloudWatch Logs on AWS). Callers pass ids, codes and counts — never
 * emails or names; {@link #contactRef(String)} gives a stable, non-reversible handle for correlating a contact.
 */
public final class Log {
    private static final ObjectMapper JSON = new ObjectMapper();

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

    private static void write(String level, String message, Object... kv) {
        ObjectNode line = JSON.createObjectNode();
        line.put("time", Instant.now().toString());
        line.put("level", level);
        line.put("message", message);
        for (int i = 0; i + 1 < kv.length; i += 2) {
            Object v = kv[i + 1];
            if (v == null) continue;
            if (v instanceof Number n) line.putPOJO(String.valueOf(kv[i]), n);
            else line.put(String.valueOf(kv[i]), String.valueOf(v));
        }
        System.out.println(line);
    }
}
