package dev.handoff.benchmarks.coldstart;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The cold-start harness's driver (run by scripts/cold-start.sh): starts the local engines once, then starts each
 * function in fresh JVMs of its own, from its shaded jar and the {@link Launcher} alone, the way Lambda starts a
 * container, and reports JVM start to handler ready, the first, second and tenth invocation, max RSS and the
 * classes loaded, for several JVM settings.
 *
 * <pre>
 * java -cp ... dev.handoff.benchmarks.coldstart.ColdStart --root REPO [--runs 5] [--invocations 10]
 *      [--functions form-submission,alerts] [--configs c1,c1-appcds] [--breakdown-runs 3] [--no-profile]
 *      [--java /path/to/jdk/bin/java] [--out DIR]
 * </pre>
 *
 * Figures, never assertions: it exits non-zero only when the harness itself cannot run.
 */
public final class ColdStart {

    /** JVM settings of one column of the comparison. Every run also gets {@link #baseFlags}. */
    record Config(String id, String description, List<String> flags, int prime, String archive) {}

    static final List<Config> CONFIGS = List.of(
            new Config("c2", "JVM default JIT (tiered C1 + C2), JDK's default CDS archive", List.of(), 0, null),
            new Config("c1", "-XX:TieredStopAtLevel=1 (Lambda's java21 default), JDK's default CDS archive",
                    List.of("-XX:TieredStopAtLevel=1"), 0, null),
            new Config("c1-noshare", "c1 with -Xshare:off (no class-data sharing at all)",
                    List.of("-XX:TieredStopAtLevel=1", "-Xshare:off"), 0, null),
            new Config("c1-appcds", "c1 with a dynamic AppCDS archive of the function (-XX:ArchiveClassesAtExit "
                    + "after a training run of the same invocations, then -XX:SharedArchiveFile)",
                    List.of("-XX:TieredStopAtLevel=1"), 0, "appcds"),
            new Config("c1-aot", "c1 with a JDK 24+ AOT cache (-XX:AOTCacheOutput training run, then -XX:AOTCache): "
                    + "not available on Lambda's java21", List.of("-XX:TieredStopAtLevel=1"), 0, "aot"),
            new Config("c1-primed", "c1, and the handler invoked once with its own event before it counts as ready "
                    + "(what a SnapStart/CRaC beforeCheckpoint priming does before the snapshot)",
                    List.of("-XX:TieredStopAtLevel=1"), 1, null),
            new Config("c1-crac", "c1, and the handler's own SnapStart priming (its org.crac.Resource "
                    + "beforeCheckpoint, called directly: no CRaC JDK here) before it counts as ready",
                    List.of("-XX:TieredStopAtLevel=1", "-Dhandoff.coldstart.crac=true"), 0, null));

    record Run(Fn fn, Config config, String kind, int index, String tag, int invocations, String steps) {
        String dirName() {
            return kind + "-" + config.id() + (steps == null ? "" : "-" + (steps.startsWith("policy") ? "A" : "B"))
                    + "-" + index;
        }

        /** The contact keys of its events: priming events first. */
        List<String> keys() {
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < config.prime() + invocations; i++) keys.add(fn.family + "-" + tag + "-" + i);
            return keys;
        }
    }

    record Result(Run run, Properties p, int exit, String problem, Path dir) {
        boolean has(String key) {
            return p.getProperty(key) != null && !p.getProperty(key).isEmpty();
        }

        double ms(String nanosKey) {
            return Long.parseLong(p.getProperty(nanosKey)) / 1e6;
        }
    }

    private final Path root;
    private final Path out;
    private final String java;
    private final int jdkMajor;
    private final String jdkVersion;
    private final int runs;
    private final int invocations;
    private final int breakdownRuns;
    private final boolean profile;
    private final List<Fn> fns;
    private final List<Config> configs;
    private final List<String> notes = new ArrayList<>();
    private Path launcherJar;

    private ColdStart(Map<String, String> o) throws IOException, InterruptedException {
        root = Path.of(require(o, "root")).toAbsolutePath().normalize();
        out = Path.of(o.getOrDefault("out", root.resolve("functions/benchmarks/target/coldstart").toString()))
                .toAbsolutePath();
        java = o.getOrDefault("java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        jdkVersion = firstLine(exec(List.of(java, "-version")));
        jdkMajor = major(exec(List.of(java, "-XshowSettings:properties", "-version")));
        runs = Integer.parseInt(o.getOrDefault("runs", "5"));
        invocations = Math.max(10, Integer.parseInt(o.getOrDefault("invocations", "10")));
        breakdownRuns = Integer.parseInt(o.getOrDefault("breakdown-runs", Integer.toString(Math.min(3, runs))));
        profile = !o.containsKey("no-profile");

        Set<String> wanted = o.containsKey("functions") ? new LinkedHashSet<>(List.of(o.get("functions").split(","))) : null;
        List<Fn> chosen = new ArrayList<>();
        for (Fn fn : Fn.catalogue(root)) {
            if (wanted != null && !wanted.remove(fn.name)) continue;
            if (!Files.isRegularFile(fn.jar(root))) {
                notes.add(fn.name + ": skipped, " + root.relativize(fn.jar(root)) + " does not exist"
                        + (fn.name.equals("sales-api") ? " (the module is being written; build it and run again)" : ""));
                continue;
            }
            chosen.add(fn);
        }
        if (wanted != null && !wanted.isEmpty()) throw new IllegalArgumentException("unknown functions: " + wanted);
        fns = chosen;

        List<String> ids = o.containsKey("configs") ? List.of(o.get("configs").split(","))
                : CONFIGS.stream().map(Config::id).filter(id -> !id.equals("c1-aot") || jdkMajor >= 25).toList();
        List<Config> cs = new ArrayList<>();
        for (String id : ids) {
            Config c = CONFIGS.stream().filter(x -> x.id().equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown config " + id + "; known: "
                            + CONFIGS.stream().map(Config::id).toList()));
            if (c.archive() != null && c.archive().equals("aot") && jdkMajor < 25) {
                notes.add("c1-aot skipped: the AOT cache needs JDK 24+ (this JDK is " + jdkMajor + ")");
                continue;
            }
            cs.add(c);
        }
        configs = cs;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + args[i]);
            String key = args[i].substring(2);
            if (key.startsWith("no-")) o.put(key, "true");
            else if (i + 1 < args.length) o.put(key, args[++i]);
            else throw new IllegalArgumentException("--" + key + " needs a value");
        }
        new ColdStart(o).run();
    }

    private void run() throws Exception {
        if (fns.isEmpty()) throw new IllegalStateException("no function jar to measure: " + notes);
        deleteTree(out.resolve("runs"));
        Files.createDirectories(out.resolve("runs"));
        Files.createDirectories(out.resolve("archives"));
        launcherJar = writeLauncherJar(out.resolve("launcher.jar"));
        String loadBefore = loadAverage();
        Instant started = Instant.now();
        log("JDK for the measured JVMs: " + jdkVersion + " (" + java + ")");
        log("load average " + loadBefore + " on " + Runtime.getRuntime().availableProcessors() + " cores");

        List<Run> plan = plan();
        List<Result> results = new ArrayList<>();
        try (Engines engines = Engines.start()) {
            log("engines up: DynamoDB Local, moto_server, webhook");
            seed(plan, engines);
            int done = 0;
            for (Run run : plan) {
                Result r = execute(run, engines);
                results.add(r);
                done++;
                log(String.format("[%d/%d] %s %s %s #%d%s", done, plan.size(), run.fn().name, run.kind(),
                        run.config().id(), run.index(), r.problem() == null ? summary(r) : "  PROBLEM: " + r.problem()));
            }
            notes.add("the Slack webhook on loopback received " + engines.webhookPosts() + " posts");
        }
        String loadAfter = loadAverage();
        Report report = new Report(fns, configs, results, invocations);
        String md = report.markdown(header(started, loadBefore, loadAfter), notes, profile ? profiles() : Map.of());
        Files.writeString(out.resolve("results.md"), md);
        Files.writeString(out.resolve("runs.csv"), report.csv());
        System.out.println();
        System.out.println(md);
        System.out.println("(written to " + out.resolve("results.md") + " and runs.csv; each run's log, result and events under "
                + out.resolve("runs") + ")");
    }

    private List<Run> plan() {
        List<Run> plan = new ArrayList<>();
        Config c1 = CONFIGS.stream().filter(c -> c.id().equals("c1")).findFirst().orElseThrow();
        for (Fn fn : fns) {
            for (Config c : configs) {
                if (c.archive() != null) plan.add(new Run(fn, c, "train", 0, "train-" + c.id(), invocations, null));
            }
            for (int r = 1; r <= runs; r++) {
                // Configurations interleaved, so that a change in the machine's load spreads over all of them.
                for (Config c : configs) plan.add(new Run(fn, c, "measure", r, c.id() + "-r" + r, invocations, null));
            }
            for (int r = 1; profile && r <= Math.max(1, breakdownRuns); r++) {
                plan.add(new Run(fn, c1, "profile", r, "profile-r" + r, invocations, null));
            }
            List<String> steps = fn.initSteps;
            List<String> reversed = new ArrayList<>(steps);
            Collections.reverse(reversed);
            for (int r = 1; r <= breakdownRuns; r++) {
                plan.add(new Run(fn, c1, "breakdown", r, "bdA-r" + r, 1, String.join(",", steps)));
                plan.add(new Run(fn, c1, "breakdown", r, "bdB-r" + r, 1, String.join(",", reversed)));
            }
        }
        return plan;
    }

    /**
     * Prepares what the sample events refer to. Contacts to qualify (and to view through the sales API) are made
     * by the real functions: the sample form through form-submission.jar and the sample tracking batch through
     * tracking-events.jar, one seeding JVM each for all contacts. Alert outbox items are put as the sample
     * stream record's NewImage.
     */
    private void seed(List<Run> plan, Engines engines) throws Exception {
        Set<String> contacts = new LinkedHashSet<>();
        int alerts = 0;
        for (Run run : plan) {
            if (run.fn().seed == Fn.Seed.CONTACTS) contacts.addAll(run.keys());
            if (run.fn().seed == Fn.Seed.ALERTS) {
                for (String v : run.keys()) {
                    Map<?, ?> event = (Map<?, ?>) Launcher.Json.parse(run.fn().event(v));
                    for (Object rec : (List<?>) event.get("Records")) {
                        engines.putItem((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) rec).get("dynamodb")).get("NewImage"));
                    }
                    alerts++;
                }
            }
        }
        if (alerts > 0) log("seeded " + alerts + " alert outbox items");
        if (contacts.isEmpty()) return;
        Fn form = Fn.catalogue(root).stream().filter(f -> f.name.equals("form-submission")).findFirst().orElseThrow();
        Fn tracking = Fn.catalogue(root).stream().filter(f -> f.name.equals("tracking-events")).findFirst().orElseThrow();
        for (Fn seeder : List.of(form, tracking)) {
            if (!Files.isRegularFile(seeder.jar(root))) {
                throw new IllegalStateException("seeding the contacts needs " + seeder.jar(root));
            }
            long s = System.nanoTime();
            Path dir = out.resolve("runs").resolve("seed-" + seeder.name);
            List<String> keys = new ArrayList<>(contacts);
            Path events = dir.resolve("events");
            Files.createDirectories(events);
            for (int i = 0; i < keys.size(); i++) {
                Files.writeString(events.resolve(i + ".json"), seeder.event(keys.get(i)));
            }
            Config c1 = CONFIGS.get(1);
            Result r = launch(new Run(seeder, c1, "seed", 0, "seed", keys.size(), null), engines, dir, "seed", 1800);
            long bad = 0;
            for (int i = 1; i <= keys.size(); i++) {
                if (!seeder.expectedOutcome.equals(r.p().getProperty("inv." + i + ".outcome"))) bad++;
            }
            if (r.problem() != null || bad > 0) {
                throw new IllegalStateException("seeding through " + seeder.name + " failed (" + bad + " of "
                        + keys.size() + " not " + seeder.expectedOutcome + "; " + r.problem() + "): see " + dir);
            }
            log(String.format("seeded %d contacts through %s in %.1f s", keys.size(), seeder.name,
                    (System.nanoTime() - s) / 1e9));
        }
    }

    private Result execute(Run run, Engines engines) throws Exception {
        Path dir = out.resolve("runs").resolve(run.fn().name).resolve(run.dirName());
        Path events = dir.resolve("events");
        Files.createDirectories(events);
        List<String> keys = run.keys();
        for (int i = 0; i < keys.size(); i++) Files.writeString(events.resolve(i + ".json"), run.fn().event(keys.get(i)));
        String mode = switch (run.kind()) {
            case "profile" -> "profile";
            case "breakdown" -> "breakdown";
            default -> "measure";
        };
        return launch(run, engines, dir, mode, 300);
    }

    /** One fresh JVM: the function's jar and the launcher on the class path, Lambda's environment, nothing else. */
    private Result launch(Run run, Engines engines, Path dir, String mode, int timeoutSeconds) throws Exception {
        Fn fn = run.fn();
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(baseFlags(fn));
        cmd.addAll(run.config().flags());
        String archive = run.config().archive();
        if (archive != null) {
            Path file = out.resolve("archives").resolve(fn.name + (archive.equals("aot") ? ".aot" : ".jsa"));
            if (run.kind().equals("train")) {
                Files.deleteIfExists(file);
                cmd.add((archive.equals("aot") ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + file);
            } else {
                if (!Files.isRegularFile(file)) {
                    return new Result(run, new Properties(), -1, "no " + archive + " archive (training run failed)", dir);
                }
                cmd.add((archive.equals("aot") ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + file);
            }
        }
        if (mode.equals("profile")) cmd.add("-Xlog:class+load=info:file=" + dir.resolve("classes.log") + ":uptimenanos");
        cmd.add("-cp");
        cmd.add(fn.jar(root) + ":" + launcherJar);
        cmd.add(Launcher.class.getName());
        cmd.add("mode=" + mode);
        cmd.add("handler=" + fn.handler);
        cmd.add("function=handoff-" + fn.name);
        cmd.add("events=" + dir.resolve("events"));
        cmd.add("invocations=" + run.invocations());
        cmd.add("prime=" + run.config().prime());
        cmd.add("out=" + dir.resolve("result.properties"));
        if (run.steps() != null) cmd.add("steps=" + run.steps());

        ProcessBuilder pb = new ProcessBuilder().directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("jvm.log").toFile());
        pb.environment().clear();
        pb.environment().putAll(engines.awsEnv());
        pb.environment().putAll(fn.env(engines));
        Files.writeString(dir.resolve("command.txt"), String.join(" ", cmd) + "\n");
        long t0 = System.nanoTime();
        cmd.add("t0=" + t0);
        pb.command(cmd);
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return new Result(run, new Properties(), -1, "timed out after " + timeoutSeconds + " s", dir);
        }
        Properties props = new Properties();
        Path result = dir.resolve("result.properties");
        String problem = null;
        if (Files.isRegularFile(result)) {
            try (Reader r = Files.newBufferedReader(result)) {
                props.load(r);
            }
        } else {
            problem = "no result (exit " + p.exitValue() + "): " + lastLines(dir.resolve("jvm.log"), 5);
        }
        if (problem == null && p.exitValue() != 0) problem = "exit " + p.exitValue();
        if (problem == null && !mode.equals("seed")) {
            for (int i = 1; i <= run.invocations(); i++) {
                String outcome = props.getProperty("inv." + i + ".outcome");
                if (!fn.expectedOutcome.equals(outcome)) {
                    problem = "invocation " + i + ": " + outcome + " (expected " + fn.expectedOutcome + ")"
                            + (props.getProperty("inv." + i + ".error") == null ? "" : " " + props.getProperty("inv." + i + ".error"));
                    break;
                }
            }
        }
        if (problem == null && archive != null && !run.kind().equals("train")) {
            String jvmLog = Files.readString(dir.resolve("jvm.log"));
            for (String line : jvmLog.split("\n")) {
                if (line.contains("[cds") || line.contains("[aot")) {
                    if (line.contains("warning") || line.contains("error")) {
                        problem = "archive not used? " + line.trim();
                        break;
                    }
                }
            }
        }
        return new Result(run, props, p.exitValue(), problem, dir);
    }

    /**
     * As a Lambda container of the function's memory size: the serial collector (Lambda's java21 default) and
     * the JVM's ergonomics sized for that memory (-XX:MaxRAM), whatever this machine has.
     */
    static List<String> baseFlags(Fn fn) {
        return List.of("-XX:+UseSerialGC", "-XX:MaxRAM=" + fn.memoryMb + "m");
    }

    private String summary(Result r) {
        Properties p = r.p();
        if (!r.has("ready_ns")) return "";
        StringBuilder b = new StringBuilder(String.format("  ready %.0f ms", r.ms("ready_ns")));
        if (r.has("inv.1.ns")) b.append(String.format(", inv1 %.0f ms", r.ms("inv.1.ns")));
        if (r.has("inv." + invocations + ".ns")) b.append(String.format(", inv%d %.1f ms", invocations, r.ms("inv." + invocations + ".ns")));
        if (p.getProperty("rss_hwm_kb") != null) b.append(String.format(", HWM %.0f MB", Long.parseLong(p.getProperty("rss_hwm_kb")) / 1024.0));
        return b.toString();
    }

    private Map<String, List<Path>> profiles() throws IOException {
        Map<String, List<Path>> m = new LinkedHashMap<>();
        for (Fn fn : fns) {
            Path dir = out.resolve("runs").resolve(fn.name);
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> runDirs = Files.list(dir)) {
                List<Path> logs = runDirs.filter(d -> d.getFileName().toString().startsWith("profile-"))
                        .map(d -> d.resolve("classes.log")).filter(Files::isRegularFile).sorted().toList();
                if (!logs.isEmpty()) m.put(fn.name, logs);
            }
        }
        return m;
    }

    private String header(Instant started, String loadBefore, String loadAfter) {
        StringBuilder b = new StringBuilder();
        b.append("# Cold starts, one fresh JVM per run\n\n");
        b.append("- when: ").append(started).append(" to ").append(Instant.now()).append('\n');
        b.append("- JDK of the measured JVMs: ").append(jdkVersion).append(jdkMajor == 21 ? "" :
                " (Lambda runs java21: set COLDSTART_JAVA_HOME to a JDK 21 to measure that one)").append('\n');
        b.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores; load average ")
                .append(loadBefore).append(" before, ").append(loadAfter).append(" after");
        double load = Double.parseDouble(loadBefore.split(" ")[0]);
        if (load >= Runtime.getRuntime().availableProcessors() * 0.75) {
            b.append(" (loaded: other builds were running; read the minimum beside the median)");
        }
        b.append('\n');
        b.append("- runs: ").append(runs).append(" fresh JVMs per function and configuration; ").append(invocations)
                .append(" invocations each, every one with an event of its own; medians, [min-max]\n");
        b.append("- every JVM: ").append(String.join(" ", baseFlags(fns.get(0)))).append(" (MaxRAM = the function's MemorySize), ")
                .append("-cp <function>.jar:launcher.jar, the environment template.yaml gives the function, ")
                .append("AWS_ENDPOINT_URL_* to DynamoDB Local and moto_server on 127.0.0.1\n");
        b.append("- function jars:");
        for (Fn fn : fns) {
            try {
                b.append(' ').append(fn.name).append(String.format(" (%.1f MB, built %s)", Files.size(fn.jar(root)) / 1e6,
                        Files.getLastModifiedTime(fn.jar(root)).toInstant().toString().substring(0, 16)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        b.append("\n- configurations:\n");
        for (Config c : configs) b.append("  - `").append(c.id()).append("`: ").append(c.description()).append('\n');
        b.append("- events:\n");
        for (Fn fn : fns) b.append("  - ").append(fn.name).append(": ").append(fn.sample).append('\n');
        return b.toString();
    }

    /** The launcher's classes, alone in a jar (CDS archives only classes from jars, never from a directory). */
    private static Path writeLauncherJar(Path jar) throws IOException {
        List<Class<?>> classes = new ArrayList<>();
        classes.add(Launcher.class);
        for (int i = 0; i < classes.size(); i++) classes.addAll(List.of(classes.get(i).getDeclaredClasses()));
        try (OutputStream f = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(f)) {
            for (Class<?> c : classes) {
                String name = c.getName().replace('.', '/') + ".class";
                try (InputStream in = ColdStart.class.getClassLoader().getResourceAsStream(name)) {
                    if (in == null) throw new IllegalStateException("cannot read " + name);
                    j.putNextEntry(new JarEntry(name));
                    in.transferTo(j);
                    j.closeEntry();
                }
            }
        }
        return jar;
    }

    private static String exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        p.getInputStream().transferTo(b);
        p.waitFor();
        return b.toString(StandardCharsets.UTF_8);
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse("?").trim();
    }

    private static int major(String settings) {
        for (String line : settings.split("\n")) {
            line = line.trim();
            if (line.startsWith("java.specification.version")) return Integer.parseInt(line.substring(line.indexOf('=') + 1).trim());
        }
        return 0;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "? ? ?";
        }
    }

    private static String lastLines(Path file, int n) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private static String require(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null) throw new IllegalArgumentException("--" + key + " is required");
        return v;
    }

    private static void log(String line) {
        System.out.println("cold-start: " + line);
        System.out.flush();
    }
}
