package io.modelprefetch.downloader.source.http;

import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A list of http(s) files for one pull, in the shape of aria2c's input file ({@code aria2c -i}): a
 * URL per line; indented lines below it set options for that URL: {@code out=PATH} (where it lands,
 * relative; default its file name) and {@code checksum=sha-256=HEX}. Blank lines and lines starting
 * with {@code #} are ignored.
 */
public final class UrlList {
  /** One file: where it comes from, where it lands, and its expected sha256 (or null). */
  public record Entry(URI uri, String path, String sha256) {}

  private UrlList() {}

  public static List<Entry> parse(String text, String origin) throws DownloadException {
    List<Entry> out = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String where = origin + ":" + (i + 1);
      if (line.isBlank() || line.strip().startsWith("#")) {
        continue;
      }
      if (!Character.isWhitespace(line.charAt(0))) {
        out.add(entry(line.strip(), null, null, where));
        continue;
      }
      if (out.isEmpty()) {
        throw usage(where + ": an option line (indented) before any URL");
      }
      Entry last = out.removeLast();
      String option = line.strip();
      if (option.startsWith("out=")) {
        out.add(new Entry(last.uri(), option.substring(4), last.sha256()));
      } else if (option.toLowerCase(Locale.ROOT).startsWith("checksum=sha-256=")) {
        out.add(
            new Entry(
                last.uri(),
                last.path(),
                sha256(option.substring("checksum=sha-256=".length()), where)));
      } else {
        throw usage(
            where
                + ": unsupported option '"
                + option
                + "' (supported: out=PATH, checksum=sha-256=HEX)");
      }
    }
    return out;
  }

  /** An entry for a URL given on the command line. */
  public static Entry entry(String url, String path, String sha256, String where)
      throws DownloadException {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw usage(where + ": invalid URL '" + url + "': " + e.getReason());
    }
    if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())
        || uri.getHost() == null) {
      throw usage(
          where
              + ": '"
              + HttpTransport.redact(uri)
              + "' is not an http(s):// URL (several sources must all be)");
    }
    String name = path;
    if (name == null) {
      String p = uri.getPath() == null ? "" : uri.getPath();
      name = p.substring(p.lastIndexOf('/') + 1);
      if (name.isEmpty()) {
        throw usage(
            where
                + ": '"
                + HttpTransport.redact(uri)
                + "' does not name a file: the URL path must end in a file name");
      }
    }
    return new Entry(uri, name, sha256 == null ? null : sha256(sha256, where));
  }

  private static String sha256(String hex, String where) throws DownloadException {
    if (!hex.matches("[0-9a-fA-F]{64}")) {
      throw usage(where + ": a sha-256 checksum must be 64 hex digits");
    }
    return hex.toLowerCase(Locale.ROOT);
  }

  private static DownloadException usage(String message) {
    return new DownloadException(Failure.USAGE, message);
  }
}
