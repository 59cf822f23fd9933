package io.modelprefetch.bench.report;

import io.modelprefetch.bench.run.RunResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Folds runs into {@link Row}s: medians of the good runs; a (tool, source, dataset, link) with no
 * good run is failed.
 */
public final class Summary {
  private static final double GIB = 1L << 30;
  private final Map<String, Double> linkMegabytesPerSecond;

  /**
   * {@code linkMegabytesPerSecond}: the aggregate cap of every link name, for {@code % of link}.
   */
  public Summary(Map<String, Double> linkMegabytesPerSecond) {
    this.linkMegabytesPerSecond = Map.copyOf(linkMegabytesPerSecond);
  }

  public List<Row> rows(List<RunResult> results) {
    Map<String, List<RunResult>> groups = new LinkedHashMap<>();
    results.forEach(
        r ->
            groups
                .computeIfAbsent(
                    r.tool() + "|" + r.source() + "|" + r.dataset() + "|" + r.link(),
                    k -> new ArrayList<>())
                .add(r));
    List<Row> rows = groups.values().stream().map(this::row).toList();
    return rows.stream()
        .map(
            r ->
                r.with(
                    100 * r.megabytesPerSecond() / ceiling(r, rows),
                    r.megabytesPerSecond() / modelprefetch(r, rows)))
        .toList();
  }

  private Row row(List<RunResult> runs) {
    RunResult first = runs.getFirst();
    List<RunResult> ok = runs.stream().filter(RunResult::ok).toList();
    if (ok.isEmpty()) {
      return new Row(
          first.tool(),
          first.source(),
          first.dataset(),
          first.link(),
          runs.size(),
          0,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          "FAILED: " + first.error());
    }
    double wall = median(ok, r -> r.measurement().wallSeconds());
    double mbps = first.bytes() / 1e6 / wall;
    double rss = ok.stream().mapToLong(r -> r.measurement().peakRssKiB()).max().orElse(0) / 1024.0;
    double cpu = median(ok, r -> r.measurement().cpuSeconds());
    String status = ok.size() == runs.size() ? "ok" : "ok " + ok.size() + "/" + runs.size();
    return new Row(
        first.tool(),
        first.source(),
        first.dataset(),
        first.link(),
        runs.size(),
        ok.size(),
        wall,
        mbps,
        100 * mbps / linkMegabytesPerSecond.getOrDefault(first.link(), Double.NaN),
        Double.NaN,
        Double.NaN,
        rss,
        cpu,
        cpu / (first.bytes() / GIB),
        median(ok, r -> r.measurement().firstConnectSeconds()),
        median(ok, r -> r.measurement().connections()),
        status);
  }

  /**
   * The ceiling row's MB/s, or a tool's when one moved more (then the ceiling run was held back,
   * e.g. by a loaded machine, and the best measured rate is the better bound).
   */
  private static double ceiling(Row r, List<Row> all) {
    if (all.stream().noneMatch(o -> o.isCeiling() && o.ok() && o.sameRunAs(r))) {
      return Double.NaN;
    }
    return all.stream()
        .filter(o -> o.ok() && o.sameRunAs(r))
        .mapToDouble(Row::megabytesPerSecond)
        .max()
        .orElse(Double.NaN);
  }

  private static double modelprefetch(Row r, List<Row> all) {
    return all.stream()
        .filter(
            o -> o.isModelprefetch() && o.ok() && o.sameRunAs(r) && o.source().equals(r.source()))
        .mapToDouble(Row::megabytesPerSecond)
        .max()
        .orElse(Double.NaN);
  }

  static double median(List<RunResult> runs, ToDoubleFunction<RunResult> f) {
    double[] v = runs.stream().mapToDouble(f).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
