package dev.handoff.aws.alerts;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** What the alerts tests read back from moto: JSON as plain maps and lists (jackson-jr), and a path into them. */
final class JsonTree {
    private JsonTree() {}

    /** A JSON object, its fields in order. */
    static Map<String, Object> read(String json) {
        try {
            return JSON.std.mapFrom(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON object: " + json, e);
        }
    }

    /**
     * The value at a JSON Pointer ({@code /contact/email}, {@code /topSignals/0/rule}); null when a step is missing.
     */
    static Object at(Object tree, String pointer) {
        Object node = tree;
        for (String step : pointer.substring(1).split("/")) {
            node = switch (node) {
                case Map<?, ?> m -> m.get(step);
                case List<?> l -> l.get(Integer.parseInt(step));
                case null, default -> null;
            };
        }
        return node;
    }

    /** The object at a JSON Pointer. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object tree, String pointer) {
        return (Map<String, Object>) at(tree, pointer);
    }
}
