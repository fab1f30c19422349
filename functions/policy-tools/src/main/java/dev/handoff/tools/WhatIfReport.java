package dev.handoff.tools;

import dev.handoff.core.Stage;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The what-if report's two files (PRODUCT §7): {@code what-if.json} with exactly the contract's fields, and
 * {@code what-if.html}, one page with everything inline (styles, charts as SVG; no script, font, style sheet or
 * image is fetched from anywhere), for a marketing-ops person to read.
 */
final class WhatIfReport {
    /** The HTML lists this many changed contacts; the JSON lists them all. */
    static final int HTML_CHANGES = 1000;

    private WhatIfReport() {}

    static String json(WhatIfTally t) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("baseline", Map.of("version", t.baseline.version()));
        root.put("draft", Map.of("version", t.draft.version()));
        root.put("contacts", t.contacts);
        Map<String, Object> stages = new LinkedHashMap<>();
        stages.put("baseline", stageCounts(t, t.baselineSide));
        stages.put("draft", stageCounts(t, t.draftSide));
        root.put("stages", stages);
        List<Object> changes = new ArrayList<>();
        for (WhatIfTally.Change c : t.changes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("email", c.email());
            m.put("from", id(c.from()));
            m.put("to", id(c.to()));
            m.put("reason", c.reason());
            m.put("fit", List.of(c.fit()[0], c.fit()[1]));
            m.put("engagement", List.of(c.engagement()[0], c.engagement()[1]));
            changes.add(m);
        }
        root.put("changes", changes);
        Map<String, Object> backtest = new LinkedHashMap<>();
        backtest.put("outcomes", t.outcomes);
        backtest.put("baseline", backtestSide(t, t.baselineSide));
        backtest.put("draft", backtestSide(t, t.draftSide));
        root.put("backtest", backtest);
        return dev.handoff.aws.Json.JR.with(com.fasterxml.jackson.jr.ob.JSON.Feature.PRETTY_PRINT_OUTPUT).asString(root) + "\n";
    }

    private static Map<String, Object> stageCounts(WhatIfTally t, WhatIfTally.Side side) {
        Map<String, Object> counts = new LinkedHashMap<>();
        for (Stage s : t.stagesSeen()) counts.put(s.id(), side.stages.getOrDefault(s, 0L));
        return counts;
    }

    private static Map<String, Object> backtestSide(WhatIfTally t, WhatIfTally.Side side) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sql", side.sql);
        m.put("precision", side.precision());
        m.put("recall", side.recall(t.outcomes));
        return m;
    }

    private static String id(Stage s) {
        return s == null ? null : s.id();
    }

    // ------------------------------------------------------------------------------------------------ HTML

    static String html(WhatIfTally t, Instant generated) {
        StringBuilder h = new StringBuilder(64 * 1024);
        String b = esc(t.baseline.version());
        String d = esc(t.draft.version());
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>What if: ").append(d).append(" instead of ").append(b).append("</title>\n<style>\n")
                .append("body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d2430}\n")
                .append("h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2.2rem;border-bottom:1px solid #dde2ea;padding-bottom:.3rem}\n")
                .append(".sub{color:#5b6576}.b{color:#7a8699}.d{color:#2563eb}\n")
                .append("table{border-collapse:collapse;margin:.6rem 0}th,td{padding:.3rem .7rem;text-align:right;border-bottom:1px solid #eef1f5}\n")
                .append("th:first-child,td:first-child{text-align:left}th{font-weight:600;color:#3b4656}\n")
                .append(".up{color:#15803d}.down{color:#b91c1c}.num{font-variant-numeric:tabular-nums}\n")
                .append(".charts{display:flex;flex-wrap:wrap;gap:2rem}.key span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 1rem;vertical-align:-1px}\n")
                .append("</style></head><body>\n");
        h.append("<h1>What if <span class=\"d\">").append(d).append("</span> replaced <span class=\"b\">").append(b)
                .append("</span>?</h1>\n<p class=\"sub\">").append(fmt(t.contacts)).append(" contacts, both policies evaluated at ")
                .append(esc(t.now.toString())).append(". Nothing was written to the table. Report made ")
                .append(esc(generated.toString())).append(".</p>\n");

        // Stage counts, side by side.
        h.append("<h2>Where contacts would stand</h2>\n<table><tr><th>stage</th><th class=\"b\">baseline</th><th class=\"d\">draft</th><th>change</th></tr>\n");
        for (Stage s : t.stagesSeen()) {
            long before = t.baselineSide.stages.getOrDefault(s, 0L);
            long after = t.draftSide.stages.getOrDefault(s, 0L);
            h.append("<tr><td>").append(s.id()).append("</td><td class=\"num\">").append(fmt(before))
                    .append("</td><td class=\"num\">").append(fmt(after)).append("</td><td class=\"num ")
                    .append(after > before ? "up" : after < before ? "down" : "").append("\">")
                    .append(after == before ? "=" : (after > before ? "+" : "") + fmt(after - before)).append("</td></tr>\n");
        }
        h.append("</table>\n<p class=\"sub\">A contact's stage under a policy is where the functions would move it now: its stored stage, moved forward only, and not at all while a person's backward move holds it.</p>\n");

        // Score distributions.
        h.append("<h2>Score distributions</h2>\n<p class=\"key\"><span style=\"background:#9aa5b5\"></span>baseline ")
                .append(b).append("<span style=\"background:#2563eb\"></span>draft ").append(d).append("</p>\n<div class=\"charts\">\n");
        h.append(chart("Fit score", t.baselineSide.fit, t.draftSide.fit));
        h.append(chart("Engagement score", t.baselineSide.engagement, t.draftSide.engagement));
        h.append("</div>\n");

        // Changes.
        List<WhatIfTally.Change> changes = t.changes();
        h.append("<h2>Contacts that would change stage (").append(fmt(changes.size())).append(")</h2>\n");
        if (changes.isEmpty()) {
            h.append("<p>None: the draft puts every contact where the baseline does.</p>\n");
        } else {
            h.append("<table><tr><th>contact</th><th>baseline stage</th><th>draft stage</th><th>rule</th>")
                    .append("<th>fit <span class=\"b\">baseline</span> / <span class=\"d\">draft</span></th>")
                    .append("<th>engagement <span class=\"b\">baseline</span> / <span class=\"d\">draft</span></th></tr>\n");
            for (WhatIfTally.Change c : changes.subList(0, Math.min(HTML_CHANGES, changes.size()))) {
                h.append("<tr><td>").append(esc(c.email())).append("</td><td>").append(esc(id(c.from()))).append("</td><td>")
                        .append(esc(id(c.to()))).append("</td><td>").append(esc(c.reason())).append("</td><td class=\"num\">")
                        .append(c.fit()[0]).append(" / ").append(c.fit()[1]).append("</td><td class=\"num\">")
                        .append(c.engagement()[0]).append(" / ").append(c.engagement()[1]).append("</td></tr>\n");
            }
            h.append("</table>\n");
            if (changes.size() > HTML_CHANGES) {
                h.append("<p class=\"sub\">The first ").append(fmt(HTML_CHANGES)).append(" by email; what-if.json lists all ")
                        .append(fmt(changes.size())).append(".</p>\n");
            }
        }

        // Backtest.
        h.append("<h2>Backtest against outcomes</h2>\n<p>").append(fmt(t.outcomes))
                .append(" contacts became an opportunity or a customer. Each is judged as of the moment it first did, with only the signals it had then; every other contact is judged now. ")
                .append("<em>SQL</em> counts the contacts a policy's own rules make SQL or more (a person's or an import's moves do not count).</p>\n")
                .append("<table><tr><th>policy</th><th>SQL</th><th>outcomes among them</th><th>precision</th><th>recall</th></tr>\n");
        backtestRow(h, "baseline " + b, "b", t.baselineSide, t.outcomes);
        backtestRow(h, "draft " + d, "d", t.draftSide, t.outcomes);
        h.append("</table>\n<p class=\"sub\">Precision: outcomes among the SQLs / SQLs. Recall: outcomes among the SQLs / outcomes.</p>\n");
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void backtestRow(StringBuilder h, String label, String cls, WhatIfTally.Side side, long outcomes) {
        h.append("<tr><td class=\"").append(cls).append("\">").append(label).append("</td><td class=\"num\">").append(fmt(side.sql))
                .append("</td><td class=\"num\">").append(fmt(side.sqlOutcomes)).append("</td><td class=\"num\">")
                .append(percent(side.precision())).append("</td><td class=\"num\">").append(percent(side.recall(outcomes)))
                .append("</td></tr>\n");
    }

    /** Grouped bars, baseline and draft, for the ten score buckets, as inline SVG. */
    static String chart(String title, long[] baseline, long[] draft) {
        int w = 480;
        int h = 220;
        int left = 48;
        int bottom = 30;
        int top = 28;
        long max = 1;
        for (int i = 0; i < WhatIfTally.BUCKETS; i++) max = Math.max(max, Math.max(baseline[i], draft[i]));
        double plotH = h - top - bottom;
        double slot = (w - left - 8) / (double) WhatIfTally.BUCKETS;
        double bar = slot * 0.38;
        StringBuilder s = new StringBuilder();
        s.append("<svg width=\"").append(w).append("\" height=\"").append(h)
                .append("\" viewBox=\"0 0 ").append(w).append(' ').append(h).append("\" role=\"img\" aria-label=\"")
                .append(esc(title)).append(" distribution, baseline and draft\">\n");
        s.append("<text x=\"").append(left).append("\" y=\"16\" font-size=\"14\" font-weight=\"600\" fill=\"#1d2430\">")
                .append(esc(title)).append("</text>\n");
        s.append("<text x=\"").append(left - 6).append("\" y=\"").append(top + 4).append("\" font-size=\"11\" text-anchor=\"end\" fill=\"#5b6576\">")
                .append(fmt(max)).append("</text>\n");
        s.append("<text x=\"").append(left - 6).append("\" y=\"").append(h - bottom).append("\" font-size=\"11\" text-anchor=\"end\" fill=\"#5b6576\">0</text>\n");
        s.append("<line x1=\"").append(left).append("\" y1=\"").append(h - bottom).append("\" x2=\"").append(w - 4)
                .append("\" y2=\"").append(h - bottom).append("\" stroke=\"#c9d0da\"/>\n");
        for (int i = 0; i < WhatIfTally.BUCKETS; i++) {
            double x = left + i * slot + slot * 0.1;
            s.append(rect(x, baseline[i], max, plotH, top, bar, "#9aa5b5", "baseline " + label(i) + ": " + fmt(baseline[i])));
            s.append(rect(x + bar, draft[i], max, plotH, top, bar, "#2563eb", "draft " + label(i) + ": " + fmt(draft[i])));
            s.append("<text x=\"").append(num(x + bar)).append("\" y=\"").append(h - bottom + 16)
                    .append("\" font-size=\"10\" text-anchor=\"middle\" fill=\"#5b6576\">").append(label(i)).append("</text>\n");
        }
        return s.append("</svg>\n").toString();
    }

    private static String rect(double x, long value, long max, double plotH, int top, double width, String fill, String tip) {
        double height = plotH * value / max;
        return "<rect x=\"" + num(x) + "\" y=\"" + num(top + plotH - height) + "\" width=\"" + num(width) + "\" height=\""
                + num(height) + "\" fill=\"" + fill + "\"><title>" + esc(tip) + "</title></rect>\n";
    }

    private static String label(int bucket) {
        return bucket == WhatIfTally.BUCKETS - 1 ? "90-100" : (bucket * 10) + "-" + (bucket * 10 + 9);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String fmt(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.1f %%", ratio * 100);
    }

    /** Text from contacts and policy files, safe inside HTML text and attribute values. */
    static String esc(String s) {
        if (s == null) return "";
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
