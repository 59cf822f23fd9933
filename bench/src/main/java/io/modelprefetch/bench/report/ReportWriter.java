package io.modelprefetch.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.modelprefetch.bench.run.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes results.json (settings, rows, targets, every run) and results.md; returns the markdown.
 * {@code checks} is null when the targets were not evaluated (quick runs: tiny datasets say
 * nothing).
 */
public final class ReportWriter {
  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public String write(
      Path dir,
      Map<String, Object> settings,
      List<Row> rows,
      List<Targets.Check> checks,
      List<RunResult> runs)
      throws IOException {
    json.writeValue(
        dir.resolve("results.json").toFile(),
        Map.of(
            "settings",
            settings,
            "rows",
            rows,
            "targets",
            checks == null ? List.of() : checks,
            "runs",
            runs));
    String md = markdown(settings, rows, checks);
    Files.writeString(dir.resolve("results.md"), md);
    return md;
  }

  static String markdown(Map<String, Object> settings, List<Row> rows, List<Targets.Check> checks) {
    StringBuilder md = new StringBuilder("# modelprefetch benchmark\n\n");
    settings.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
    md.append(
            "\n"
                + "| link | dataset | source | tool | wall s | MB/s | % of link | % of ceiling |"
                + " ratio to modelprefetch | CPU s/GiB | CPU s | peak RSS MiB | first conn s | TCP"
                + " conns | status |\n")
        .append("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Row r : rows) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
              r.link(),
              r.dataset(),
              r.source(),
              r.tool(),
              num(r.wallSeconds(), 2),
              num(r.megabytesPerSecond(), 1),
              num(r.percentOfLink(), 0),
              num(r.percentOfCeiling(), 0),
              num(r.ratioToModelprefetch(), 2),
              num(r.cpuSecondsPerGiB(), 2),
              num(r.cpuSeconds(), 1),
              num(r.peakRssMiB(), 0),
              num(r.firstConnectSeconds(), 2),
              num(r.connections(), 0),
              r.status()));
    }
    if (checks == null) {
      md.append(
          "\n"
              + "Targets (issue #10) are evaluated on full runs only: quick datasets are too small"
              + " to say anything.\n");
      return md.toString();
    }
    md.append("\nTargets (goals for a full run on a quiet machine, not build failures):\n\n")
        .append("| link | target | measured | met |\n|---|---|---|---|\n");
    checks.forEach(
        c ->
            md.append("| ")
                .append(c.link())
                .append(" | ")
                .append(c.target())
                .append(" | ")
                .append(c.measured())
                .append(" | ")
                .append(c.met() ? "yes" : "not yet")
                .append(" |\n"));
    return md.toString();
  }

  private static String num(double v, int decimals) {
    return Double.isNaN(v) || Double.isInfinite(v)
        ? "—"
        : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
