package io.modelprefetch.downloader.source.http;

import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import io.modelprefetch.downloader.manifest.Digest;
import io.modelprefetch.downloader.manifest.Manifest;
import io.modelprefetch.downloader.manifest.RemoteFile;
import io.modelprefetch.downloader.source.Body;
import io.modelprefetch.downloader.source.Retry;
import io.modelprefetch.downloader.source.Source;
import io.modelprefetch.downloader.source.SourceException;
import io.modelprefetch.downloader.source.SourceOptions;
import io.modelprefetch.downloader.source.dragonfly.DragonflyRoute;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A single file at an http(s) URL. HEAD gives size, ETag and range support; servers that refuse
 * HEAD (presigned URLs often do) are probed with a one-byte range GET instead. Through Dragonfly,
 * ranges are named by the expected sha256, else by a strong ETag; a URL that needs a bearer token
 * is always fetched directly.
 */
public final class HttpSource implements Source {
  private final SourceOptions options;
  private final HttpTransport transport;
  private final URI uri;
  private final DragonflyRoute route;
  private volatile String contentId;

  public HttpSource(SourceOptions options, HttpTransport transport) {
    this(options, transport, DragonflyRoute.none());
  }

  public HttpSource(SourceOptions options, HttpTransport transport, DragonflyRoute route) {
    this.options = options;
    this.transport = transport;
    this.uri = URI.create(options.uri());
    this.route = route;
  }

  @Override
  public Manifest resolve(Retry retry) throws DownloadException, IOException {
    String name = fileName();
    Probe probe = probe();
    List<Digest> digests = options.sha256() == null
        ? List.of()
        : List.of(new Digest(Digest.Algorithm.SHA256, options.sha256()));
    String version = probe.etag != null ? probe.etag : options.sha256() != null ? options.sha256() : "size:" + probe.size;
    contentId = contentId(options.sha256(), probe.etag, uri);
    RemoteFile file = new RemoteFile(name, probe.size, digests, uri.toString(), version, probe.ranges);
    return new Manifest(options.uri(), version, List.of(file));
  }

  private String fileName() throws DownloadException {
    String path = uri.getPath();
    String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
    if (name.isEmpty()) {
      throw new DownloadException(Failure.USAGE, "'" + HttpTransport.redact(uri)
          + "' does not name a file: the URL path must end in a file name");
    }
    return name;
  }

  private record Probe(long size, String etag, boolean ranges) {}

  private Probe probe() throws DownloadException, IOException {
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
    HttpTransport.Response r = transport.send("GET", uri, Map.of("Range", "bytes=0-0"), options.token());
    String contentRange = r.header("Content-Range");
    r.release(false);
    if (r.status() == 206 && ContentRange.totalOf(contentRange) >= 0) {
      return new Probe(ContentRange.totalOf(contentRange), r.header("ETag"), true);
    }
    if (r.contentLength() >= 0) {
      return new Probe(r.contentLength(), r.header("ETag"), false);
    }
    throw new DownloadException(Failure.SOURCE, HttpTransport.redact(uri)
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
      return "sha256:" + sha256.toLowerCase(java.util.Locale.ROOT);
    }
    if (etag != null && !etag.startsWith("W/") && etag.matches("\"?[\\x21\\x23-\\x7e]+\"?")) {
      return "etag:" + etag.replace("\"", "") + "@" + uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath();
    }
    return null;
  }

  @Override
  public Body open(RemoteFile file, long from, long to) throws IOException {
    DragonflyRoute.Direct direct =
        () -> RangeGet.open(transport, uri, options.token(), from, to, file.size(), file.ranged()).body();
    if (options.token() != null || uri.getUserInfo() != null || !file.ranged()) {
      return route.direct(direct);
    }
    return route.open(uri, contentId, from, to, direct);
  }

  @Override
  public void close() {}
}
