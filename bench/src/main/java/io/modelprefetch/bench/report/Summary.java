package io.modelprefetch.bench.report;

import io.modelprefetch.bench.run.RunResult;

import java.util.ArrayList;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Folds runs into {@link Row}s: medians of the good runs; a (tool, source, dataset) with no good run is failed. */
public final class Summary {
    private final double linkMegabytesPerSecond;

    public Summary(double linkMegabytesPerSecond) {
        this.linkMegabytesPerSecond = linkMegabytesPerSecond;
    }

    public List<Row> rows(List<RunResult> results) {
        Map<String, List<RunResult>> groups = new LinkedHashMap<>();
        results.forEach(r -> groups.computeIfAbsent(r.tool() + "|" + r.source() + "|" + r.dataset(),
                k -> new ArrayList<>()).add(r));
        List<Row> rows = groups.values().stream().map(this::row).toList();
        return rows.stream().map(r -> withRatio(r, rows)).toList();
    }

    private Row row(List<RunResult> runs) {
        RunResult first = runs.getFirst();
        List<RunResult> ok = runs.stream().filter(RunResult::ok).toList();
        if (ok.isEmpty()) {
            return new Row(first.tool(), first.source(), first.dataset(), runs.size(), 0, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, "FAILED: " + first.error());
        }
        double wall = median(ok, r -> r.measurement().wallSeconds());
        double mbps = first.bytes() / 1e6 / wall;
        double rss = ok.stream().mapToLong(r -> r.measurement().peakRssKiB()).max().orElse(0) / 1024.0;
        String status = ok.size() == runs.size() ? "ok" : "ok " + ok.size() + "/" + runs.size();
        return new Row(first.tool(), first.source(), first.dataset(), runs.size(), ok.size(), wall, mbps,
                100 * mbps / linkMegabytesPerSecond, Double.NaN, rss, median(ok, r -> r.measurement().cpuSeconds()),
                median(ok, r -> r.measurement().firstConnectSeconds()), median(ok, r -> r.measurement().connections()),
                status);
    }

    private static Row withRatio(Row r, List<Row> all) {
        double reference = all.stream()
                .filter(o -> o.tool().startsWith("modelprefetch") && o.ok() && o.source().equals(r.source())
                        && o.dataset().equals(r.dataset()))
                .mapToDouble(Row::megabytesPerSecond).max().orElse(Double.NaN);
        return new Row(r.tool(), r.source(), r.dataset(), r.runs(), r.okRuns(), r.wallSeconds(),
                r.megabytesPerSecond(), r.percentOfLink(), r.megabytesPerSecond() / reference, r.peakRssMiB(),
                r.cpuSeconds(), r.firstConnectSeconds(), r.connections(), r.status());
    }

    static double median(List<RunResult> runs, ToDoubleFunction<RunResult> f) {
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

}
