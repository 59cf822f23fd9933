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

/** Writes results.json (settings, rows, targets, every run) and results.md; returns the markdown. */
public final class ReportWriter {
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public String write(Path dir, Map<String, Object> settings, List<Row> rows, List<Targets.Check> checks,
                        List<RunResult> runs) throws IOException {
        json.writeValue(dir.resolve("results.json").toFile(),
                Map.of("settings", settings, "rows", rows, "targets", checks, "runs", runs));
        String md = markdown(settings, rows, checks);
        Files.writeString(dir.resolve("results.md"), md);
        return md;
    }

    static String markdown(Map<String, Object> settings, List<Row> rows, List<Targets.Check> checks) {
        StringBuilder md = new StringBuilder("# modelprefetch benchmark\n\n");
        settings.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        md.append("\n| tool | source | dataset | wall s | MB/s | % of link | ratio to modelprefetch | peak RSS MiB | CPU s | first conn s | TCP conns | status |\n")
                .append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    r.tool(), r.source(), r.dataset(), num(r.wallSeconds(), 2), num(r.megabytesPerSecond(), 1),
                    num(r.percentOfLink(), 0), num(r.ratioToModelprefetch(), 2), num(r.peakRssMiB(), 0),
                    num(r.cpuSeconds(), 1), num(r.firstConnectSeconds(), 2), num(r.connections(), 0), r.status()));
        }
        md.append("\n| target | measured | met |\n|---|---|---|\n");
        checks.forEach(c -> md.append("| ").append(c.target()).append(" | ").append(c.measured()).append(" | ")
                .append(c.met() ? "yes" : "**no**").append(" |\n"));
        return md.toString();
    }

    private static String num(double v, int decimals) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "—" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
