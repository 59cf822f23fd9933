package io.modelprefetch.downloader.source.hf;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import io.modelprefetch.downloader.manifest.Digest;
import io.modelprefetch.downloader.manifest.PathFilter;
import io.modelprefetch.downloader.manifest.RemoteFile;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what the Hub API answers: the revision's commit, tree pages and their {@code Link} header.
 * Anything malformed is a source error that says what was wrong, never a crash.
 */
final class HfListing {
  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]*)>\\s*;\\s*rel=\"?next\"?");
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Pattern SHA1 = Pattern.compile("[0-9a-fA-F]{40}");

  private HfListing() {}

  /** The commit of a {@code /revision/} answer, or null when it names none. */
  static String commit(JsonNode revision) {
    String sha = revision.path("sha").asText();
    return COMMIT.matcher(sha).matches() ? sha : null;
  }

  /** The files of one tree page that pass {@code filter}, in listing order. */
  static List<RemoteFile> files(JsonNode page, PathFilter filter) throws DownloadException {
    if (!page.isArray()) {
      throw malformed("a tree page is not a JSON array");
    }
    List<RemoteFile> out = new ArrayList<>();
    for (JsonNode e : page) {
      if ("file".equals(e.path("type").asText()) && filter.test(e.path("path").asText())) {
        out.add(file(e));
      }
    }
    return out;
  }

  private static RemoteFile file(JsonNode e) throws DownloadException {
    if (!e.path("path").isTextual()) {
      throw malformed("a tree entry has no path");
    }
    String path = e.path("path").asText();
    JsonNode lfs = e.path("lfs");
    List<Digest> digests = new ArrayList<>();
    String version;
    long size;
    if (lfs.isObject()) {
      version = lfs.path("oid").asText();
      size = size(lfs.has("size") ? lfs.path("size") : e.path("size"), path);
      if (!SHA256.matcher(version).matches()) {
        throw malformed("the LFS oid of '" + path + "' is not a sha256");
      }
      digests.add(new Digest(Digest.Algorithm.SHA256, version));
    } else {
      version = e.path("oid").asText();
      size = size(e.path("size"), path);
      if (SHA1.matcher(version).matches()) {
        digests.add(new Digest(Digest.Algorithm.GIT_SHA1, version));
      } else if (!version.isEmpty()) {
        throw malformed("the git oid of '" + path + "' is not a sha1");
      }
    }
    return new RemoteFile(path, size, digests, path, version, true);
  }

  private static long size(JsonNode size, String path) throws DownloadException {
    if (!size.canConvertToExactIntegral() || !size.canConvertToLong() || size.asLong() < 0) {
      throw malformed("the size of '" + path + "' is not a non-negative integer");
    }
    return size.asLong();
  }

  /** The next page named by a {@code Link} header, or null on the last page. */
  static URI nextPage(String link, URI current) throws DownloadException {
    if (link == null) {
      return null;
    }
    Matcher m = NEXT_LINK.matcher(link);
    if (!m.find()) {
      return null;
    }
    try {
      URI next = current.resolve(m.group(1));
      if (!"http".equals(next.getScheme()) && !"https".equals(next.getScheme())
          || next.getHost() == null) {
        throw malformed("the next-page link '" + m.group(1) + "' is not an http(s) URL");
      }
      return next;
    } catch (IllegalArgumentException e) {
      throw malformed("the next-page link '" + m.group(1) + "' is not a URL");
    }
  }

  private static DownloadException malformed(String what) {
    return new DownloadException(Failure.SOURCE, "the Hub's listing is malformed: " + what);
  }
}
