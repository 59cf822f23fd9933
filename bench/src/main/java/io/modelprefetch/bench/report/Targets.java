package io.modelprefetch.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The goals, measured: each line says the target, what was measured and whether it was met. */
public final class Targets {
    public record Check(String target, String measured, boolean met) {
    }

    private static final double LARGE_LINK_SHARE = 90;
    private static final double MIXED_FACTOR = 1.5;
    private static final double MANY_SMALL_FACTOR = 2.0;
    private static final double RSS_MIB = 256;
    private static final double FIRST_REQUEST_S = 1.0;

    public List<Check> evaluate(List<Row> rows) {
        List<Check> checks = new ArrayList<>();
        best(rows, "large", true).ifPresent(mp -> {
            checks.add(new Check("large >= 90 % of the aggregate link", "%.0f %% (%s, %.0f MB/s)"
                    .formatted(mp.percentOfLink(), mp.source(), mp.megabytesPerSecond()), mp.percentOfLink() >= LARGE_LINK_SHARE));
            checks.add(new Check("downloader peak RSS <= 256 MiB on large", "%.0f MiB".formatted(mp.peakRssMiB()),
                    mp.peakRssMiB() <= RSS_MIB));
        });
        versusPeers(rows, "mixed", MIXED_FACTOR).ifPresent(checks::add);
        versusPeers(rows, "many-small", MANY_SMALL_FACTOR).ifPresent(checks::add);
        rows.stream().filter(r -> r.tool().startsWith("modelprefetch") && r.ok() && !r.source().equals("http"))
                .mapToDouble(Row::firstConnectSeconds).max().ifPresent(s -> checks.add(
                        new Check("JVM start to first request <= 1 s", "%.2f s (worst hf/s3 row)".formatted(s),
                                s <= FIRST_REQUEST_S)));
        return checks;
    }

    private static Optional<Check> versusPeers(List<Row> rows, String dataset, double factor) {
        Optional<Row> mp = best(rows, dataset, true);
        Optional<Row> peer = best(rows, dataset, false);
        if (mp.isEmpty() || peer.isEmpty()) {
            return Optional.empty();
        }
        double ratio = mp.get().megabytesPerSecond() / peer.get().megabytesPerSecond();
        return Optional.of(new Check("%s >= %.1fx the best peer".formatted(dataset, factor),
                "%.2fx (modelprefetch %s %.0f MB/s vs %s %s %.0f MB/s)".formatted(ratio, mp.get().source(),
                        mp.get().megabytesPerSecond(), peer.get().tool(), peer.get().source(),
                        peer.get().megabytesPerSecond()), ratio >= factor));
    }

    private static Optional<Row> best(List<Row> rows, String dataset, boolean modelprefetch) {
        return rows.stream().filter(r -> r.ok() && r.dataset().equals(dataset)
                        && r.tool().startsWith("modelprefetch") == modelprefetch)
                .max(Comparator.comparingDouble(Row::megabytesPerSecond));
    }
}
