package io.modelprefetch.bench.report;

/**
 * One line of the report: medians over the successful runs of a (tool, source, dataset, link).
 * Rates in MB/s (10^6 bytes); {@code percentOfCeiling} = this MB/s / the ceiling row's MB/s on the
 * same dataset and link (or the best row's, when a tool beat the ceiling run); {@code
 * ratioToModelprefetch} = this MB/s / modelprefetch's MB/s on the same source, dataset and link
 * (NaN when there is no such row); {@code cpuSecondsPerGiB} = user + system CPU seconds of the
 * whole process tree per GiB moved.
 */
public record Row(
    String tool,
    String source,
    String dataset,
    String link,
    int runs,
    int okRuns,
    double wallSeconds,
    double megabytesPerSecond,
    double percentOfLink,
    double percentOfCeiling,
    double ratioToModelprefetch,
    double peakRssMiB,
    double cpuSeconds,
    double cpuSecondsPerGiB,
    double firstConnectSeconds,
    double connections,
    String status) {
  public static final String CEILING = "ceiling";

  public boolean ok() {
    return okRuns > 0;
  }

  public boolean isModelprefetch() {
    return tool.startsWith("modelprefetch");
  }

  public boolean isCeiling() {
    return tool.startsWith(CEILING);
  }

  /** Same dataset and link: rows that ran against the same data through the same shaper. */
  public boolean sameRunAs(Row other) {
    return dataset.equals(other.dataset) && link.equals(other.link);
  }

  Row with(double percentOfCeiling, double ratioToModelprefetch) {
    return new Row(
        tool,
        source,
        dataset,
        link,
        runs,
        okRuns,
        wallSeconds,
        megabytesPerSecond,
        percentOfLink,
        percentOfCeiling,
        ratioToModelprefetch,
        peakRssMiB,
        cpuSeconds,
        cpuSecondsPerGiB,
        firstConnectSeconds,
        connections,
        status);
  }
}
