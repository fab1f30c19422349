package dev.handoff.benchmarks.coldstart;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one class (with its nested classes) put beside a function's shaded jar in a measured JVM: {@code java -cp
 * <function>.jar:launcher.jar dev.handoff.benchmarks.coldstart.Launcher key=value...}. It does what Lambda's Java
 * runtime does for a cold start, and times it:
 *
 * <ol>
 *   <li>{@code t0} (the driver's {@link System#nanoTime()} just before it spawned this JVM; CLOCK_MONOTONIC, so
 *       comparable across processes on Linux) to {@code main}: the JVM's own start;</li>
 *   <li>{@code main} to ready: the handler class loaded and constructed through its public no-arg constructor,
 *       reading its configuration from the environment;</li>
 *   <li>each invocation: the event file read and turned into the handler's event type (untimed, as the runtime
 *       deserialises it before calling the handler), then {@code handleRequest} timed, wall clock and the calling
 *       thread's CPU time.</li>
 * </ol>
 *
 * At the end it writes {@code key=value} lines to {@code out=FILE}: the timings, VmHWM and VmRSS from
 * /proc/self/status, and the process's CPU time from /proc/self/stat.
 *
 * <p>It must not warm anything the handler would otherwise pay for: no lambdas, streams, records or formatting on
 * the path before the handler is ready (scripts/cold-start.sh compiles it with {@code -XDstringConcat=inline}, so
 * that string concatenation is not an invokedynamic either), timings kept as nanoseconds until the end, and no
 * JSON library (events are parsed by {@link Json} and mapped onto the event classes by {@link Mapper}, with plain
 * reflection, as the runtime does with its own shaded Jackson). Only JDK classes and the Lambda interfaces (from
 * the function's jar) are used.
 *
 * <p>Modes ({@code mode=}): {@code measure} (default), {@code seed} (invoke every event, time nothing: used to
 * prepare data), {@code profile} (as measure, and loads marker classes between phases so that a
 * {@code -Xlog:class+load} log can be split into init, first invocation and the rest), {@code breakdown} (before
 * constructing the handler, runs {@code steps=} one by one and times each: loading the policy, Jackson-jr, building
 * SDK clients). {@code prime=K} invokes the first K events before the handler counts as ready, as a SnapStart or
 * CRaC priming hook would before the snapshot.
 */
public final class Launcher {

    private Launcher() {}

    /** Loaded (never used) at phase boundaries in profile mode: its line in the class-load log marks the boundary. */
    static final class ReadyMark {}

    static final class FirstInvocationMark {}

    static final class EndMark {}

    public static void main(String[] args) throws Exception {
        long tMain = System.nanoTime();
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq > 0) a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        String mode = a.getOrDefault("mode", "measure");
        boolean profile = mode.equals("profile");
        int invocations = Integer.parseInt(a.getOrDefault("invocations", "10"));
        int prime = Integer.parseInt(a.getOrDefault("prime", "0"));
        long t0 = Long.parseLong(a.getOrDefault("t0", Long.toString(tMain)));
        Out out = new Out();
        out.put("jvm_ns", tMain - t0);

        if (mode.equals("breakdown")) breakdown(a.getOrDefault("steps", ""), out);

        long tCtor = System.nanoTime();
        Class<?> handlerClass = Class.forName(a.get("handler"));
        @SuppressWarnings("unchecked")
        RequestHandler<Object, Object> handler =
                (RequestHandler<Object, Object>) handlerClass.getDeclaredConstructor().newInstance();
        long tReady = System.nanoTime();
        out.put("ctor_ns", tReady - tCtor);

        Path events = Path.of(a.get("events"));
        Type eventType = eventType(handlerClass);
        int file = 0;
        for (int p = 0; p < prime; p++) {
            Object event = Mapper.map(Json.parse(Files.readString(events.resolve(file++ + ".json"))), eventType);
            handler.handleRequest(event, new Ctx(a.getOrDefault("function", "handoff")));
        }
        if (Boolean.getBoolean("handoff.coldstart.crac")) {
            // What a CRaC/SnapStart checkpoint would run: the handler's own org.crac.Resource#beforeCheckpoint (on
            // a JVM without CRaC, org.crac's global context drops registrations, so call the handler directly).
            ClassLoader loader = handlerClass.getClassLoader();
            Class<?> resource = Class.forName("org.crac.Resource", false, loader);
            if (resource.isInstance(handler)) {
                resource.getMethod("beforeCheckpoint", Class.forName("org.crac.Context", false, loader))
                        .invoke(handler, new Object[] {null});
                prime = 1;
            }
        }
        if (prime > 0) {
            tReady = System.nanoTime();
            out.put("prime_ns", tReady - tCtor);
        }
        out.put("init_ns", tReady - tMain);
        out.put("ready_ns", tReady - t0);
        out.put("proc_cpu_ready_ms", processCpuMillis());
        if (profile) Class.forName(ReadyMark.class.getName());

        for (int i = 1; i <= invocations; i++) {
            Object event = Mapper.map(Json.parse(Files.readString(events.resolve(file++ + ".json"))), eventType);
            Ctx context = new Ctx(a.getOrDefault("function", "handoff"));
            String outcome;
            long cpu0 = threadCpuNanos();
            long s = System.nanoTime();
            long e;
            try {
                Object response = handler.handleRequest(event, context);
                e = System.nanoTime();
                outcome = outcome(response);
            } catch (Throwable t) {
                e = System.nanoTime();
                outcome = "threw " + t.getClass().getName();
                out.put("inv." + i + ".error", oneLine(t));
            }
            long cpu1 = threadCpuNanos();
            if (!mode.equals("seed")) {
                out.put("inv." + i + ".ns", e - s);
                out.put("inv." + i + ".cpu_ns", cpu1 - cpu0);
            }
            out.put("inv." + i + ".outcome", outcome);
            if (profile && i == 1) Class.forName(FirstInvocationMark.class.getName());
        }
        if (profile) Class.forName(EndMark.class.getName());

        Map<String, String> status = procStatus();
        out.put("rss_hwm_kb", kb(status.get("VmHWM")));
        out.put("rss_kb", kb(status.get("VmRSS")));
        out.put("proc_cpu_end_ms", processCpuMillis());
        out.writeTo(Path.of(a.get("out")));
        System.out.flush();
        // Lambda never ends a JVM this way; here the SDK's and the JDK's HTTP threads would otherwise linger.
        System.exit(0);
    }

    /**
     * Runs the steps before the handler is constructed, timing each: the handler then pays only what they left.
     * Every step is a public static entry point of the function's jar, reached by reflection (warmed first on a
     * JDK method, so the first reflective call is not charged to the first step).
     */
    private static void breakdown(String steps, Out out) throws Exception {
        Integer.class.getMethod("valueOf", String.class).invoke(null, "1");
        String policy = System.getenv("POLICY") == null ? "score-threshold" : System.getenv("POLICY");
        int from = 0;
        while (from < steps.length()) {
            int comma = steps.indexOf(',', from);
            String step = steps.substring(from, comma < 0 ? steps.length() : comma);
            from = comma < 0 ? steps.length() : comma + 1;
            if (step.isEmpty()) continue;
            long s = System.nanoTime();
            switch (step) {
                case "policy" -> Class.forName("dev.handoff.core.policy.PolicyLoader")
                        .getMethod("preset", String.class).invoke(null, policy);
                case "jackson-jr" -> {
                    Class<?> json = Class.forName("com.fasterxml.jackson.jr.ob.JSON");
                    Object std = json.getField("std").get(null);
                    Object tree = json.getMethod("anyFrom", Object.class).invoke(std, "{\"a\": [1, \"b\", true]}");
                    json.getMethod("asString", Object.class).invoke(std, tree);
                }
                // What dev.handoff.aws.Clients does (its own methods are not reflected on: their signatures name
                // clients that a function's jar may not have).
                case "dynamodb" -> sdkClient("software.amazon.awssdk.services.dynamodb.DynamoDbClient");
                case "sns" -> sdkClient("software.amazon.awssdk.services.sns.SnsClient");
                case "eventbridge" -> sdkClient("software.amazon.awssdk.services.eventbridge.EventBridgeClient");
                case "secretsmanager" -> sdkClient("software.amazon.awssdk.services.secretsmanager.SecretsManagerClient");
                case "java-http" -> Class.forName("java.net.http.HttpClient").getMethod("newHttpClient").invoke(null);
                default -> throw new IllegalArgumentException("unknown breakdown step: ".concat(step));
            }
            out.put("step." + step + ".ns", System.nanoTime() - s);
        }
    }

    /** {@code XClient.builder().httpClient(UrlConnectionHttpClient.create()).build()}, as the functions build them. */
    private static void sdkClient(String clientClass) throws ReflectiveOperationException {
        Object http = Class.forName("software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient")
                .getMethod("create").invoke(null);
        Object builder = Class.forName(clientClass).getMethod("builder").invoke(null);
        Class<?> httpClass = Class.forName("software.amazon.awssdk.http.SdkHttpClient");
        Class.forName("software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder")
                .getMethod("httpClient", httpClass).invoke(builder, http);
        Class.forName("software.amazon.awssdk.utils.builder.SdkBuilder").getMethod("build").invoke(builder);
    }

    /** The I of RequestHandler<I, O>, as the runtime finds it. */
    static Type eventType(Class<?> handlerClass) {
        for (Class<?> c = handlerClass; c != null; c = c.getSuperclass()) {
            for (Type t : c.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                    return p.getActualTypeArguments()[0];
                }
            }
        }
        return Object.class;
    }

    /** Status code of an HTTP response, number of failures of a batch response, or ok. */
    private static String outcome(Object response) {
        if (response == null) return "ok";
        try {
            Method status = response.getClass().getMethod("getStatusCode");
            return "status " + status.invoke(response);
        } catch (ReflectiveOperationException ignored) {
            // not an HTTP response
        }
        try {
            Object failures = response.getClass().getMethod("getBatchItemFailures").invoke(response);
            return "failures " + (failures == null ? 0 : ((List<?>) failures).size());
        } catch (ReflectiveOperationException ignored) {
            return "ok";
        }
    }

    private static String oneLine(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        String s = w.toString().replace('\n', '|').replace('\r', ' ');
        return s.length() > 2000 ? s.substring(0, 2000) : s;
    }

    private static long kb(String value) {
        return value == null ? -1 : Long.parseLong(value.replace("kB", "").trim());
    }

    private static Map<String, String> procStatus() throws IOException {
        Map<String, String> m = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            int colon = line.indexOf(':');
            if (colon > 0) m.put(line.substring(0, colon), line.substring(colon + 1).trim());
        }
        return m;
    }

    /** utime + stime of the whole process (all threads: JIT compilers and GC too), in ms (10 ms resolution). */
    private static long processCpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Time the calling thread has been on a CPU, in ns (/proc/thread-self/schedstat), or 0 where unknown. */
    private static long threadCpuNanos() {
        try {
            String s = Files.readString(Path.of("/proc/thread-self/schedstat"));
            return Long.parseLong(s.substring(0, s.indexOf(' ')));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The result lines, in order. */
    private static final class Out {
        private final StringBuilder text = new StringBuilder();

        void put(String key, long value) {
            put(key, Long.toString(value));
        }

        void put(String key, String value) {
            text.append(key).append('=').append(value == null ? "" : value.replace('\n', ' ')).append('\n');
        }

        void writeTo(Path file) throws IOException {
            try (OutputStream o = new FileOutputStream(file.toFile())) {
                o.write(text.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** A Lambda context: 30 s to run, the function's name, a logger on stdout. */
    static final class Ctx implements Context {
        private final String function;
        private final long deadline = System.currentTimeMillis() + 30_000;
        private final String requestId = java.util.UUID.randomUUID().toString();

        Ctx(String function) {
            this.function = function;
        }

        @Override public String getAwsRequestId() { return requestId; }
        @Override public String getLogGroupName() { return "/aws/lambda/".concat(function); }
        @Override public String getLogStreamName() { return "cold-start"; }
        @Override public String getFunctionName() { return function; }
        @Override public String getFunctionVersion() { return "1"; }
        @Override public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:123456789012:function:".concat(function);
        }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return (int) Math.max(0, deadline - System.currentTimeMillis()); }
        @Override public int getMemoryLimitInMB() {
            String mb = System.getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE");
            return mb == null ? 1024 : Integer.parseInt(mb);
        }
        @Override public LambdaLogger getLogger() { return Logger.INSTANCE; }
    }

    static final class Logger implements LambdaLogger {
        static final Logger INSTANCE = new Logger();

        @Override public void log(String message) { System.out.print(message); }
        @Override public void log(byte[] message) { System.out.write(message, 0, message.length); }
    }

    /** A JSON number as written. */
    static final class Num {
        final String text;

        Num(String text) {
            this.text = text;
        }

        @Override public String toString() { return text; }
    }

    /** A small JSON parser: objects to LinkedHashMap, arrays to ArrayList, numbers to {@link Num}. */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            Json p = new Json(text);
            Object v = p.value();
            p.ws();
            if (p.i != p.s.length()) throw p.error("trailing text");
            return v;
        }

        private Object value() {
            ws();
            if (i >= s.length()) throw error("unexpected end");
            char c = s.charAt(i);
            switch (c) {
                case '{': return object();
                case '[': return array();
                case '"': return string();
                case 't': literal("true"); return Boolean.TRUE;
                case 'f': literal("false"); return Boolean.FALSE;
                case 'n': literal("null"); return null;
                default: return number();
            }
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            i++;
            ws();
            if (peek() == '}') { i++; return m; }
            while (true) {
                ws();
                String k = string();
                ws();
                expect(':');
                m.put(k, value());
                ws();
                if (peek() == ',') { i++; continue; }
                expect('}');
                return m;
            }
        }

        private List<Object> array() {
            List<Object> l = new ArrayList<>();
            i++;
            ws();
            if (peek() == ']') { i++; return l; }
            while (true) {
                l.add(value());
                ws();
                if (peek() == ',') { i++; continue; }
                expect(']');
                return l;
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) throw error("unterminated string");
                char c = s.charAt(i++);
                if (c == '"') return b.toString();
                if (c != '\\') { b.append(c); continue; }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> { b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; }
                    default -> b.append(e);
                }
            }
        }

        private Num number() {
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            if (start == i) throw error("unexpected character");
            return new Num(s.substring(start, i));
        }

        private void literal(String word) {
            if (!s.startsWith(word, i)) throw error("bad literal");
            i += word.length();
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        private char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        private void expect(char c) {
            if (peek() != c) throw error("expected ".concat(String.valueOf(c)));
            i++;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("JSON: ".concat(what).concat(" at offset ").concat(Integer.toString(i)));
        }
    }

    /**
     * Parsed JSON onto Lambda's event classes through their setters, matched to member names as the runtime's
     * serializer matches them: case-insensitively ({@code Records}, {@code eventSourceARN}, {@code Sns}), with an
     * {@code is} prefix dropped when no setter has it. Dates are epoch seconds (DynamoDB streams); a type with a
     * static {@code parse(String)} or a String constructor takes a string (joda-time's DateTime in SNS events).
     */
    static final class Mapper {
        private static final Map<Class<?>, Map<String, List<Method>>> SETTERS = new HashMap<>();

        private Mapper() {}

        static Object map(Object json, Type type) throws ReflectiveOperationException {
            if (json == null) return null;
            Class<?> raw = raw(type);
            if (type instanceof ParameterizedType p) {
                Type[] args = p.getActualTypeArguments();
                if (Map.class.isAssignableFrom(raw) && json instanceof Map<?, ?> m) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    for (Map.Entry<?, ?> e : m.entrySet()) out.put((String) e.getKey(), map(e.getValue(), args[1]));
                    return out;
                }
                if (List.class.isAssignableFrom(raw) || raw == java.util.Collection.class) {
                    List<Object> out = new ArrayList<>();
                    for (Object o : (List<?>) json) out.add(map(o, args[0]));
                    return out;
                }
            }
            if (raw == Object.class || raw == Map.class || raw == List.class) return plain(json);
            if (raw == String.class) return json.toString();
            if (raw == int.class || raw == Integer.class) return Integer.valueOf(json.toString());
            if (raw == long.class || raw == Long.class) return Long.valueOf(json.toString());
            if (raw == double.class || raw == Double.class) return Double.valueOf(json.toString());
            if (raw == float.class || raw == Float.class) return Float.valueOf(json.toString());
            if (raw == boolean.class || raw == Boolean.class) return Boolean.valueOf(json.toString());
            if (raw == Date.class) return new Date((long) (Double.parseDouble(json.toString()) * 1000));
            if (raw == ByteBuffer.class) return ByteBuffer.wrap(Base64.getDecoder().decode(json.toString()));
            if (raw.isEnum()) return enumValue(raw, json.toString());
            if (json instanceof Map<?, ?> m) return bean(raw, m);
            if (json instanceof String text) return fromString(raw, text);
            throw new IllegalArgumentException("cannot map a JSON ".concat(json.getClass().getSimpleName())
                    .concat(" onto ").concat(raw.getName()));
        }

        private static Object bean(Class<?> raw, Map<?, ?> json) throws ReflectiveOperationException {
            Constructor<?> ctor = raw.getDeclaredConstructor();
            ctor.setAccessible(true);
            Object bean = ctor.newInstance();
            Map<String, List<Method>> setters = setters(raw);
            for (Map.Entry<?, ?> e : json.entrySet()) {
                String key = normalize((String) e.getKey());
                List<Method> candidates = setters.get(key);
                if (candidates == null && key.startsWith("is")) candidates = setters.get(key.substring(2));
                if (candidates == null) continue; // a member the class does not model
                Method setter = choose(candidates, e.getValue());
                Type param = setter.getGenericParameterTypes()[0];
                if (e.getValue() == null && setter.getParameterTypes()[0].isPrimitive()) continue;
                setter.invoke(bean, map(e.getValue(), param));
            }
            return bean;
        }

        /** With overloads (setEventName(String) and setEventName(OperationType)), a string goes to the String one. */
        private static Method choose(List<Method> candidates, Object value) {
            if (candidates.size() == 1) return candidates.get(0);
            for (Method m : candidates) {
                Class<?> p = m.getParameterTypes()[0];
                if (value instanceof String && p == String.class) return m;
                if (value instanceof Map && !p.isEnum() && p != String.class) return m;
            }
            return candidates.get(0);
        }

        private static Map<String, List<Method>> setters(Class<?> c) {
            Map<String, List<Method>> known = SETTERS.get(c);
            if (known != null) return known;
            Map<String, List<Method>> m = new HashMap<>();
            for (Method method : c.getMethods()) {
                if (Modifier.isStatic(method.getModifiers()) || method.getParameterCount() != 1) continue;
                if (!method.getName().startsWith("set") || method.getName().length() == 3) continue;
                String key = normalize(method.getName().substring(3));
                List<Method> list = m.get(key);
                if (list == null) {
                    list = new ArrayList<>();
                    m.put(key, list);
                }
                list.add(method);
            }
            SETTERS.put(c, m);
            return m;
        }

        private static String normalize(String name) {
            StringBuilder b = new StringBuilder(name.length());
            for (int k = 0; k < name.length(); k++) {
                char ch = name.charAt(k);
                if (Character.isLetterOrDigit(ch)) b.append(Character.toLowerCase(ch));
            }
            return b.toString();
        }

        private static Object fromString(Class<?> raw, String text) throws ReflectiveOperationException {
            try {
                Method parse = raw.getMethod("parse", String.class);
                if (Modifier.isStatic(parse.getModifiers())) return parse.invoke(null, text);
            } catch (NoSuchMethodException ignored) {
                // try a constructor
            }
            try {
                return raw.getConstructor(String.class).newInstance(text);
            } catch (NoSuchMethodException ignored) {
                return raw.getConstructor(Object.class).newInstance(text);
            }
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private static Object enumValue(Class<?> raw, String name) {
            return Enum.valueOf((Class) raw, name);
        }

        private static Class<?> raw(Type type) {
            if (type instanceof Class<?> c) return c;
            if (type instanceof ParameterizedType p) return (Class<?>) p.getRawType();
            return Object.class;
        }

        /** JSON as plain maps, lists, strings, longs or doubles, booleans. */
        static Object plain(Object json) {
            if (json instanceof Num n) {
                try {
                    return Long.valueOf(n.text);
                } catch (NumberFormatException e) {
                    return Double.valueOf(n.text);
                }
            }
            if (json instanceof Map<?, ?> m) {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) out.put((String) e.getKey(), plain(e.getValue()));
                return out;
            }
            if (json instanceof List<?> l) {
                List<Object> out = new ArrayList<>();
                for (Object o : l) out.add(plain(o));
                return out;
            }
            return json;
        }
    }
}
