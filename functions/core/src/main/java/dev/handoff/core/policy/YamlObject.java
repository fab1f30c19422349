package dev.handoff.core.policy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A typed, path-aware view of one YAML mapping. Every accessor checks the type it promises and, when the file
 * says something else, records an error naming the path ({@code engagement.rules[3].points: must be a number})
 * and returns null, so that loading goes on and reports every problem at once.
 */
final class YamlObject {
    private final Map<String, Object> map;
    private final String path;
    private final List<String> errors;

    private YamlObject(Map<String, Object> map, String path, List<String> errors) {
        this.map = map;
        this.path = path;
        this.errors = errors;
    }

    /** The value at {@code path} as a mapping, or null (with an error) when it is something else. */
    static YamlObject of(Object value, String path, List<String> errors, String expectation) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String k)) {
                    errors.add(label(path) + ": keys must be text, found " + e.getKey());
                    continue;
                }
                copy.put(k, e.getValue());
            }
            return new YamlObject(copy, path, errors);
        }
        errors.add(label(path) + ": must be " + expectation);
        return null;
    }

    static String label(String path) {
        return path.isEmpty() ? "(top level)" : path;
    }

    String path() {
        return path;
    }

    String at(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    void error(String key, String message) {
        errors.add((key == null ? label(path) : at(key)) + ": " + message);
    }

    boolean has(String key) {
        return map.containsKey(key) && map.get(key) != null;
    }

    Map<String, Object> raw() {
        return map;
    }

    /** Records an error for every key not in {@code allowed}: a misspelt key must not be silently ignored. */
    void rejectUnknown(Set<String> allowed) {
        for (String k : map.keySet()) if (!allowed.contains(k)) error(k, "unknown field");
    }

    private boolean missing(String key, boolean required) {
        if (has(key)) return false;
        if (required) error(key, "is required");
        return true;
    }

    String string(String key, boolean required) {
        if (missing(key, required)) return null;
        Object v = map.get(key);
        if (v instanceof String s) {
            if (s.isBlank()) {
                error(key, "must not be empty");
                return null;
            }
            return s.trim();
        }
        error(key, "must be text" + (v instanceof Number ? " (quote it: \"" + v + "\")" : ""));
        return null;
    }

    Integer wholeNumber(String key, boolean required, Integer min, Integer max) {
        if (missing(key, required)) return null;
        return wholeNumberValue(map.get(key), at(key), errors, min, max);
    }

    static Integer wholeNumberValue(Object v, String path, List<String> errors, Integer min, Integer max) {
        if (!(v instanceof Number n) || v instanceof Boolean || !finite(n)) {
            errors.add(path + ": must be a number");
            return null;
        }
        BigDecimal d = new BigDecimal(n.toString());
        if (d.stripTrailingZeros().scale() > 0) {
            errors.add(path + ": must be a whole number");
            return null;
        }
        BigInteger i = d.toBigInteger();
        if (i.bitLength() > 31) {
            errors.add(path + ": is too large");
            return null;
        }
        int value = i.intValue();
        if (min != null && max != null && (value < min || value > max)) {
            errors.add(path + ": must be between " + min + " and " + max);
            return null;
        }
        if (min != null && value < min) {
            errors.add(path + ": must be at least " + min);
            return null;
        }
        if (max != null && value > max) {
            errors.add(path + ": must be at most " + max);
            return null;
        }
        return value;
    }

    Double number(String key) {
        if (!has(key)) return null;
        Object v = map.get(key);
        if (v instanceof Number n && !(v instanceof Boolean) && finite(n)) return n.doubleValue();
        error(key, "must be a number");
        return null;
    }

    /** YAML's .nan and .inf parse as doubles, but are no bound or count a policy can use. */
    private static boolean finite(Number n) {
        return !(n instanceof Double || n instanceof Float) || Double.isFinite(n.doubleValue());
    }

    Boolean bool(String key) {
        if (!has(key)) return null;
        Object v = map.get(key);
        if (v instanceof Boolean b) return b;
        error(key, "must be true or false");
        return null;
    }

    YamlObject object(String key, boolean required, String expectation) {
        if (missing(key, required)) return null;
        return of(map.get(key), at(key), errors, expectation);
    }

    /** A list's items with their paths; null (with an error) when the value is not a list. */
    List<Item> list(String key, boolean required, boolean nonEmpty) {
        if (missing(key, required)) return null;
        Object v = map.get(key);
        if (!(v instanceof List<?> l)) {
            error(key, "must be a list");
            return null;
        }
        if (nonEmpty && l.isEmpty()) {
            error(key, "must not be empty");
            return null;
        }
        List<Item> items = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) items.add(new Item(l.get(i), at(key) + "[" + i + "]"));
        return items;
    }

    /** A list of non-empty strings; null when absent or wrong (with an error). */
    List<String> strings(String key, boolean required, boolean nonEmpty) {
        List<Item> items = list(key, required, nonEmpty);
        if (items == null) return null;
        List<String> out = new ArrayList<>(items.size());
        boolean ok = true;
        for (Item item : items) {
            if (item.value() instanceof String s && !s.isBlank()) {
                out.add(s.trim());
            } else {
                errors.add(item.path() + ": must be text");
                ok = false;
            }
        }
        return ok ? out : null;
    }

    record Item(Object value, String path) {}
}
