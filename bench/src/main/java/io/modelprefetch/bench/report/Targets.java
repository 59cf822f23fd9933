package io.modelprefetch.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The goals of issue #10, measured per link shape: each line says the target, what was measured and
 * whether it was met. They are goals for a full run on a quiet machine, not pass/fail of a build.
 */
public final class Targets {
  public record Check(String link, String target, String measured, boolean met) {}

  private static final double LARGE_CEILING_SHARE = 90;
  private static final double LARGE_FACTOR = 1.2;
  private static final double MIXED_FACTOR = 1.5;
  private static final double MANY_SMALL_FACTOR = 2.0;
  private static final double CPU_FACTOR = 1.5;
  private static final double RSS_MIB = 256;
  private static final double FIRST_REQUEST_S = 0.3;

  public List<Check> evaluate(List<Row> rows) {
    List<Check> checks = new ArrayList<>();
    for (String link : rows.stream().map(Row::link).distinct().toList()) {
      List<Row> mine = rows.stream().filter(r -> r.link().equals(link) && r.ok()).toList();
      best(mine, "large", null)
          .ifPresent(
              mp ->
                  checks.add(
                      new Check(
                          link,
                          "large >= 90 % of the ceiling",
                          "%.0f %% (%s, %.0f MB/s)"
                              .formatted(
                                  mp.percentOfCeiling(), mp.source(), mp.megabytesPerSecond()),
                          mp.percentOfCeiling() >= LARGE_CEILING_SHARE)));
      for (String source :
          mine.stream().filter(Row::isModelprefetch).map(Row::source).distinct().toList()) {
        versusPeers(mine, link, "large", source, LARGE_FACTOR).ifPresent(checks::add);
        versusPeers(mine, link, "mixed", source, MIXED_FACTOR).ifPresent(checks::add);
        versusPeers(mine, link, "many-small", source, MANY_SMALL_FACTOR).ifPresent(checks::add);
        cpuVersusS5cmd(mine, link, source).ifPresent(checks::add);
      }
      mine.stream()
          .filter(Row::isModelprefetch)
          .max(Comparator.comparingDouble(Row::peakRssMiB))
          .ifPresent(
              r ->
                  checks.add(
                      new Check(
                          link,
                          "downloader peak RSS <= 256 MiB",
                          "%.0f MiB (%s %s)".formatted(r.peakRssMiB(), r.dataset(), r.source()),
                          r.peakRssMiB() <= RSS_MIB)));
      mine.stream()
          .filter(Row::isModelprefetch)
          .max(Comparator.comparingDouble(Row::firstConnectSeconds))
          .ifPresent(
              r ->
                  checks.add(
                      new Check(
                          link,
                          "start to first request <= 0.3 s",
                          "%.2f s (worst: %s %s)"
                              .formatted(r.firstConnectSeconds(), r.dataset(), r.source()),
                          r.firstConnectSeconds() <= FIRST_REQUEST_S)));
    }
    return checks;
  }

  private static Optional<Check> versusPeers(
      List<Row> rows, String link, String dataset, String source, double factor) {
    Optional<Row> mp = best(rows, dataset, source);
    Optional<Row> peer =
        rows.stream()
            .filter(
                r ->
                    !r.isModelprefetch()
                        && !r.isCeiling()
                        && r.dataset().equals(dataset)
                        && r.source().equals(source))
            .max(Comparator.comparingDouble(Row::megabytesPerSecond));
    if (mp.isEmpty() || peer.isEmpty()) {
      return Optional.empty();
    }
    double ratio = mp.get().megabytesPerSecond() / peer.get().megabytesPerSecond();
    return Optional.of(
        new Check(
            link,
            "%s %s >= %.1fx the best peer".formatted(dataset, source, factor),
            "%.2fx (%.0f vs %s %.0f MB/s)"
                .formatted(
                    ratio,
                    mp.get().megabytesPerSecond(),
                    peer.get().tool(),
                    peer.get().megabytesPerSecond()),
            ratio >= factor));
  }

  private static Optional<Check> cpuVersusS5cmd(List<Row> rows, String link, String source) {
    Optional<Row> mp = best(rows, "large", source);
    Optional<Row> s5cmd =
        rows.stream()
            .filter(r -> r.tool().startsWith("s5cmd") && r.dataset().equals("large"))
            .findFirst();
    if (mp.isEmpty() || s5cmd.isEmpty()) {
      return Optional.empty();
    }
    double ratio = mp.get().cpuSecondsPerGiB() / s5cmd.get().cpuSecondsPerGiB();
    return Optional.of(
        new Check(
            link,
            "large %s CPU s/GiB <= 1.5x s5cmd's".formatted(source),
            "%.2fx (%.2f vs %.2f s/GiB)"
                .formatted(ratio, mp.get().cpuSecondsPerGiB(), s5cmd.get().cpuSecondsPerGiB()),
            ratio <= CPU_FACTOR));
  }

  /** The fastest modelprefetch row of a dataset, on one source or (null) any. */
  private static Optional<Row> best(List<Row> rows, String dataset, String source) {
    return rows.stream()
        .filter(
            r ->
                r.isModelprefetch()
                    && r.dataset().equals(dataset)
                    && (source == null || r.source().equals(source)))
        .max(Comparator.comparingDouble(Row::megabytesPerSecond));
  }
}
