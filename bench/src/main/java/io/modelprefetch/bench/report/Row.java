package io.modelprefetch.bench.report;

/**
 * One line of the report: medians over the successful runs of a (tool, source, dataset). Rates in
 * MB/s (10^6 bytes); {@code ratioToModelprefetch} = this MB/s / modelprefetch's MB/s on the same
 * source and dataset (NaN when modelprefetch has no row there).
 */
public record Row(String tool, String source, String dataset, int runs, int okRuns, double wallSeconds,
                  double megabytesPerSecond, double percentOfLink, double ratioToModelprefetch, double peakRssMiB,
                  double cpuSeconds, double firstConnectSeconds, double connections, String status) {
    public boolean ok() {
        return okRuns > 0;
    }
}
