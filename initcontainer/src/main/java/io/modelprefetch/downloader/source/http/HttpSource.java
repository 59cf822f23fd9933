package io.modelprefetch.downloader.source.http;

import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import io.modelprefetch.downloader.manifest.Digest;
import io.modelprefetch.downloader.manifest.Listing;
import io.modelprefetch.downloader.manifest.RemoteFile;
import io.modelprefetch.downloader.source.Body;
import io.modelprefetch.downloader.source.Retry;
import io.modelprefetch.downloader.source.Source;
import io.modelprefetch.downloader.source.SourceException;
import io.modelprefetch.downloader.source.SourceOptions;
import io.modelprefetch.downloader.source.dragonfly.DragonflyRoute;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Files at http(s) URLs: one (the SOURCE argument) or several ({@link UrlList}), all in one pull.
 * HEAD gives size, ETag and range support (several URLs are probed in parallel); servers that
 * refuse HEAD (presigned URLs often do) are probed with a one-byte range GET instead. Through
 * Dragonfly, ranges are named by the expected sha256, else by a strong ETag; a URL that needs a
 * bearer token is always fetched directly.
 */
public final class HttpSource implements Source {
  private static final int PROBES_IN_FLIGHT = 32;
  private final SourceOptions options;
  private final HttpTransport transport;
  private final List<UrlList.Entry> entries;
  private final DragonflyRoute route;

  /** Each file's Dragonfly content id by locator (absent: dfdaemon names the task by the URL). */
  private final Map<String, String> contentIds = new ConcurrentHashMap<>();

  /** The one file at {@code options.uri()}, checked against {@code options.sha256()} when given. */
  public HttpSource(SourceOptions options, HttpTransport transport) throws DownloadException {
    this(options, transport, DragonflyRoute.none());
  }

  /** As {@link #HttpSource(SourceOptions, HttpTransport)}, ranges going through {@code route}. */
  public HttpSource(SourceOptions options, HttpTransport transport, DragonflyRoute route)
      throws DownloadException {
    this(
        options,
        transport,
        route,
        List.of(UrlList.entry(options.uri(), null, options.sha256(), "SOURCE")));
  }

  public HttpSource(
      SourceOptions options,
      HttpTransport transport,
      DragonflyRoute route,
      List<UrlList.Entry> entries)
      throws DownloadException {
    this.options = options;
    this.transport = transport;
    this.route = route;
    this.entries = List.copyOf(entries);
    Set<String> paths = new HashSet<>();
    for (UrlList.Entry e : entries) {
      if (!paths.add(e.path())) {
        throw new DownloadException(
            Failure.USAGE,
            "two URLs would land at '"
                + e.path()
                + "': give one of them another path (out=PATH in --input-file)");
      }
    }
    if (entries.isEmpty()) {
      throw new DownloadException(Failure.USAGE, "no URLs to pull");
    }
  }

  @Override
  public Listing resolve(Retry retry) throws DownloadException, IOException, InterruptedException {
    List<RemoteFile> files = probeAll();
    if (files.size() == 1) {
      return new Listing(options.uri(), files.getFirst().version(), files);
    }
    MessageDigest fingerprint = sha256();
    for (RemoteFile f : files) {
      fingerprint.update(
          (f.locator() + "\0" + f.version() + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return new Listing(
        options.uri(), "sha256:" + HexFormat.of().formatHex(fingerprint.digest()), files);
  }

  private List<RemoteFile> probeAll() throws DownloadException, IOException, InterruptedException {
    if (entries.size() == 1) {
      return List.of(file(entries.getFirst()));
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(PROBES_IN_FLIGHT, entries.size()),
            Thread.ofPlatform().name("probe-", 0).daemon().factory());
    try {
      List<Future<RemoteFile>> probes = new ArrayList<>();
      for (UrlList.Entry e : entries) {
        probes.add(pool.submit(() -> file(e)));
      }
      List<RemoteFile> files = new ArrayList<>();
      for (Future<RemoteFile> f : probes) {
        try {
          files.add(f.get());
        } catch (ExecutionException e) {
          switch (e.getCause()) {
            case DownloadException de -> throw de;
            case IOException io -> throw io;
            default -> throw new IOException(e.getCause());
          }
        }
      }
      return files;
    } finally {
      pool.shutdownNow();
    }
  }

  private RemoteFile file(UrlList.Entry e) throws DownloadException, IOException {
    Probe probe = probe(e.uri());
    List<Digest> digests =
        e.sha256() == null ? List.of() : List.of(new Digest(Digest.Algorithm.SHA256, e.sha256()));
    String version =
        probe.etag != null ? probe.etag : e.sha256() != null ? e.sha256() : "size:" + probe.size;
    String contentId = contentId(e.sha256(), probe.etag, e.uri());
    if (contentId != null) {
      contentIds.put(e.uri().toString(), contentId);
    }
    return new RemoteFile(e.path(), probe.size, digests, e.uri().toString(), version, probe.ranges);
  }

  private record Probe(long size, String etag, boolean ranges) {}

  private Probe probe(URI uri) throws DownloadException, IOException {
    try {
      HttpTransport.Response head = transport.send("HEAD", uri, Map.of(), options.token());
      head.release(true);
      long size = head.contentLength();
      boolean ranges = "bytes".equalsIgnoreCase(head.header("Accept-Ranges"));
      if (size >= 0) {
        return new Probe(size, head.header("ETag"), ranges);
      }
    } catch (SourceException e) {
      if (e.retryable()) {
        throw e;
      }
      if (e.status() != 403 && e.status() != 405) {
        throw asDownloadException(e);
      }
    }
    HttpTransport.Response r =
        transport.send("GET", uri, Map.of("Range", "bytes=0-0"), options.token());
    String contentRange = r.header("Content-Range");
    r.release(false);
    if (r.status() == 206 && ContentRange.totalOf(contentRange) >= 0) {
      return new Probe(ContentRange.totalOf(contentRange), r.header("ETag"), true);
    }
    if (r.contentLength() >= 0) {
      return new Probe(r.contentLength(), r.header("ETag"), false);
    }
    throw new DownloadException(
        Failure.SOURCE,
        HttpTransport.redact(uri)
            + " announces no size (no Content-Length on HEAD or GET); cannot download it safely");
  }

  static DownloadException asDownloadException(SourceException e) {
    return new DownloadException(Failure.SOURCE, e.getMessage(), e);
  }

  /**
   * What names this file's content for Dragonfly: the expected sha256 (verified after download);
   * else a strong ETag together with the URL without its query (an ETag is unique per URL only);
   * else null (dfdaemon then names the task by the URL).
   */
  static String contentId(String sha256, String etag, URI uri) {
    if (sha256 != null) {
      return "sha256:" + sha256.toLowerCase(Locale.ROOT);
    }
    if (etag != null && !etag.startsWith("W/") && etag.matches("\"?[\\x21\\x23-\\x7e]+\"?")) {
      return "etag:"
          + etag.replace("\"", "")
          + "@"
          + uri.getScheme()
          + "://"
          + uri.getRawAuthority()
          + uri.getRawPath();
    }
    return null;
  }

  @Override
  public Body open(RemoteFile file, long from, long to) throws IOException {
    URI uri = URI.create(file.locator());
    DragonflyRoute.Direct direct =
        () ->
            RangeGet.open(transport, uri, options.token(), from, to, file.size(), file.ranged())
                .body();
    if (options.token() != null || uri.getUserInfo() != null || !file.ranged()) {
      return route.direct(direct);
    }
    return route.open(uri, contentIds.get(file.locator()), from, to, direct);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {}
}
