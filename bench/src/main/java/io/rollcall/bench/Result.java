package io.rollcall.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** One scenario's figures for Rollcall and for the reference, in the order they were measured. */
public final class Result {
    public final String scenario;
    public final Map<String, Object> parameters = new LinkedHashMap<>();
    public final Map<String, Double> rollcall = new LinkedHashMap<>();
    public final Map<String, Double> reference = new LinkedHashMap<>();
    public final Map<String, String> units = new LinkedHashMap<>();
    /** What the two columns hold: Rollcall and the bare reference, unless a scenario compares otherwise. */
    public String firstColumn = "rollcall";
    public String secondColumn = "reference";
    /** An optional third column shown beside the two (no ratio), e.g. an earlier reference; null when absent. */
    public String thirdColumn;
    public final Map<String, Double> third = new LinkedHashMap<>();

    public Result(String scenario) {
        this.scenario = scenario;
    }

    public Result columns(String first, String second) {
        firstColumn = first;
        secondColumn = second;
        return this;
    }

    public Result param(String name, Object value) {
        parameters.put(name, value);
        return this;
    }

    public void put(Target.Kind kind, String metric, double value, String unit) {
        (kind == Target.Kind.ROLLCALL ? rollcall : reference).put(metric, value);
        units.put(metric, unit);
    }

    public void putThird(String column, String metric, double value, String unit) {
        thirdColumn = column;
        third.put(metric, value);
        units.putIfAbsent(metric, unit);
    }

    /** Rollcall / reference, or NaN when the reference has no such figure. */
    public double ratio(String metric) {
        Double r = rollcall.get(metric);
        Double ref = reference.get(metric);
        return r == null || ref == null || ref == 0 ? Double.NaN : r / ref;
    }
}
