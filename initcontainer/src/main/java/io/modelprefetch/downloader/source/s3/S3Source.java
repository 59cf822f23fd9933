package io.modelprefetch.downloader.source.s3;

import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import io.modelprefetch.downloader.manifest.Digest;
import io.modelprefetch.downloader.manifest.Listing;
import io.modelprefetch.downloader.manifest.PathFilter;
import io.modelprefetch.downloader.manifest.RemoteFile;
import io.modelprefetch.downloader.source.Body;
import io.modelprefetch.downloader.source.Retry;
import io.modelprefetch.downloader.source.Source;
import io.modelprefetch.downloader.source.SourceException;
import io.modelprefetch.downloader.source.SourceOptions;
import io.modelprefetch.downloader.source.http.HttpTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Objects under an S3 prefix (any S3-compatible store with an endpoint override). Every GET carries
 * {@code If-Match: <etag>} so an object overwritten mid-download fails instead of mixing versions.
 * Digests ({@link S3Checksums}): checksums known to be of the whole object (whole-object GETs ask
 * for them; big ranged objects get one HEAD), else the ETag when it is a single-part MD5. A
 * multipart object ({@code -N} ETag) gets one HEAD and its part layout ({@link PartLayouts}), so
 * its composite checksum or multipart ETag can be checked part by part; only when the server tells
 * neither is it checked by size.
 */
public final class S3Source implements Source {
  private static final Logger LOG = LoggerFactory.getLogger(S3Source.class);
  private static final Pattern MD5_HEX = Pattern.compile("[0-9a-fA-F]{32}");
  private final SourceOptions options;
  private final S3Http s3;
  private final String bucket;
  private final String prefix;
  private final Map<String, List<Digest>> headDigests = new ConcurrentHashMap<>();
  private final PartLayouts layouts;
  private final S3Get get;

  private S3Source(SourceOptions options, S3Http s3, HttpTransport transport, String prefix) {
    this.options = options;
    this.s3 = s3;
    this.bucket = s3.bucket();
    this.prefix = prefix;
    this.layouts = new PartLayouts(s3);
    this.get = new S3Get(transport, s3);
  }

  public static S3Source create(SourceOptions options) throws DownloadException {
    URI uri = URI.create(options.uri());
    String bucket = uri.getHost();
    if (bucket == null || bucket.isEmpty()) {
      throw new DownloadException(
          Failure.USAGE, "invalid S3 URI '" + options.uri() + "': expected s3://bucket/prefix");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    HttpTransport transport = new HttpTransport(options.stallTimeout());
    S3Http s3 =
        new S3Http(
            transport,
            null,
            region(options),
            options.endpoint() == null ? null : URI.create(options.endpoint()),
            bucket);
    return new S3Source(options, s3, transport, path.startsWith("/") ? path.substring(1) : path);
  }

  /**
   * --region, else $AWS_REGION; with an endpoint override us-east-1 (S3-compatible stores accept
   * it), on AWS the SDK's region chain (profile, instance metadata).
   */
  private static String region(SourceOptions o) throws DownloadException {
    String region = o.region() != null ? o.region() : System.getenv("AWS_REGION");
    if (region != null) {
      return region;
    }
    if (o.endpoint() != null) {
      return "us-east-1";
    }
    try {
      return new DefaultAwsRegionProviderChain().getRegion().id();
    } catch (SdkClientException e) {
      throw new DownloadException(
          Failure.USAGE,
          "cannot tell the region of "
              + o.uri()
              + ": pass --region or set AWS_REGION ("
              + e.getMessage()
              + ")");
    }
  }

  @Override
  public Listing resolve(Retry retry) throws DownloadException, IOException, InterruptedException {
    PathFilter filter = PathFilter.of(options.include(), options.exclude());
    String listPrefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : singleObjectOrFolder();
    List<RemoteFile> files = new ArrayList<>();
    MessageDigest fingerprint = sha256();
    String where = "s3://" + bucket + "/" + listPrefix;
    String token = null;
    for (int page = 1; ; page++) {
      String continuation = token;
      S3Xml.ListPage listed =
          retry.send(
              "listing page " + page + " of " + where,
              () -> listPage(listPrefix, continuation, where));
      for (S3Xml.Entry o : listed.contents()) {
        if (o.key().endsWith("/") && o.size() == 0) {
          continue;
        }
        String path = pathOf(listPrefix, o.key());
        if (filter.test(path)) {
          files.add(toRemoteFile(path, o.key(), o.size(), o.etag()));
          fingerprint.update((o.key() + "\0" + o.etag() + "\0" + o.size() + "\n").getBytes());
        }
      }
      token = listed.nextContinuationToken();
      if (!listed.truncated() || token == null) {
        break;
      }
    }
    if (files.isEmpty()) {
      throw new DownloadException(
          Failure.SOURCE,
          "no objects under s3://"
              + bucket
              + "/"
              + listPrefix
              + " match include "
              + options.include()
              + " / exclude "
              + options.exclude());
    }
    String revision = "sha256:" + HexFormat.of().formatHex(fingerprint.digest());
    return new Listing(options.uri(), revision, files);
  }

  /**
   * One ListObjectsV2 page; a 429/5xx or a dropped connection is retryable, for this page alone.
   * Keys come URL-encoded where the server supports it (XML 1.0 cannot carry every character).
   */
  private S3Xml.ListPage listPage(String listPrefix, String continuation, String where)
      throws IOException {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("list-type", "2");
    query.put("encoding-type", "url");
    query.put("prefix", listPrefix);
    if (continuation != null) {
      query.put("continuation-token", continuation);
    }
    HttpTransport.Response r;
    try {
      r = s3.send(SdkHttpMethod.GET, "", query, Map.of(), where);
    } catch (SourceException e) {
      throw withAccessHint(e);
    }
    boolean read = false;
    try (InputStream in = r.body()) {
      S3Xml.ListPage page = S3Xml.listPage(in);
      read = true;
      return page;
    } finally {
      r.release(read);
    }
  }

  /** Where a listed key lands: below the listed prefix, or (a single object) its last segment. */
  static String pathOf(String listPrefix, String key) {
    return listPrefix.isEmpty() || key.length() > listPrefix.length()
        ? key.substring(listPrefix.length())
        : key.substring(key.lastIndexOf('/') + 1);
  }

  /** {@code s3://b/dir/file.bin} is that one object; {@code s3://b/dir} without slash a folder. */
  private String singleObjectOrFolder() throws DownloadException {
    String where = "head s3://" + bucket + "/" + prefix;
    try {
      s3.send(SdkHttpMethod.HEAD, prefix, Map.of(), Map.of(), where).release(true);
      return prefix;
    } catch (SourceException e) {
      if (e.status() == 404) {
        return prefix + "/";
      }
      throw new DownloadException(Failure.SOURCE, withAccessHint(e).getMessage(), e);
    } catch (IOException e) {
      throw new DownloadException(Failure.SOURCE, where + ": " + e.getMessage(), e);
    }
  }

  private static RemoteFile toRemoteFile(String path, String key, long size, String etag) {
    String bare = etag == null ? "" : etag.replace("\"", "");
    List<Digest> digests =
        MD5_HEX.matcher(bare).matches()
            ? List.of(new Digest(Digest.Algorithm.MD5, bare))
            : List.of();
    return new RemoteFile(path, size, digests, key, etag, true);
  }

  @Override
  public Body open(RemoteFile file, long from, long to) throws IOException {
    boolean whole = from == 0 && to == file.size();
    boolean multipart = S3Checksums.partsCount(file.version()) > 0;
    try {
      // A whole single-part object's checksums come with its GET; others need the HEAD (and the
      // part layout).
      List<Digest> learned = whole && !multipart ? null : headDigests(file);
      Body body = get.open(file, from, to);
      return learned == null ? body : new Body(body.stream(), learned, body);
    } catch (SourceException e) {
      throw e.status() == 412 ? changed(file) : e;
    }
  }

  @Override
  public List<Digest> digests(RemoteFile file) throws IOException {
    try {
      return headDigests(file);
    } catch (SourceException e) {
      throw e.status() == 412 ? changed(file) : e;
    }
  }

  /** The object's digests from one HEAD per object, asked once however many ranges it has. */
  private List<Digest> headDigests(RemoteFile file) throws IOException {
    try {
      return headDigests.computeIfAbsent(
          file.locator(),
          k -> {
            try {
              return head(file);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** What one HEAD (and, for a multipart object, its part layout) says the object's digests are. */
  private List<Digest> head(RemoteFile file) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-amz-checksum-mode", "ENABLED");
    if (file.version() != null) {
      headers.put("If-Match", file.version());
    }
    HttpTransport.Response h =
        s3.send(
            SdkHttpMethod.HEAD,
            file.locator(),
            Map.of(),
            headers,
            "s3://" + bucket + "/" + file.locator());
    h.release(true);
    int parts = S3Checksums.partsCount(file.version());
    List<Long> layout =
        parts > 0 ? layouts.of(file.locator(), file.version(), file.size(), parts) : null;
    if (parts > 0 && layout == null) {
      LOG.warn(
          "{}: the server does not tell the part sizes of this multipart object ({} parts): its"
              + " composite checksum and ETag cannot be checked",
          file.path(),
          parts);
    }
    return S3Checksums.of(S3Checksums.Response.of(h::header), file, layout);
  }

  private SourceException changed(RemoteFile file) {
    return SourceException.fatal(
        "s3://"
            + bucket
            + "/"
            + file.locator()
            + " changed at the source during the download"
            + " (ETag is no longer "
            + file.version()
            + "); pull again to fetch the new version",
        412);
  }

  /** A refusal of the credentials (401, 403) says where they come from. */
  private static SourceException withAccessHint(SourceException e) {
    return e.status() == 403 || e.status() == 401
        ? SourceException.fatal(
            e.getMessage() + " (check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the pod's role)",
            e.status())
        : e;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    // nothing held: connections belong to the JDK's keep-alive cache
  }
}
