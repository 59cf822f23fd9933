package io.modelprefetch.downloader.cli;

import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import io.modelprefetch.downloader.Printable;
import io.modelprefetch.downloader.report.Human;
import io.modelprefetch.downloader.report.JsonLinesSink;
import io.modelprefetch.downloader.report.KubeStatusApplier;
import io.modelprefetch.downloader.report.ProgressSink;
import io.modelprefetch.downloader.report.ProgressTracker;
import io.modelprefetch.downloader.report.Reporter;
import io.modelprefetch.downloader.report.StatusPatchSink;
import io.modelprefetch.downloader.report.TerminalSink;
import io.modelprefetch.downloader.report.TerminationMessageSink;
import io.modelprefetch.downloader.source.Source;
import io.modelprefetch.downloader.source.SourceOptions;
import io.modelprefetch.downloader.source.Sources;
import io.modelprefetch.downloader.source.dragonfly.DragonflyProxy;
import io.modelprefetch.downloader.source.dragonfly.DragonflyRoute;
import io.modelprefetch.downloader.source.dragonfly.DragonflyTraffic;
import io.modelprefetch.downloader.source.hf.HfCacheLayout;
import io.modelprefetch.downloader.source.http.UrlList;
import io.modelprefetch.downloader.source.oci.OciPull;
import io.modelprefetch.downloader.source.oci.OciSource;
import io.modelprefetch.downloader.transfer.Destination;
import io.modelprefetch.downloader.transfer.DestinationLock;
import io.modelprefetch.downloader.transfer.Pull;
import io.modelprefetch.downloader.transfer.TransferSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modelprefetch pull SOURCE --dest DIR}. */
@Command(
    name = "pull",
    mixinStandardHelpOptions = true,
    description = {
      "Downloads SOURCE into DIR: all files at one pinned revision, in parallel ranges, resumable,",
      "each verified before it appears under its final name; writes"
          + " DIR/.modelprefetch/manifest.json last.",
      "SOURCE is hf://org/name, hf://datasets/org/name, s3://bucket/prefix, https://host/path/file",
      "or oci://registry[:port]/repository[:tag|@sha256:digest];",
      "several https:// URLs (as arguments, or --input-file) are pulled together into DIR, each"
          + " under its file name."
    })
public final class PullCommand implements Callable<Integer> {

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "SOURCE",
      description =
          "hf://org/name, s3://bucket/prefix, https://host/file or"
              + " oci://registry/repo[:tag|@digest]")
  String source;

  @Parameters(
      index = "1..*",
      arity = "0..*",
      paramLabel = "URL",
      description = "more https:// files for the same pull")
  List<String> moreUrls = new ArrayList<>();

  @Option(
      names = "--input-file",
      paramLabel = "FILE",
      description =
          "https:// files to pull, one URL per line as for aria2c -i (indented below a URL:"
              + " out=PATH, checksum=sha-256=HEX)")
  Path inputFile;

  @Option(
      names = {"-d", "--dest"},
      required = true,
      paramLabel = "DIR",
      description = "destination directory")
  Path dest;

  @Option(
      names = {"-r", "--revision"},
      description =
          "hf:// branch, tag or commit (default main); oci:// tag or sha256:digest (overrides the"
              + " URI's)")
  String revision;

  @Option(
      names = {"-i", "--include"},
      paramLabel = "GLOB",
      description = "only paths matching (repeatable; * matches /)")
  List<String> include = new ArrayList<>();

  @Option(
      names = {"-x", "--exclude"},
      paramLabel = "GLOB",
      description = "skip paths matching (repeatable)")
  List<String> exclude = new ArrayList<>();

  @Option(
      names = "--endpoint",
      paramLabel = "URL",
      description =
          "HF mirror (default $HF_ENDPOINT) or S3-compatible endpoint (default"
              + " $AWS_ENDPOINT_URL_S3, $AWS_ENDPOINT_URL; path-style)")
  String endpoint;

  @Option(
      names = "--region",
      description = "S3 region (default $AWS_REGION, else us-east-1 with an endpoint)")
  String region;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "file holding the HF or bearer token (default $HF_TOKEN for hf://, $BEARER_TOKEN for"
              + " https://)")
  Path tokenFile;

  @Option(
      names = "--sha256",
      paramLabel = "HEX",
      description = "expected SHA-256 of an https:// file")
  String sha256;

  @Option(
      names = "--layout",
      defaultValue = "files",
      description =
          "files (repo paths under DIR) or hf-cache (hf:// only: DIR is an HF_HOME with"
              + " hub/models--org--name/{blobs,snapshots,refs})")
  String layout;

  @Option(
      names = "--platform",
      paramLabel = "OS/ARCH[/VARIANT]",
      description = "oci:// image index entry to pull (default this machine's, e.g. linux/amd64)")
  String platform;

  @Option(
      names = "--plain-http",
      description =
          "oci:// registry speaks plain HTTP (default HTTPS; or give --endpoint http://host:port)")
  boolean plainHttp;

  @Option(
      names = "--registry-config",
      paramLabel = "FILE",
      description =
          "docker config.json with the oci:// registry's auths (default"
              + " $MODELPREFETCH_REGISTRY_AUTH as JSON text, else $DOCKER_CONFIG/config.json,"
              + " ~/.docker/config.json)")
  Path registryConfig;

  @Option(
      names = {"-c", "--connections"},
      defaultValue = "auto",
      paramLabel = "N|auto",
      description =
          "requests in flight over all files: auto (default) grows them while throughput grows, up"
              + " to "
              + TransferSettings.ADAPTIVE_MAX
              + ", and backs off on errors and 429s; a number fixes them")
  String connections;

  @Option(
      names = "--chunk-size",
      defaultValue = "32MiB",
      converter = Converters.SizeConverter.class,
      description =
          "largest range per request (default ${DEFAULT-VALUE}); ranges shrink near the end")
  long chunkSize;

  @Option(
      names = "--stall-timeout",
      defaultValue = "30s",
      converter = Converters.DurationConverter.class,
      description =
          "re-issue a range that received no byte for this long (default ${DEFAULT-VALUE})")
  Duration stallTimeout;

  @Option(
      names = "--lock-timeout",
      defaultValue = "30m",
      converter = Converters.DurationConverter.class,
      description =
          "wait this long for another pull into DIR to finish before giving up with exit 6 (default"
              + " ${DEFAULT-VALUE})")
  Duration lockTimeout;

  @Option(
      names = "--retries",
      defaultValue = "8",
      description =
          "attempts per range without progress before giving up (default ${DEFAULT-VALUE})")
  int retries;

  @Option(
      names = "--progress",
      defaultValue = "auto",
      description = "auto (a line on a terminal, else JSON lines), json, tty or none")
  String progressMode;

  @Option(
      names = "--progress-interval",
      defaultValue = "2s",
      converter = Converters.DurationConverter.class,
      description = "time between progress reports (default ${DEFAULT-VALUE})")
  Duration progressInterval;

  @Option(
      names = "--termination-message-path",
      paramLabel = "FILE",
      description = "write a JSON summary here at exit (Kubernetes: /dev/termination-log)")
  Path terminationMessagePath;

  @Option(
      names = "--status-artifact",
      paramLabel = "NAMESPACE/NAME",
      description =
          "also report progress into this ModelArtifact's status (server-side apply; in-cluster"
              + " credentials or $KUBECONFIG)")
  String statusArtifact;

  @Option(
      names = "--dragonfly-proxy",
      paramLabel = "URL",
      description =
          "send hf:// and https:// ranges through this Dragonfly client proxy (http://HOST:PORT,"
              + " default $MODELPREFETCH_DRAGONFLY_PROXY); tokens never go through it; on its first"
              + " error the pull continues from the origin")
  String dragonflyProxy;

  @Option(
      names = "--dragonfly-metrics",
      paramLabel = "URL",
      description =
          "dfdaemon's Prometheus endpoint, read to report bytes from peers vs the origin "
              + "(default $MODELPREFETCH_DRAGONFLY_METRICS, else port 4002 of the proxy's host)")
  String dragonflyMetrics;

  @Override
  public Integer call() {
    ProgressTracker tracker = new ProgressTracker();
    TerminationMessageSink termination =
        terminationMessagePath == null ? null : new TerminationMessageSink(terminationMessagePath);
    try (Reports reports = reports(termination)) {
      Pull.Result result = pull(tracker, reports);
      System.err.println(
          (result.upToDate() ? "up to date: " : "done: ")
              + result.completion().files().size()
              + " files, "
              + Human.bytes(result.completion().totalBytes())
              + " at revision "
              + Printable.escape(result.completion().revision())
              + " in "
              + dest);
      return 0;
    } catch (DownloadException e) {
      if (termination != null && tracker.snapshot().bytesTotal() == 0) {
        termination.finished(tracker.snapshot(), e.getMessage());
      }
      System.err.println("error: " + e.getMessage());
      return e.failure().exitCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.err.println("error: interrupted");
      return Failure.INTERNAL.exitCode();
    }
  }

  /**
   * Resolves, downloads and verifies; every sink gets the final snapshot, with the error on
   * failure.
   */
  private Pull.Result pull(ProgressTracker tracker, Reports reports)
      throws DownloadException, InterruptedException {
    TransferSettings settings = settings();
    List<UrlList.Entry> urls = urls();
    if (urls != null) {
      source =
          urls.getFirst().uri().toString()
              + (urls.size() > 1 ? " (+" + (urls.size() - 1) + " more)" : "");
    }
    SourceOptions options =
        new SourceOptions(
            source,
            revision,
            include,
            exclude,
            endpoint(),
            region,
            token(),
            sha256,
            settings.connections(),
            stallTimeout);
    DragonflyRoute route = dragonflyRoute();
    reports.split(route::split);
    try (Source src = openSource(options, urls, route);
        Reporter reporter = new Reporter(tracker, reports.sinks(), progressInterval)) {
      Destination destination = Destination.open(dest);
      try (DestinationLock lock = destination.lock(lockTimeout, System.err::println)) {
        Pull.Result result =
            src instanceof OciSource oci
                ? new OciPull(oci, destination, settings, tracker).run()
                : src instanceof HfCacheLayout cache
                    ? new Pull(src, destination, settings, tracker, cache).run()
                    : new Pull(src, destination, settings, tracker).run();
        reports.revision(Printable.escape(result.completion().revision()));
        reporter.finish(null);
        logDragonfly(route);
        return result;
      } catch (DownloadException e) {
        destination.discardIfUnused();
        reporter.finish(e.getMessage());
        throw e;
      }
    } catch (IOException e) {
      throw new DownloadException(
          Failure.DESTINATION, "cannot release the lock of " + dest + ": " + e.getMessage(), e);
    }
  }

  /** How many bytes went through the node's Dragonfly client and how many came from the origin. */
  private static void logDragonfly(DragonflyRoute route) {
    DragonflyRoute.Split from = route.split();
    if (from != null) {
      System.err.println(
          "dragonfly: "
              + Human.bytes(route.bytesViaDragonfly())
              + " through the Dragonfly client, "
              + Human.bytes(route.bytesDirect())
              + " from the origin directly"
              + (from.fromPeers() == null
                  ? ""
                  : "; "
                      + Human.bytes(from.fromPeers())
                      + " from peers, "
                      + Human.bytes(from.fromOrigin())
                      + " from the origin in all"));
    }
  }

  /** The source of {@code options}, or of several https:// {@code urls} when not null. */
  private Source openSource(SourceOptions options, List<UrlList.Entry> urls, DragonflyRoute route)
      throws DownloadException {
    if (!layout.equals("files") && !layout.equals(HfCacheLayout.NAME)) {
      throw new DownloadException(Failure.USAGE, "--layout must be files or hf-cache");
    }
    if (layout.equals(HfCacheLayout.NAME) && !source.startsWith("hf://")) {
      throw new DownloadException(
          Failure.USAGE,
          "--layout hf-cache needs an hf:// source (it lays out a Hugging Face cache)");
    }
    if (source.startsWith("oci://")) {
      return OciSource.create(
          options,
          platform != null ? platform : OciSource.hostPlatform(),
          plainHttp,
          registryAuth());
    }
    Source src =
        urls == null ? Sources.open(options, route) : Sources.openUrls(options, urls, route);
    return layout.equals(HfCacheLayout.NAME) ? new HfCacheLayout(source, revision, src) : src;
  }

  /**
   * The docker config text for oci://, from --registry-config, the environment or the usual file;
   * null if none.
   */
  private String registryAuth() throws DownloadException {
    Path file = registryConfig;
    if (file == null) {
      String inline = System.getenv("MODELPREFETCH_REGISTRY_AUTH");
      if (inline != null && !inline.isBlank()) {
        return inline;
      }
      String dir = System.getenv("DOCKER_CONFIG");
      file =
          dir != null
              ? Path.of(dir, "config.json")
              : Path.of(System.getProperty("user.home"), ".docker", "config.json");
      if (!Files.isRegularFile(file)) {
        return null;
      }
    }
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DownloadException(
          Failure.USAGE, "cannot read the registry config " + file + ": " + e.getMessage());
    }
  }

  /**
   * Where progress goes: the termination message, stdout or the terminal, and the artifact's
   * status.
   */
  private record Reports(
      List<ProgressSink> sinks,
      TerminationMessageSink termination,
      StatusPatchSink status,
      KubeStatusApplier applier)
      implements AutoCloseable {
    /** The pinned revision, for the final reports of a successful pull. */
    void revision(String revision) {
      if (termination != null) {
        termination.revision(revision);
      }
      if (status != null) {
        status.revision(revision);
      }
    }

    /** Where the bytes came from (peers vs origin), for the reports of a pull through Dragonfly. */
    void split(Supplier<DragonflyRoute.Split> split) {
      if (termination != null) {
        termination.split(split);
      }
      if (status != null) {
        status.split(split);
      }
    }

    @Override
    public void close() {
      if (applier != null) {
        applier.close();
      }
    }
  }

  private Reports reports(TerminationMessageSink termination) throws DownloadException {
    List<ProgressSink> sinks = new ArrayList<>();
    if (termination != null) {
      sinks.add(termination);
    }
    sinks.addAll(progressSinks());
    if (statusArtifact == null) {
      return new Reports(sinks, termination, null, null);
    }
    String[] ref = artifactRef();
    KubeStatusApplier applier = new KubeStatusApplier();
    StatusPatchSink status =
        new StatusPatchSink(ref[0], ref[1], applier, STATUS_INTERVAL, Clock.systemUTC());
    sinks.add(status);
    return new Reports(sinks, termination, status, applier);
  }

  /**
   * At most one status patch per this interval (the API server is shared; progress is cosmetic).
   */
  private static final Duration STATUS_INTERVAL = Duration.ofSeconds(2);

  /** The URLs of a several-file https:// pull, or null for one SOURCE. */
  private List<UrlList.Entry> urls() throws DownloadException {
    if (source == null && inputFile == null) {
      throw new DownloadException(
          Failure.USAGE, "give a SOURCE (hf://, s3://, https://) or --input-file");
    }
    if (inputFile == null && moreUrls.isEmpty()) {
      return null;
    }
    if (sha256 != null) {
      throw new DownloadException(
          Failure.USAGE,
          "--sha256 is for a single https:// file; with several, give"
              + " checksum=sha-256=HEX under each URL in --input-file");
    }
    List<UrlList.Entry> urls = new ArrayList<>();
    if (source != null) {
      urls.add(UrlList.entry(source, null, null, "SOURCE"));
    }
    for (String url : moreUrls) {
      urls.add(UrlList.entry(url, null, null, "URL"));
    }
    if (inputFile != null) {
      try {
        urls.addAll(
            UrlList.parse(
                Files.readString(inputFile, StandardCharsets.UTF_8), inputFile.toString()));
      } catch (IOException e) {
        throw new DownloadException(
            Failure.USAGE, "cannot read --input-file " + inputFile + ": " + e.getMessage());
      }
    }
    if (urls.isEmpty()) {
      throw new DownloadException(Failure.USAGE, "--input-file " + inputFile + " lists no URL");
    }
    return urls;
  }

  private DragonflyRoute dragonflyRoute() throws DownloadException {
    String url =
        dragonflyProxy != null ? dragonflyProxy : System.getenv("MODELPREFETCH_DRAGONFLY_PROXY");
    // Only hf:// and http(s):// ranges go through Dragonfly; s3:// and oci:// pulls report no
    // split.
    boolean routable =
        source.startsWith("hf://") || source.startsWith("http://") || source.startsWith("https://");
    if (url == null || url.isBlank() || !routable) {
      return DragonflyRoute.none();
    }
    DragonflyProxy proxy;
    try {
      proxy = new DragonflyProxy(URI.create(url.strip()), stallTimeout);
    } catch (IllegalArgumentException e) {
      throw new DownloadException(Failure.USAGE, "--dragonfly-proxy: " + e.getMessage());
    }
    String metrics =
        dragonflyMetrics != null
            ? dragonflyMetrics
            : System.getenv("MODELPREFETCH_DRAGONFLY_METRICS");
    URI metricsUri;
    try {
      metricsUri =
          metrics == null || metrics.isBlank()
              ? DragonflyTraffic.besideProxy(proxy.address())
              : URI.create(metrics.strip());
    } catch (IllegalArgumentException e) {
      throw new DownloadException(Failure.USAGE, "--dragonfly-metrics: " + e.getMessage());
    }
    return new DragonflyRoute(proxy, new DragonflyTraffic(metricsUri), System.err);
  }

  private String[] artifactRef() throws DownloadException {
    String[] ref = statusArtifact.split("/", -1);
    if (ref.length != 2 || ref[0].isBlank() || ref[1].isBlank()) {
      throw new DownloadException(Failure.USAGE, "--status-artifact must be NAMESPACE/NAME");
    }
    return ref;
  }

  private TransferSettings settings() throws DownloadException {
    boolean adaptive = "auto".equals(connections);
    int max;
    try {
      max = adaptive ? TransferSettings.ADAPTIVE_MAX : Integer.parseInt(connections);
    } catch (NumberFormatException e) {
      max = -1;
    }
    if (max < 1 || max > 256) {
      throw new DownloadException(Failure.USAGE, "--connections must be auto or between 1 and 256");
    }
    if (chunkSize < 256 * 1024) {
      throw new DownloadException(Failure.USAGE, "--chunk-size must be at least 256KiB");
    }
    if (retries < 0) {
      throw new DownloadException(Failure.USAGE, "--retries must not be negative");
    }
    if (revision != null && (revision.isBlank() || Printable.hasUnsafe(revision))) {
      throw new DownloadException(
          Failure.USAGE,
          "--revision must name a branch, tag or commit (got '"
              + Printable.escape(revision)
              + "')");
    }
    if (sha256 != null && !sha256.matches("[0-9a-fA-F]{64}")) {
      throw new DownloadException(Failure.USAGE, "--sha256 must be 64 hex digits");
    }
    TransferSettings d = TransferSettings.defaults();
    return new TransferSettings(
        max,
        Math.min(d.minChunk(), chunkSize),
        chunkSize,
        retries,
        d.checkpointBytes(),
        d.maxBackoff(),
        adaptive);
  }

  private List<ProgressSink> progressSinks() throws DownloadException {
    boolean terminal = System.console() != null && System.console().isTerminal();
    return switch (progressMode) {
      case "auto" ->
          List.of(terminal ? new TerminalSink(System.err) : new JsonLinesSink(System.out));
      case "json" -> List.of(new JsonLinesSink(System.out));
      case "tty" -> List.of(new TerminalSink(System.err));
      case "none" -> List.of();
      default ->
          throw new DownloadException(Failure.USAGE, "--progress must be auto, json, tty or none");
    };
  }

  private String endpoint() {
    if (endpoint != null) {
      return endpoint;
    }
    if (source.startsWith("hf://")) {
      return System.getenv("HF_ENDPOINT");
    }
    if (source.startsWith("s3://")) {
      String s3 = System.getenv("AWS_ENDPOINT_URL_S3");
      return s3 != null ? s3 : System.getenv("AWS_ENDPOINT_URL");
    }
    return null;
  }

  private String token() throws DownloadException {
    if (tokenFile != null) {
      try {
        return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new DownloadException(
            Failure.USAGE, "cannot read --token-file " + tokenFile + ": " + e.getMessage());
      }
    }
    String env =
        source.startsWith("hf://")
            ? firstEnv("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")
            : firstEnv("BEARER_TOKEN");
    return env == null || env.isBlank() ? null : env.strip();
  }

  private static String firstEnv(String... names) {
    for (String n : names) {
      if (System.getenv(n) != null) {
        return System.getenv(n);
      }
    }
    return null;
  }
}
