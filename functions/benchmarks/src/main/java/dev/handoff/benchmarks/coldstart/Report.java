package dev.handoff.benchmarks.coldstart;

import dev.handoff.benchmarks.coldstart.ColdStart.Config;
import dev.handoff.benchmarks.coldstart.ColdStart.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The figures: medians with [min-max] over the fresh JVMs, as markdown tables, and every run as CSV. */
final class Report {
    private static final List<String> GROUPS = List.of("JDK", "JDK security/TLS", "generated", "aws-sdk", "jackson",
            "snakeyaml", "lambda-events", "joda-time", "handoff", "other");

    private final List<Fn> fns;
    private final List<Config> configs;
    private final List<Result> results;
    private final int invocations;

    Report(List<Fn> fns, List<Config> configs, List<Result> results, int invocations) {
        this.fns = fns;
        this.configs = configs;
        this.results = results;
        this.invocations = invocations;
    }

    String markdown(String header, List<String> notes, Map<String, List<Path>> classLogs) {
        StringBuilder b = new StringBuilder(header).append('\n');
        String last = "inv." + invocations + ".ns";

        b.append("## Per function and configuration\n\n");
        b.append("JVM start = the driver spawning the process; ready = the handler constructed (in `c1-primed`, also ")
                .append("invoked once). Invocation times are `handleRequest` alone, against DynamoDB Local and moto on ")
                .append("this machine: the last ones are mostly their latency, hence the invoking thread's CPU time beside. ")
                .append("RSS is VmHWM at the end; CPU to ready is the whole process's (all threads: JIT compilers ")
                .append("and GC too; 10 ms resolution).\n\n");
        b.append("| function | config | JVM start→main ms | JVM start→handler ready ms | 1st inv ms | 2nd inv ms | ")
                .append(ordinal(invocations)).append(" inv ms | 1st/").append(ordinal(invocations))
                .append(" | max RSS MB | process CPU to ready ms | 1st inv CPU ms | ").append(ordinal(invocations))
                .append(" inv CPU ms |\n");
        b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Fn fn : fns) {
            for (Config c : configs) {
                List<Result> rs = measured(fn, c);
                if (rs.isEmpty()) {
                    b.append("| ").append(fn.name).append(" | ").append(c.id()).append(" | no successful run |||||||||\n");
                    continue;
                }
                b.append("| ").append(fn.name).append(" | ").append(c.id())
                        .append(" | ").append(cell(rs, r -> r.ms("jvm_ns")))
                        .append(" | ").append(cell(rs, r -> r.ms("ready_ns")))
                        .append(" | ").append(cell(rs, r -> r.ms("inv.1.ns")))
                        .append(" | ").append(cell(rs, r -> r.ms("inv.2.ns")))
                        .append(" | ").append(cell(rs, r -> r.ms(last)))
                        .append(" | ").append(ratioCell(rs, r -> r.ms("inv.1.ns") / r.ms(last)))
                        .append(" | ").append(cell(rs, r -> kb(r, "rss_hwm_kb") / 1024.0))
                        .append(" | ").append(cell(rs, r -> Double.parseDouble(r.p().getProperty("proc_cpu_ready_ms"))))
                        .append(" | ").append(cell(rs, r -> r.ms("inv.1.cpu_ns")))
                        .append(" | ").append(cell(rs, r -> r.ms("inv." + invocations + ".cpu_ns")))
                        .append(" |\n");
            }
        }

        b.append("\n## What the JVM settings change (medians)\n\n");
        b.append("| function | ready c1 ms | c2 | c1-noshare | c1-appcds | c1-aot | 1st inv c1 ms | c2 | c1-primed | ")
                .append("priming (added to init) ms | 1st/").append(ordinal(invocations)).append(" c1 | c1-primed |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Fn fn : fns) {
            Double readyC1 = median(fn, "c1", r -> r.ms("ready_ns"));
            Double invC1 = median(fn, "c1", r -> r.ms("inv.1.ns"));
            b.append("| ").append(fn.name)
                    .append(" | ").append(num(readyC1))
                    .append(" | ").append(delta(median(fn, "c2", r -> r.ms("ready_ns")), readyC1))
                    .append(" | ").append(delta(median(fn, "c1-noshare", r -> r.ms("ready_ns")), readyC1))
                    .append(" | ").append(delta(median(fn, "c1-appcds", r -> r.ms("ready_ns")), readyC1))
                    .append(" | ").append(delta(median(fn, "c1-aot", r -> r.ms("ready_ns")), readyC1))
                    .append(" | ").append(num(invC1))
                    .append(" | ").append(delta(median(fn, "c2", r -> r.ms("inv.1.ns")), invC1))
                    .append(" | ").append(delta(median(fn, "c1-primed", r -> r.ms("inv.1.ns")), invC1))
                    .append(" | ").append(num(median(fn, "c1-primed", r -> r.ms("prime_ns") - r.ms("ctor_ns"))))
                    .append(" | ").append(ratio(median(fn, "c1", r -> r.ms("inv.1.ns") / r.ms(last))))
                    .append(" | ").append(ratio(median(fn, "c1-primed", r -> r.ms("inv.1.ns") / r.ms(last))))
                    .append(" |\n");
        }
        b.append("\n(In brackets: the change from c1. An empty cell: that configuration was not run.)\n");

        b.append("\n## Where init goes (c1, each step timed on its own before the handler is constructed)\n\n");
        b.append("Order A runs the steps in the handler's own order, order B reversed: a step run first also pays for ")
                .append("the JDK machinery it is first to use (reflection, lambdas, URL and HTTP classes), so the two ")
                .append("orders bracket each step's own cost. `rest` is the handler's constructor after the steps.\n\n");
        b.append("| function | order | steps, median ms | sum = main→ready | unsplit main→ready (c1) |\n|---|---|---|---:|---:|\n");
        for (Fn fn : fns) {
            for (String order : List.of("A", "B")) {
                List<Result> rs = new ArrayList<>();
                for (Result r : results) {
                    if (r.run().fn() == fn && r.run().kind().equals("breakdown") && r.problem() == null
                            && r.run().steps().startsWith(fn.initSteps.get(0)) == order.equals("A")) rs.add(r);
                }
                if (rs.isEmpty()) continue;
                List<String> steps = List.of(rs.get(0).run().steps().split(","));
                StringBuilder cell = new StringBuilder();
                for (String step : steps) {
                    cell.append(step).append(' ').append(num(med(rs, r -> r.ms("step." + step + ".ns")))).append(" · ");
                }
                cell.append("rest ").append(num(med(rs, r -> r.ms("ctor_ns"))));
                b.append("| ").append(fn.name).append(" | ").append(order).append(" | ").append(cell)
                        .append(" | ").append(num(med(rs, r -> r.ms("init_ns"))))
                        .append(" | ").append(num(median(fn, "c1", r -> r.ms("init_ns")))).append(" |\n");
            }
        }

        if (!classLogs.isEmpty()) {
            Map<String, Classes> counts = new LinkedHashMap<>();
            int profiles = 0;
            for (Map.Entry<String, List<Path>> e : classLogs.entrySet()) {
                List<Classes> each = new ArrayList<>();
                for (Path log : e.getValue()) each.add(Classes.of(log));
                counts.put(e.getKey(), Classes.median(each));
                profiles = Math.max(profiles, each.size());
            }
            b.append("\n## Loaded classes (c1 runs with -Xlog:class+load, median of ").append(profiles)
                    .append("; the launcher's own classes left out)\n\n");
            b.append("| function | JVM boot | init (main→ready) | 1st inv | inv 2–").append(invocations)
                    .append(" | total | from the JDK's CDS archive |\n|---|---:|---:|---:|---:|---:|---:|\n");
            counts.forEach((fn, c) -> b.append("| ").append(fn).append(" | ").append(c.phase[0]).append(" | ")
                    .append(c.phase[1]).append(" | ").append(c.phase[2]).append(" | ").append(c.phase[3]).append(" | ")
                    .append(c.total()).append(" | ").append(c.shared).append(" |\n"));
            for (int phase = 1; phase <= 2; phase++) {
                b.append(phase == 1 ? "\nDuring init (main→ready), by origin: classes loaded, and ms charged to them "
                        + "(each class gets the time from its load to the next; a heuristic; `generated`: lambda proxies "
                        + "and method-handle forms; `JDK security/TLS`: sun.security, java.security, javax.net, "
                        + "javax.crypto):\n\n"
                        : "\nDuring the first invocation (including the runtime's work of turning the event into its "
                        + "class), by origin: classes, ms:\n\n");
                b.append("| function | ").append(String.join(" | ", GROUPS)).append(" |\n|---|");
                b.append("---:|".repeat(GROUPS.size())).append('\n');
                for (Map.Entry<String, Classes> e : counts.entrySet()) {
                    b.append("| ").append(e.getKey());
                    for (String g : GROUPS) {
                        b.append(" | ").append(e.getValue().byGroup[phase].getOrDefault(g, 0)).append(", ")
                                .append(String.format(Locale.ROOT, "%.0f", e.getValue().msByGroup[phase].getOrDefault(g, 0.0)));
                    }
                    b.append(" |\n");
                }
            }
        }

        List<String> problems = new ArrayList<>();
        for (Result r : results) {
            if (r.problem() != null) problems.add(r.dir().getFileName() + " of " + r.run().fn().name + ": " + r.problem());
        }
        if (!notes.isEmpty() || !problems.isEmpty()) {
            b.append("\n## Notes\n\n");
            for (String n : notes) b.append("- ").append(n).append('\n');
            for (String p : problems) b.append("- PROBLEM (left out of the figures): ").append(p).append('\n');
        }
        return b.toString();
    }

    String csv() {
        List<String> keys = new ArrayList<>(List.of("jvm_ns", "ctor_ns", "prime_ns", "init_ns", "ready_ns",
                "proc_cpu_ready_ms", "proc_cpu_end_ms", "rss_hwm_kb", "rss_kb"));
        for (int i = 1; i <= invocations; i++) keys.add("inv." + i + ".ns");
        for (int i = 1; i <= invocations; i++) keys.add("inv." + i + ".cpu_ns");
        for (Fn fn : fns) for (String s : fn.initSteps) if (!keys.contains("step." + s + ".ns")) keys.add("step." + s + ".ns");
        StringBuilder b = new StringBuilder("function,kind,config,run,steps,exit,problem");
        for (String k : keys) b.append(',').append(k);
        b.append('\n');
        for (Result r : results) {
            b.append(r.run().fn().name).append(',').append(r.run().kind()).append(',').append(r.run().config().id())
                    .append(',').append(r.run().index()).append(',')
                    .append(r.run().steps() == null ? "" : r.run().steps().replace(',', '+')).append(',')
                    .append(r.exit()).append(',')
                    .append(r.problem() == null ? "" : '"' + r.problem().replace('"', '\'') + '"');
            for (String k : keys) b.append(',').append(r.p().getProperty(k, ""));
            b.append('\n');
        }
        return b.toString();
    }

    private List<Result> measured(Fn fn, Config c) {
        List<Result> rs = new ArrayList<>();
        for (Result r : results) {
            if (r.run().fn() == fn && r.run().config() == c && r.run().kind().equals("measure") && r.problem() == null) {
                rs.add(r);
            }
        }
        return rs;
    }

    private Double median(Fn fn, String config, ToDoubleFunction<Result> f) {
        for (Config c : configs) {
            if (c.id().equals(config)) {
                List<Result> rs = measured(fn, c);
                return rs.isEmpty() ? null : med(rs, f);
            }
        }
        return null;
    }

    private static double med(List<Result> rs, ToDoubleFunction<Result> f) {
        List<Double> v = values(rs, f);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private static List<Double> values(List<Result> rs, ToDoubleFunction<Result> f) {
        List<Double> v = new ArrayList<>();
        for (Result r : rs) v.add(f.applyAsDouble(r));
        Collections.sort(v);
        return v;
    }

    private static String cell(List<Result> rs, ToDoubleFunction<Result> f) {
        List<Double> v = values(rs, f);
        return num(med(rs, f)) + (v.size() > 1 ? " [" + num(v.get(0)) + "–" + num(v.get(v.size() - 1)) + "]" : "");
    }

    private static String ratioCell(List<Result> rs, ToDoubleFunction<Result> f) {
        List<Double> v = values(rs, f);
        return ratio(med(rs, f)) + (v.size() > 1 ? " [" + ratio(v.get(0)) + "–" + ratio(v.get(v.size() - 1)) + "]" : "");
    }

    private static String ratio(Double x) {
        return x == null ? "" : String.format(Locale.ROOT, x >= 10 ? "%.0f×" : "%.1f×", x);
    }

    private static String num(Double x) {
        if (x == null) return "";
        double a = Math.abs(x);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", x);
    }

    private static String delta(Double x, Double reference) {
        if (x == null) return "";
        if (reference == null) return num(x);
        double d = x - reference;
        return num(x) + " (" + (d >= 0 ? "+" : "−") + num(Math.abs(d)) + ")";
    }

    private static double kb(Result r, String key) {
        return Long.parseLong(r.p().getProperty(key));
    }

    private static String ordinal(int n) {
        return n + (n % 10 == 1 && n != 11 ? "st" : n % 10 == 2 && n != 12 ? "nd" : n % 10 == 3 && n != 13 ? "rd" : "th");
    }

    /**
     * A {@code -Xlog:class+load} log (with uptimenanos) split at the launcher's marker classes: classes by origin
     * and phase, and the time from each class's load to the next load, charged to that class's origin. Loading a
     * class is where a first use pays (reading, defining, verifying, linking, static initialisers) and the code
     * that runs between two loads mostly belongs to the class just loaded, so this tells roughly where a cold
     * JVM spends its time; it is a heuristic, not a profile.
     */
    static final class Classes {
        final int[] phase = new int[4];
        @SuppressWarnings({"unchecked", "rawtypes"})
        final Map<String, Integer>[] byGroup = new Map[4];
        @SuppressWarnings({"unchecked", "rawtypes"})
        final Map<String, Double>[] msByGroup = new Map[4];
        int shared;

        int total() {
            return phase[0] + phase[1] + phase[2] + phase[3];
        }

        /** Counts of the first (they do not change from run to run), the median of each time. */
        static Classes median(List<Classes> runs) {
            Classes m = runs.get(0);
            for (int phase = 0; phase < 4; phase++) {
                Map<String, Double> ms = new LinkedHashMap<>();
                for (String g : GROUPS) {
                    List<Double> v = new ArrayList<>();
                    for (Classes c : runs) v.add(c.msByGroup[phase].getOrDefault(g, 0.0));
                    Collections.sort(v);
                    int n = v.size();
                    ms.put(g, n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2);
                }
                m.msByGroup[phase] = ms;
            }
            return m;
        }

        static Classes of(Path log) {
            Classes c = new Classes();
            for (int i = 0; i < 4; i++) {
                c.byGroup[i] = new LinkedHashMap<>();
                c.msByGroup[i] = new LinkedHashMap<>();
            }
            int phase = 0;
            String lastGroup = null;
            int lastPhase = 0;
            long lastNanos = -1;
            try {
                for (String line : Files.readAllLines(log)) {
                    int start = line.lastIndexOf("] ");
                    int src = line.indexOf(" source: ");
                    if (start < 0 || src < start) continue;
                    long nanos = line.startsWith("[") && line.indexOf("ns]") > 0
                            ? Long.parseLong(line.substring(1, line.indexOf("ns]"))) : -1;
                    if (lastGroup != null && nanos >= 0 && lastNanos >= 0) {
                        c.msByGroup[lastPhase].merge(lastGroup, (nanos - lastNanos) / 1e6, Double::sum);
                    }
                    lastNanos = nanos;
                    lastGroup = null;
                    String name = line.substring(start + 2, src);
                    String source = line.substring(src + 9);
                    if (name.startsWith("dev.handoff.benchmarks.coldstart.")) {
                        if (name.endsWith("Launcher")) phase = Math.max(phase, 1);
                        if (name.endsWith("$ReadyMark")) phase = 2;
                        if (name.endsWith("$FirstInvocationMark")) phase = 3;
                        if (name.endsWith("$EndMark")) phase = -1; // the launcher's own reporting
                        continue;
                    }
                    if (phase < 0) continue;
                    String group = group(name, source);
                    c.phase[phase]++;
                    if (source.startsWith("shared objects file")) c.shared++;
                    c.byGroup[phase].merge(group, 1, Integer::sum);
                    lastGroup = group;
                    lastPhase = phase;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return c;
        }

        static String group(String name, String source) {
            if (name.contains("/0x") || name.contains("$$Lambda")) return "generated";
            if (name.startsWith("software.amazon.awssdk.")) return "aws-sdk";
            if (name.startsWith("com.fasterxml.jackson.")) return "jackson";
            if (name.startsWith("org.yaml.snakeyaml.")) return "snakeyaml";
            if (name.startsWith("com.amazonaws.services.lambda.")) return "lambda-events";
            if (name.startsWith("org.joda.")) return "joda-time";
            if (name.startsWith("dev.handoff.")) return "handoff";
            if (name.startsWith("sun.security.") || name.startsWith("java.security.") || name.startsWith("javax.net.")
                    || name.startsWith("javax.crypto.") || name.startsWith("com.sun.crypto.")) return "JDK security/TLS";
            if (source.startsWith("jrt:") || source.startsWith("shared objects file") || name.startsWith("java.")
                    || name.startsWith("javax.") || name.startsWith("jdk.") || name.startsWith("sun.")
                    || name.startsWith("com.sun.")) return "JDK";
            return "other";
        }
    }
}
