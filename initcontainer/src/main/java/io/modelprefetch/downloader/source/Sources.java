package io.modelprefetch.downloader.source;

import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import io.modelprefetch.downloader.source.dragonfly.DragonflyRoute;
import io.modelprefetch.downloader.source.hf.HfSource;
import io.modelprefetch.downloader.source.http.HttpSource;
import io.modelprefetch.downloader.source.http.HttpTransport;
import io.modelprefetch.downloader.source.http.UrlList;
import io.modelprefetch.downloader.source.s3.S3Source;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/** Picks the source for a URI scheme. */
public final class Sources {
  private Sources() {}

  public static Source open(SourceOptions options) throws DownloadException {
    return open(options, DragonflyRoute.none());
  }

  /** As {@link #open(SourceOptions)}, hf:// and http(s):// ranges going through {@code route}. */
  public static Source open(SourceOptions options, DragonflyRoute route) throws DownloadException {
    URI uri = parse(options.uri());
    return switch (uri.getScheme()) {
      case "hf" -> new HfSource(options, new HttpTransport(options.stallTimeout()), route);
      case "s3" -> S3Source.create(options);
      case "http", "https" ->
          new HttpSource(options, new HttpTransport(options.stallTimeout()), route);
      default ->
          throw new DownloadException(
              Failure.USAGE,
              "unsupported scheme in '"
                  + options.uri()
                  + "': use hf://org/repo, s3://bucket/prefix, https://host/path or"
                  + " oci://registry/repository[:tag]");
    };
  }

  /** Several http(s) files in one pull, their ranges going through {@code route}. */
  public static Source openUrls(
      SourceOptions options, List<UrlList.Entry> urls, DragonflyRoute route)
      throws DownloadException {
    return new HttpSource(options, new HttpTransport(options.stallTimeout()), route, urls);
  }

  static URI parse(String text) throws DownloadException {
    try {
      URI uri = new URI(text);
      if (uri.getScheme() == null || uri.getHost() == null && uri.getAuthority() == null) {
        throw new URISyntaxException(text, "no scheme or host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new DownloadException(
          Failure.USAGE,
          "invalid source URI '"
              + text
              + "': "
              + e.getReason()
              + " (expected hf://org/repo, s3://bucket/prefix or https://host/path)");
    }
  }
}
