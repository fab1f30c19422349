package dev.handoff.deployment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** template.yaml, read once, with the few lookups the deployment tests need. */
final class SamTemplate {
    static final String FUNCTION = "AWS::Serverless::Function";

    final Path repoRoot;
    final Path file;
    final Map<String, Object> root;

    private SamTemplate(Path repoRoot, Map<String, Object> root) {
        this.repoRoot = repoRoot;
        this.file = repoRoot.resolve("template.yaml");
        this.root = root;
    }

    private static SamTemplate shared;

    /** template.yaml at the repository's top, read once for all the tests. */
    static synchronized SamTemplate get() throws IOException {
        if (shared == null) {
            Path repoRoot = repoRoot();
            shared = new SamTemplate(repoRoot, CfnYaml.load(repoRoot.resolve("template.yaml")));
        }
        return shared;
    }

    /** The logical ids of the template's functions (a JUnit MethodSource). */
    static List<String> functionIds() throws IOException {
        return get().ofType(FUNCTION);
    }

    /** The repository's top: set by the build ({@code handoff.repo.root}), else found above the working directory. */
    static Path repoRoot() {
        String configured = System.getProperty("handoff.repo.root");
        if (configured != null && !configured.isBlank()) return Path.of(configured).toAbsolutePath().normalize();
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml")) && Files.isRegularFile(dir.resolve("mvnw"))) return dir;
        }
        throw new IllegalStateException("template.yaml not found above " + Path.of("").toAbsolutePath());
    }

    Map<String, Object> resources() {
        return map(root.get("Resources"), "Resources");
    }

    Map<String, Object> resource(String logicalId) {
        Object r = resources().get(logicalId);
        if (r == null) throw new AssertionError("template.yaml has no resource " + logicalId);
        return map(r, logicalId);
    }

    String type(String logicalId) {
        return (String) resource(logicalId).get("Type");
    }

    Map<String, Object> properties(String logicalId) {
        Object p = resource(logicalId).get("Properties");
        return p == null ? Map.of() : map(p, logicalId + ".Properties");
    }

    Map<String, Object> parameters() {
        Object p = root.get("Parameters");
        return p == null ? Map.of() : map(p, "Parameters");
    }

    /** Logical ids of the resources of one type, in template order. */
    List<String> ofType(String type) {
        List<String> ids = new ArrayList<>();
        resources().forEach((id, r) -> {
            if (type.equals(map(r, id).get("Type"))) ids.add(id);
        });
        return ids;
    }

    /** A function's properties as SAM sees them: Globals.Function under the resource's own (Environment merged). */
    Map<String, Object> functionProperties(String logicalId) {
        Map<String, Object> merged = new LinkedHashMap<>();
        Object globals = root.get("Globals");
        if (globals != null && map(globals, "Globals").get("Function") != null) {
            merged.putAll(map(map(globals, "Globals").get("Function"), "Globals.Function"));
        }
        Map<String, Object> own = properties(logicalId);
        for (Map.Entry<String, Object> e : own.entrySet()) {
            if (e.getKey().equals("Environment") && merged.get("Environment") != null) {
                Map<String, Object> vars = new LinkedHashMap<>(variables(merged.get("Environment")));
                vars.putAll(variables(e.getValue()));
                merged.put("Environment", Map.of("Variables", vars));
            } else {
                merged.put(e.getKey(), e.getValue());
            }
        }
        return merged;
    }

    Map<String, Object> environment(String functionId) {
        Object env = functionProperties(functionId).get("Environment");
        return env == null ? Map.of() : variables(env);
    }

    /** A function's Handler, split: {class, method}. Lambda's Java runtime takes {@code class::method}. */
    String[] handler(String functionId) {
        Object handler = functionProperties(functionId).get("Handler");
        if (!(handler instanceof String h) || h.split("::").length != 2) {
            throw new AssertionError(functionId + " Handler is not class::method: " + handler);
        }
        return h.split("::");
    }

    /**
     * The jar a function deploys, opened: its module's shaded jar, which {@code make build-<LogicalId>} (what
     * {@code sam build} runs) puts into the function's artifacts (HandlersIT checks that it does).
     */
    FunctionJar jar(String functionId) {
        return FunctionJar.open(moduleJar(functionId));
    }

    Path moduleJar(String functionId) {
        String module = expected(functionId).module();
        return repoRoot.resolve("functions").resolve(module).resolve("target").resolve(module + ".jar");
    }

    /** What the code of a function needs (its row in {@link Expectations}). */
    Expectations.Function expected(String functionId) {
        return Expectations.forHandler(handler(functionId)[0]);
    }

    /** A function's events: name to {Type, Properties}. */
    Map<String, Map<String, Object>> events(String functionId) {
        Object events = properties(functionId).get("Events");
        Map<String, Map<String, Object>> out = new TreeMap<>();
        if (events != null) map(events, functionId + ".Events").forEach((k, v) -> out.put(k, map(v, k)));
        return out;
    }

    private static Map<String, Object> variables(Object environment) {
        Object vars = map(environment, "Environment").get("Variables");
        return vars == null ? Map.of() : map(vars, "Environment.Variables");
    }

    // Intrinsics

    /** The logical id a {@code Ref} or {@code Fn::GetAtt} names, or null for anything else. */
    static String target(Object value) {
        if (value instanceof Map<?, ?> m && m.size() == 1) {
            if (m.get("Ref") instanceof String ref) return ref;
            if (m.get("Fn::GetAtt") instanceof List<?> getAtt && !getAtt.isEmpty()) return (String) getAtt.get(0);
        }
        return null;
    }

    /** The attribute an {@code Fn::GetAtt} reads, or null. */
    static String attribute(Object value) {
        if (value instanceof Map<?, ?> m && m.get("Fn::GetAtt") instanceof List<?> getAtt && getAtt.size() == 2) {
            return (String) getAtt.get(1);
        }
        return null;
    }

    private static final Pattern SUB_REFERENCE = Pattern.compile("\\$\\{([A-Za-z0-9]+)(?:\\.[A-Za-z0-9.]+)?}");

    /**
     * Every logical id (or parameter) a value refers to: through Ref, Fn::GetAtt or the ${X} / ${X.Attr} of a
     * Fn::Sub string. Pseudo parameters (AWS::...) are left out.
     */
    static Set<String> references(Object value) {
        Set<String> out = new LinkedHashSet<>();
        collectReferences(value, out);
        return out;
    }

    private static void collectReferences(Object value, Set<String> out) {
        String t = target(value);
        if (t != null) {
            if (!t.startsWith("AWS::")) out.add(t);
            return;
        }
        if (value instanceof Map<?, ?> m) {
            Object sub = m.get("Fn::Sub");
            if (sub instanceof String s) {
                addSubReferences(s, out);
                return;
            }
            if (sub instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof String s) {
                addSubReferences(s, out);
                if (l.size() > 1) collectReferences(l.get(1), out);
                return;
            }
            m.values().forEach(v -> collectReferences(v, out));
        } else if (value instanceof List<?> l) {
            l.forEach(v -> collectReferences(v, out));
        }
    }

    private static void addSubReferences(String s, Set<String> out) {
        Matcher m = SUB_REFERENCE.matcher(s);
        while (m.find()) out.add(m.group(1));
    }

    // Plain values

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String what) {
        if (!(value instanceof Map)) throw new AssertionError(what + " is not a mapping: " + value);
        return (Map<String, Object>) value;
    }

    /** IAM's "one string or a list of strings". */
    static List<String> strings(Object value) {
        if (value == null) return List.of();
        if (value instanceof String s) return List.of(s);
        if (value instanceof List<?> l) {
            List<String> out = new ArrayList<>();
            for (Object o : l) {
                if (!(o instanceof String s)) throw new AssertionError("expected a string, got " + o);
                out.add(s);
            }
            return out;
        }
        throw new AssertionError("expected a string or a list of strings, got " + value);
    }

    /** A list of resource values (each a string or an intrinsic), from IAM's "one or a list". */
    static List<Object> values(Object value) {
        if (value == null) return List.of();
        if (value instanceof List<?> l) return new ArrayList<>(l);
        return List.of(value);
    }
}
