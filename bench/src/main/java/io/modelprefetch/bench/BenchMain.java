package io.modelprefetch.bench;

import io.modelprefetch.bench.data.DatasetCache;
import io.modelprefetch.bench.data.DatasetCatalog;
import io.modelprefetch.bench.data.DatasetSizes;
import io.modelprefetch.bench.data.PreparedDataset;
import io.modelprefetch.bench.origin.ShapedOrigins;
import io.modelprefetch.bench.peer.CeilingPeer;
import io.modelprefetch.bench.peer.Peer;
import io.modelprefetch.bench.peer.Toolbox;
import io.modelprefetch.bench.report.ReportWriter;
import io.modelprefetch.bench.report.Row;
import io.modelprefetch.bench.report.Summary;
import io.modelprefetch.bench.report.Targets;
import io.modelprefetch.bench.run.BenchRun;
import io.modelprefetch.bench.run.RunResult;
import io.modelprefetch.bench.run.ShaperCheck;
import io.modelprefetch.bench.run.TimedProcess;
import io.modelprefetch.bench.shaper.LinkShape;
import io.modelprefetch.bench.shaper.ShapedLink;
import io.modelprefetch.fixtures.data.FileSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The benchmark driver (bench/run.sh runs it): datasets, shaped origins, peers, report. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Downloads the benchmark datasets with modelprefetch and peer tools through shaped loopback"
            + " origins.")
public final class BenchMain implements Callable<Integer> {
  private static final long MB = 1_000_000;
  private static final long MIB = 1 << 20;
  private static final String SHAPER_CHECK = "single curl stream MB/s";

  @Option(
      names = "--quick",
      description = "tiny datasets, 1 run (CI: keeps the harness from rotting)")
  private boolean quick;

  @Option(
      names = "--runs",
      description =
          "runs per peer (median reported; default 1: two link shapes fit in ~12 minutes; use 3 for"
              + " the targets' medians)")
  private Integer runs;

  @Option(names = "--datasets", split = ",", defaultValue = "many-small,mixed,large")
  private List<String> datasets;

  @Option(names = "--sources", split = ",", defaultValue = "hf,s3,http")
  private List<String> sources;

  @Option(
      names = "--tools",
      split = ",",
      description = "only tools whose name contains one of these")
  private List<String> tools = List.of();

  @Option(
      names = "--links",
      split = ",",
      description = "link shapes, in order: fat, wan (default fat,wan; quick fat)")
  private List<String> links;

  @Option(
      names = "--per-connection-mbps",
      defaultValue = "25",
      description = "fat link: MB/s per connection (default ${DEFAULT-VALUE})")
  private double perConnection;

  @Option(
      names = "--rtt-ms",
      defaultValue = "20",
      description = "fat link: added round trip (default ${DEFAULT-VALUE})")
  private long rttMillis;

  @Option(
      names = "--wan-per-connection-mbps",
      defaultValue = "8",
      description = "wan link: MB/s per connection (default ${DEFAULT-VALUE})")
  private double wanPerConnection;

  @Option(
      names = "--wan-rtt-ms",
      defaultValue = "80",
      description = "wan link: added round trip (default ${DEFAULT-VALUE})")
  private long wanRttMillis;

  @Option(
      names = "--aggregate-mbps",
      defaultValue = "300",
      description = "MB/s over all connections, both links (default ${DEFAULT-VALUE})")
  private double aggregate;

  @Option(
      names = "--no-ceiling",
      description = "leave out the ceiling row (many parallel curl ranges to /dev/null)")
  private boolean noCeiling;

  @Option(
      names = "--large-mib",
      description = "size of each of the 2 large files (default 256, quick 24)")
  private Long largeMib;

  @Option(
      names = "--mixed-mib",
      description = "size of each of the 4 big mixed files (default 64, quick 6)")
  private Long mixedMib;

  @Option(
      names = "--many-small-count",
      description = "number of 64 KiB files (default 500, quick 100)")
  private Integer manySmallCount;

  @Option(
      names = "--modelprefetch-flags",
      description =
          "an extra modelprefetch variant, e.g. '--connections 32 --chunk-size 16MiB' (repeatable)")
  private List<String> modelprefetchFlags = List.of();

  @Option(names = "--timeout-s", description = "per-run limit (default 900, quick 120)")
  private Long timeoutSeconds;

  @Option(
      names = "--serve",
      description =
          "only serve the first dataset through the shaped origins and print their endpoints"
              + " (manual runs)")
  private boolean serve;

  @Option(names = "--out", required = true, description = "results directory")
  private Path out;

  @Option(names = "--cache", required = true, description = "dataset cache directory")
  private Path cache;

  @Option(
      names = "--modelprefetch",
      required = true,
      description = "launcher, e.g. hack/modelprefetch")
  private Path modelprefetch;

  /** A link shape by the name the report uses. */
  private record NamedLink(String name, LinkShape shape) {
    String describe() {
      return String.format(
          Locale.ROOT,
          "%.0f MB/s per connection, %d ms RTT, %.0f MB/s aggregate",
          shape.perConnectionBytesPerSecond() / (double) MB,
          shape.roundTrip().toMillis(),
          shape.aggregateBytesPerSecond() / (double) MB);
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    int rounds = runs != null ? runs : 1;
    List<NamedLink> shapes = links();
    Files.createDirectories(out.resolve("logs"));
    Toolbox toolbox = new Toolbox(System.getenv());
    List<Peer> peers =
        toolbox
            .peers(
                modelprefetch,
                variants(),
                Path.of(ProcessHandle.current().info().command().orElse("java")),
                System.getProperty("java.class.path"))
            .stream()
            .filter(
                p ->
                    p instanceof CeilingPeer
                        ? !noCeiling
                        : sources.contains(p.source().label())
                            && (tools.isEmpty()
                                || tools.stream().anyMatch(t -> p.tool().contains(t))))
            .toList();
    Map<String, Object> settings = settings(shapes, rounds, toolbox);
    settings.forEach((k, v) -> System.out.println(k + ": " + v));
    BenchRun bench =
        new BenchRun(
            new TimedProcess(
                Duration.ofSeconds(timeoutSeconds != null ? timeoutSeconds : quick ? 120 : 900)),
            out.resolve("work"),
            out.resolve("logs"),
            System.out);
    DatasetCatalog catalog = new DatasetCatalog(sizes());
    DatasetCache datasetCache = new DatasetCache(cache);
    List<RunResult> results = new ArrayList<>();
    if (serve) {
      return serve(catalog, datasetCache, shapes.getFirst().shape());
    }
    for (NamedLink link : shapes) {
      String check = SHAPER_CHECK + " (" + link.name() + ")";
      for (String name : datasets) {
        PreparedDataset data = datasetCache.prepare(catalog.get(name));
        try (ShapedOrigins origins = new ShapedOrigins(new ShapedLink(link.shape()), data)) {
          long cap = link.shape().perConnectionBytesPerSecond();
          if (!settings.containsKey(check) && biggest(data).size() >= cap) {
            settings.put(check, shaperCheck(origins, data, cap));
            System.out.println(check + ": " + settings.get(check));
          }
          results.addAll(bench.run(link.name(), origins, data, peers, rounds));
        }
        report(
            settings,
            results); // after every dataset, so a long run that is stopped still has a report
      }
    }
    System.out.println();
    System.out.println(report(settings, results));
    // Peers failing is a finding for the report; modelprefetch failing (or no result at all) fails
    // the run.
    boolean modelprefetchFailed =
        results.stream().anyMatch(r -> !r.ok() && r.tool().startsWith("modelprefetch"));
    return results.isEmpty() || modelprefetchFailed ? 1 : 0;
  }

  private String report(Map<String, Object> settings, List<RunResult> results)
      throws java.io.IOException {
    Map<String, Double> caps = new LinkedHashMap<>();
    links().forEach(l -> caps.put(l.name(), l.shape().aggregateBytesPerSecond() / (double) MB));
    List<Row> rows = new Summary(caps).rows(results);
    return new ReportWriter()
        .write(out, settings, rows, quick ? null : new Targets().evaluate(rows), results);
  }

  private int serve(DatasetCatalog catalog, DatasetCache datasetCache, LinkShape shape)
      throws Exception {
    PreparedDataset data = datasetCache.prepare(catalog.get(datasets.getFirst()));
    try (ShapedOrigins origins = new ShapedOrigins(new ShapedLink(shape), data)) {
      System.out.println(origins.endpoints() + " files=" + data.files());
      new java.util.concurrent.CountDownLatch(1).await();
    }
    return 0;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private List<List<String>> variants() {
    List<List<String>> variants = new ArrayList<>();
    variants.add(List.of());
    modelprefetchFlags.forEach(f -> variants.add(Arrays.asList(f.trim().split("\\s+"))));
    return variants;
  }

  private DatasetSizes sizes() {
    DatasetSizes base = quick ? DatasetSizes.quick() : DatasetSizes.full();
    return new DatasetSizes(
        largeMib != null ? largeMib * MIB : base.largeFile(),
        mixedMib != null ? mixedMib * MIB : base.mixedBigFile(),
        base.mixedSmallMax(),
        manySmallCount != null ? manySmallCount : base.manySmallCount(),
        base.manySmallFile());
  }

  /**
   * The check wants a file of at least 1 s at the cap (fetching up to 4 s); many-small has none, so
   * it skips.
   */
  private static FileSpec biggest(PreparedDataset data) {
    return data.dataset().files().stream()
        .max((a, b) -> Long.compare(a.size(), b.size()))
        .orElseThrow();
  }

  private String shaperCheck(ShapedOrigins origins, PreparedDataset data, long cap)
      throws Exception {
    FileSpec biggest = biggest(data);
    long bytes = Math.min(biggest.size(), cap * 4);
    double mbps =
        new ShaperCheck()
            .singleStreamMegabytesPerSecond(origins.endpoints(), biggest.path(), bytes);
    return String.format(
        Locale.ROOT, "%.1f (cap %.0f, %d MB fetched)", mbps, cap / (double) MB, bytes / MB);
  }

  private List<NamedLink> links() {
    List<String> names = links != null ? links : quick ? List.of("fat") : List.of("fat", "wan");
    long cap = (long) (aggregate * MB);
    return names.stream()
        .map(
            n ->
                switch (n) {
                  case "fat" ->
                      new NamedLink(
                          n,
                          new LinkShape(
                              (long) (perConnection * MB), Duration.ofMillis(rttMillis), cap));
                  case "wan" ->
                      new NamedLink(
                          n,
                          new LinkShape(
                              (long) (wanPerConnection * MB),
                              Duration.ofMillis(wanRttMillis),
                              cap));
                  default ->
                      throw new CommandLine.ParameterException(
                          new CommandLine(this),
                          "unknown link shape " + n + ": expected fat or wan");
                })
        .toList();
  }

  private Map<String, Object> settings(List<NamedLink> shapes, int rounds, Toolbox toolbox) {
    Map<String, Object> s = new LinkedHashMap<>();
    shapes.forEach(l -> s.put("link " + l.name(), l.describe()));
    s.put("runs per peer", rounds);
    s.put("mode", quick ? "quick" : "full");
    s.put("cores", Runtime.getRuntime().availableProcessors());
    s.put("load average at start", loadAverage());
    s.put("peers not installed", toolbox.missing());
    return s;
  }
}
