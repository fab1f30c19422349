package dev.handoff.benchmarks.coldstart;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How fast is a cold start, against a bare handler? For the form and tracking functions, in the same run and
 * alternating (on a shared machine, noise hits both sides alike), fresh JVMs of four kinds per round:
 *
 * <ul>
 *   <li><b>cold</b>, project and bare: JVM start to the first response done, nothing before it;</li>
 *   <li><b>primed</b>, project and bare: the project after its own SnapStart priming ({@code beforeCheckpoint}), the
 *       bare handler after one real call; then the first (measured) invocation, as after a snapshot's restore.</li>
 * </ul>
 * The bare handler ({@link BareHandlers}) does one PutItem with the same SDK and HTTP client, from the same jar.
 * JVM flags as Lambda's java21 runtime: C1 only, serial GC, heap sized for 1024 MB. Reports medians and the
 * project/bare ratios. Figures, never assertions.
 *
 * <pre>ColdStart --root REPO --java JAVA [--runs 5] [--functions form-submission,tracking-events] [--out DIR]</pre>
 */
public final class ColdStart {
    private ColdStart() {}

    record Fn(String name, String handler, String bare, String kind) {}

    static final List<Fn> FUNCTIONS = List.of(
            new Fn("form-submission", "dev.handoff.functions.form.ApiGatewayFormSubmissionHandler",
                    BareHandlers.Form.class.getName(), "http"),
            new Fn("tracking-events", "dev.handoff.functions.tracking.SqsTrackingEventHandler",
                    BareHandlers.Tracking.class.getName(), "sqs"));

    static final List<String> JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:MaxRAM=1024m",
            "-Xshare:auto");

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("--runs", "5", "--functions", "form-submission,tracking-events"));
        for (int i = 0; i + 1 < args.length; i += 2) o.put(args[i], args[i + 1]);
        Path root = Path.of(o.get("--root"));
        Path out = Path.of(o.getOrDefault("--out", root.resolve("functions/benchmarks/target/coldstart").toString()));
        Path classes = out.resolve("classes");
        int runs = Integer.parseInt(o.get("--runs"));
        List<String> names = List.of(o.get("--functions").split(","));

        StringBuilder report = new StringBuilder();
        StringBuilder csv = new StringBuilder("function,round,side,mode,jvm_ms,init_ms,prime_ms,first_ms,done_ms,next_ms\n");
        try (Engines engines = Engines.start()) {
            for (Fn fn : FUNCTIONS) {
                if (!names.contains(fn.name())) continue;
                Path jar = root.resolve("functions/" + fn.name() + "/target/" + fn.name() + ".jar");
                Map<String, List<Map<String, Double>>> results = new LinkedHashMap<>();
                for (int round = 0; round < runs; round++) {
                    // Alternate who goes first, so that a drift of the machine's load does not favour one side.
                    List<String[]> order = new ArrayList<>(List.of(new String[] {"project", "cold"}, new String[] {"bare", "cold"},
                            new String[] {"project", "primed"}, new String[] {"bare", "primed"}));
                    if (round % 2 == 1) order = List.of(order.get(1), order.get(0), order.get(3), order.get(2));
                    for (String[] side : order) {
                        Path events = events(root, out.resolve("events/" + fn.name() + "/" + round + "-" + side[0] + "-" + side[1]),
                                fn, round + side[0] + side[1]);
                        Map<String, Double> r = launch(o.get("--java"), jar, classes,
                                side[0].equals("project") ? fn.handler() : fn.bare(), fn.kind(), side[1], events,
                                engines.env(fn.name()));
                        results.computeIfAbsent(side[0] + " " + side[1], k -> new ArrayList<>()).add(r);
                        csv.append(String.join(",", fn.name(), Integer.toString(round), side[0], side[1],
                                f(r.get("jvm")), f(r.get("init")), f(r.get("prime")), f(r.get("first")), f(r.get("done")),
                                f(r.get("next")))).append('\n');
                        System.err.printf("%s round %d %s %s: first response done %.0f ms, first invocation %.1f ms%n",
                                fn.name(), round, side[0], side[1], r.get("done"), r.get("first"));
                    }
                }
                report.append(section(fn, jar, results));
            }
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("results.md"), report.toString());
        Files.writeString(out.resolve("runs.csv"), csv.toString());
        System.out.print(report);
        System.out.println("\n(" + runs + " rounds per function, alternating; per run: " + out.resolve("runs.csv") + ")");
    }

    /** One section of the report: medians of each side and mode, and the two ratios. */
    private static String section(Fn fn, Path jar, Map<String, List<Map<String, Double>>> results) throws IOException {
        double coldProject = median(results.get("project cold"), "done");
        double coldBare = median(results.get("bare cold"), "done");
        double primedProject = median(results.get("project primed"), "first");
        double primedBare = median(results.get("bare primed"), "first");
        return String.format("""
                ## %s (%.1f MB jar)

                | median of %d | project | bare | project/bare | goal |
                |---|---|---|---|---|
                | JVM start to first response done, cold | %.0f ms | %.0f ms | %.2f | <= 1.1 |
                | first invocation after priming (project: its beforeCheckpoint; bare: one real call) | %.1f ms | %.1f ms | %.2f | <= 1.2 |
                | of the cold: JVM start / handler init / first invocation | %.0f / %.0f / %.0f ms | %.0f / %.0f / %.0f ms | | |
                | priming (project) / warm-up call (bare) | %.0f ms | %.0f ms | | |
                | the invocation after, primed (the work itself, warm) | %.1f ms | %.1f ms | %.2f | |
                | first after priming / the invocation after (1.0: nothing left cold) | %.2f | %.2f | | |

                """, fn.name(), Files.size(jar) / 1e6, results.get("project cold").size(),
                coldProject, coldBare, coldProject / coldBare, primedProject, primedBare, primedProject / primedBare,
                median(results.get("project cold"), "jvm"), median(results.get("project cold"), "init"),
                median(results.get("project cold"), "first"), median(results.get("bare cold"), "jvm"),
                median(results.get("bare cold"), "init"), median(results.get("bare cold"), "first"),
                median(results.get("project primed"), "prime"), median(results.get("bare primed"), "prime"),
                median(results.get("project primed"), "next"), median(results.get("bare primed"), "next"),
                median(results.get("project primed"), "next") / median(results.get("bare primed"), "next"),
                primedProject / median(results.get("project primed"), "next"), primedBare / median(results.get("bare primed"), "next"));
    }

    /** A fresh JVM running the {@link Launcher}; its {@code result} line in milliseconds. */
    private static Map<String, Double> launch(String java, Path jar, Path classes, String handler, String kind, String mode,
                                              Path events, Map<String, String> env) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(List.of("-cp", jar + ":" + classes, Launcher.class.getName(), "handler=" + handler, "kind=" + kind,
                "mode=" + mode, "events=" + events));
        ProcessBuilder pb = new ProcessBuilder().redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        cmd.add("t0=" + System.nanoTime());
        Process p = pb.command(cmd).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0 || !output.contains("result ")) {
            throw new IllegalStateException(handler + " " + mode + " failed:\n" + output);
        }
        Map<String, Double> r = new LinkedHashMap<>();
        String line = output.substring(output.lastIndexOf("result ") + 7).lines().findFirst().orElseThrow();
        for (String kv : line.trim().split(" ")) r.put(kv.substring(0, kv.indexOf('=')), Long.parseLong(kv.substring(kv.indexOf('=') + 1)) / 1e6);
        return r;
    }

    /**
     * Three invocations' events for one JVM, from the samples in events/, each about a new contact (so none is a
     * duplicate): plain text files the launcher turns into event objects.
     */
    private static Path events(Path root, Path dir, Fn fn, String tag) throws IOException {
        Files.createDirectories(dir);
        String file = fn.kind().equals("http") ? "form-submission-json.json" : "tracking-events-sqs-batch.json";
        Map<String, Object> sample = JSON.std.mapFrom(Files.readString(root.resolve("events").resolve(file)));
        for (int i = 0; i < 3; i++) {
            String v = tag + "-" + i + "-" + System.nanoTime();
            if (fn.kind().equals("http")) {
                Files.writeString(dir.resolve("path"), (String) sample.get("rawPath"));
                Files.writeString(dir.resolve(i + ".body"), unique((String) sample.get("body"), v));
            } else {
                int k = 0;
                for (Object record : (List<?>) sample.get("Records")) {
                    Files.writeString(dir.resolve(i + "." + k++ + ".body"), unique((String) ((Map<?, ?>) record).get("body"), v));
                }
            }
        }
        return dir;
    }

    private static String unique(String sample, String v) {
        return sample.replace("ana@acme.com", "ana." + v + "@acme.com").replace("v-7f3a9c", "v-" + v)
                .replace("\"evt-", "\"evt-" + v + "-");
    }

    private static double median(List<Map<String, Double>> runs, String key) {
        List<Double> values = new ArrayList<>();
        for (Map<String, Double> r : runs) values.add(r.get(key));
        values.sort(null);
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }

    private static String f(Double v) {
        return String.format("%.1f", v);
    }
}
