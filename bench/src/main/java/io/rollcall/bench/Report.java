package io.rollcall.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints results as a table (Rollcall, reference, ratio) and writes them as JSON and as Markdown tables. */
public final class Report {
    private Report() {}

    public static void print(Result r, PrintStream out) {
        out.printf(Locale.ROOT, "%n== %s %s%n", r.scenario, r.parameters);
        String third = r.thirdColumn == null ? "" : String.format(Locale.ROOT, " %20s", r.thirdColumn);
        out.printf(Locale.ROOT, "%-34s %16s %16s %8s%s%n", "metric", r.firstColumn, r.secondColumn, "ratio", third);
        for (String metric : r.units.keySet()) {
            Double a = r.rollcall.get(metric);
            Double b = r.reference.get(metric);
            double ratio = r.ratio(metric);
            String c = r.thirdColumn == null ? "" : String.format(Locale.ROOT, " %20s", fmt(r.third.get(metric)));
            out.printf(Locale.ROOT, "%-34s %16s %16s %8s%s%n", metric + " (" + r.units.get(metric) + ")",
                    fmt(a), fmt(b), Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2f", ratio), c);
        }
    }

    private static String fmt(Double v) {
        if (v == null) {
            return "-";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3f", v);
    }

    /** The same tables in Markdown, for the README: pasted as generated, so its figures are the run's. */
    public static void writeMarkdown(List<Result> results, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        StringBuilder md = new StringBuilder();
        for (Result r : results) {
            md.append(String.format(Locale.ROOT, "%n**%s** %s%n%n", r.scenario, r.parameters));
            boolean third = r.thirdColumn != null;
            md.append("| metric | ").append(r.firstColumn).append(" | ").append(r.secondColumn).append(" | ratio |")
                    .append(third ? " " + r.thirdColumn + " |" : "").append('\n');
            md.append("|---|---:|---:|---:|").append(third ? "---:|" : "").append('\n');
            for (String metric : r.units.keySet()) {
                double ratio = r.ratio(metric);
                md.append("| ").append(metric).append(" (").append(r.units.get(metric)).append(") | ")
                        .append(fmt(r.rollcall.get(metric))).append(" | ").append(fmt(r.reference.get(metric))).append(" | ")
                        .append(Double.isNaN(ratio) ? "–" : String.format(Locale.ROOT, "%.2f", ratio)).append(" |")
                        .append(third ? " " + fmt(r.third.get(metric)) + " |" : "").append('\n');
            }
        }
        Files.writeString(file, md.toString());
    }

    public static void writeJson(List<Result> results, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "java", System.getProperty("java.version"), "os", System.getProperty("os.name") + " " + System.getProperty("os.arch")));
        doc.put("results", results.stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scenario", r.scenario);
            m.put("parameters", r.parameters);
            m.put("units", r.units);
            m.put("columns", r.thirdColumn == null ? List.of(r.firstColumn, r.secondColumn)
                    : List.of(r.firstColumn, r.secondColumn, r.thirdColumn));
            m.put("rollcall", r.rollcall);
            m.put("reference", r.reference);
            if (r.thirdColumn != null) {
                m.put(r.thirdColumn, r.third);
            }
            Map<String, Double> ratios = new LinkedHashMap<>();
            for (String k : r.units.keySet()) {
                double x = r.ratio(k);
                if (!Double.isNaN(x)) {
                    ratios.put(k, x);
                }
            }
            m.put("ratio", ratios);
            return m;
        }).toList());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
    }
}
