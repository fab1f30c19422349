package dev.handoff.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One invocation's business metrics ({@link Metric}), written when it ends as CloudWatch Embedded Metric Format log
 * lines: CloudWatch Logs turns them into metrics in namespace {@value #NAMESPACE}, with no API call and no agent.
 * One line per dimension value (one for the metrics without a dimension), each carrying the request id, so a count
 * can be traced back to the invocation's other lines. Counts of a line are summed; millisecond values are kept one
 * by one (EMF takes an array), so CloudWatch's percentiles see each.
 *
 * <p>Get one from {@link Log#metrics()}, add to it while handling, {@link #flush()} in a {@code finally}.
 */
public final class Metrics {
    public static final String NAMESPACE = "Handoff";

    private final Log log;
    /** Dimension value ("" for none) → metric → values. */
    private final Map<String, Map<Metric, List<Long>>> lines = new LinkedHashMap<>();

    Metrics(Log log) {
        this.log = log;
    }

    /** Counts one of a metric without a dimension. */
    public void count(Metric metric) {
        add(metric, null, 1);
    }

    public void count(Metric metric, long n) {
        add(metric, null, n);
    }

    /** Counts one of a metric with a dimension ({@link Metric#dimension()}), for that dimension's value. */
    public void count(Metric metric, String dimensionValue) {
        add(metric, dimensionValue, 1);
    }

    public void millis(Metric metric, long millis) {
        add(metric, null, millis);
    }

    private void add(Metric metric, String dimensionValue, long value) {
        if ((metric.dimension() == null) != (dimensionValue == null)) {
            throw new IllegalArgumentException(metric + (metric.dimension() == null ? " has no dimension"
                    : " needs a value for its dimension " + metric.dimension()));
        }
        lines.computeIfAbsent(metric.dimension() == null ? "" : metric.dimension() + "\u0000" + dimensionValue,
                        k -> new LinkedHashMap<>())
                .computeIfAbsent(metric, m -> new ArrayList<>()).add(value);
    }

    /** Writes what was added as EMF lines, and forgets it. Nothing added, nothing written. */
    public void flush() {
        long now = System.currentTimeMillis();
        for (Map.Entry<String, Map<Metric, List<Long>>> line : lines.entrySet()) {
            Map<String, Object> root = new LinkedHashMap<>();
            List<Object> definitions = new ArrayList<>();
            List<String> dimensions = new ArrayList<>();
            int split = line.getKey().indexOf('\u0000');
            if (split >= 0) {
                String name = line.getKey().substring(0, split);
                dimensions.add(name);
                root.put(name, line.getKey().substring(split + 1));
            }
            for (Map.Entry<Metric, List<Long>> m : line.getValue().entrySet()) {
                definitions.add(Map.of("Name", m.getKey().name(), "Unit", m.getKey().unit().cloudWatch));
                List<Long> values = m.getValue();
                if (m.getKey().unit() == Metric.Unit.COUNT) {
                    long sum = 0;
                    for (long v : values) sum += v;
                    root.put(m.getKey().name(), sum);
                } else {
                    root.put(m.getKey().name(), values.size() == 1 ? values.get(0) : List.copyOf(values));
                }
            }
            Map<String, Object> directive = new LinkedHashMap<>();
            directive.put("Namespace", NAMESPACE);
            directive.put("Dimensions", List.of(dimensions));
            directive.put("Metrics", definitions);
            Map<String, Object> aws = new LinkedHashMap<>();
            aws.put("Timestamp", now);
            aws.put("CloudWatchMetrics", List.of(directive));
            Map<String, Object> emf = new LinkedHashMap<>();
            emf.put("_aws", aws);
            emf.putAll(root);
            log.metricLine(emf);
        }
        lines.clear();
    }
}
