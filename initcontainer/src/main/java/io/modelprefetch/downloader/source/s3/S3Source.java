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
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

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
  private final SourceOptions options;
  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final Map<String, List<Digest>> headDigests = new ConcurrentHashMap<>();
  private final PartLayouts layouts;
  private final S3Get get;

  private S3Source(SourceOptions options, S3Client s3, String bucket, String prefix) {
    this.options = options;
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix;
    this.layouts = new PartLayouts(s3, bucket);
    var config = s3.serviceClientConfiguration();
    this.get =
        new S3Get(
            new HttpTransport(options.stallTimeout()),
            config.credentialsProvider(),
            config.region().id(),
            config.endpointOverride().orElse(null),
            bucket);
  }

  public static S3Source create(SourceOptions options) throws DownloadException {
    URI uri = URI.create(options.uri());
    String bucket = uri.getHost();
    if (bucket == null || bucket.isEmpty()) {
      throw new DownloadException(
          Failure.USAGE, "invalid S3 URI '" + options.uri() + "': expected s3://bucket/prefix");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    return new S3Source(
        options, client(options), bucket, path.startsWith("/") ? path.substring(1) : path);
  }

  private static S3Client client(SourceOptions o) {
    Duration stall = o.stallTimeout();
    var builder =
        S3Client.builder()
            .credentialsProvider(DefaultCredentialsProvider.builder().build())
            .httpClientBuilder(
                ApacheHttpClient.builder()
                    .maxConnections(Math.max(o.connections(), 4) + 4)
                    .socketTimeout(stall)
                    .connectionTimeout(
                        stall.compareTo(Duration.ofSeconds(30)) < 0
                            ? stall
                            : Duration.ofSeconds(30)))
            .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    String region = o.region() != null ? o.region() : System.getenv("AWS_REGION");
    if (region != null) {
      builder.region(Region.of(region));
    } else if (o.endpoint() != null) {
      builder.region(Region.US_EAST_1);
    }
    if (o.endpoint() != null) {
      builder.endpointOverride(URI.create(o.endpoint())).forcePathStyle(true);
    }
    return builder.build();
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
      ListObjectsV2Response listed =
          retry.send(
              "listing page " + page + " of " + where,
              () -> listPage(listPrefix, continuation, where));
      for (S3Object o : listed.contents()) {
        if (o.key().endsWith("/") && o.size() == 0) {
          continue;
        }
        String path = pathOf(listPrefix, o.key());
        if (filter.test(path)) {
          files.add(toRemoteFile(path, o.key(), o.size(), o.eTag()));
          fingerprint.update((o.key() + "\0" + o.eTag() + "\0" + o.size() + "\n").getBytes());
        }
      }
      token = listed.nextContinuationToken();
      if (!Boolean.TRUE.equals(listed.isTruncated()) || token == null) {
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
   */
  private ListObjectsV2Response listPage(String listPrefix, String continuation, String where)
      throws SourceException {
    try {
      return s3.listObjectsV2(
          b -> b.bucket(bucket).prefix(listPrefix).continuationToken(continuation));
    } catch (SdkException e) {
      SourceException failure = toSourceException(e, where);
      String hint = accessHint(e);
      throw hint.isEmpty()
          ? failure
          : SourceException.fatal(failure.getMessage() + hint, failure.status());
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
    try {
      s3.headObject(b -> b.bucket(bucket).key(prefix));
      return prefix;
    } catch (NoSuchKeyException e) {
      return prefix + "/";
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return prefix + "/";
      }
      throw fail(e, "head s3://" + bucket + "/" + prefix);
    } catch (SdkException e) {
      throw fail(e, "head s3://" + bucket + "/" + prefix);
    }
  }

  private static RemoteFile toRemoteFile(String path, String key, long size, String etag) {
    String bare = etag == null ? "" : etag.replace("\"", "");
    List<Digest> digests =
        bare.matches("[0-9a-fA-F]{32}")
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
      List<Digest> learned =
          whole && !multipart ? null : headDigests.computeIfAbsent(file.locator(), k -> head(file));
      Body body =
          get.open(
              file, from, to); // a plain signed GET: the SDK costs more than a small object's bytes
      return learned == null ? body : new Body(body.stream(), learned, body);
    } catch (SdkException e) {
      throw toSourceException(e, file);
    } catch (SourceException e) {
      throw e.status() == 412 ? changed(file) : e;
    }
  }

  @Override
  public List<Digest> digests(RemoteFile file) throws IOException {
    try {
      return headDigests.computeIfAbsent(file.locator(), k -> head(file));
    } catch (SdkException e) {
      throw toSourceException(e, file);
    }
  }

  /** What one HEAD (and, for a multipart object, its part layout) says the object's digests are. */
  private List<Digest> head(RemoteFile file) {
    HeadObjectResponse h =
        s3.headObject(
            b ->
                b.bucket(bucket)
                    .key(file.locator())
                    .ifMatch(file.version())
                    .checksumMode(ChecksumMode.ENABLED));
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
    return S3Checksums.of(
        new S3Checksums.Response(
            h.checksumSHA256(),
            h.checksumSHA1(),
            h.checksumCRC32C(),
            h.checksumCRC32(),
            h.checksumTypeAsString(),
            h.serverSideEncryptionAsString(),
            h.sseCustomerAlgorithm()),
        file,
        layout);
  }

  private SourceException toSourceException(SdkException e, RemoteFile file) {
    if (e instanceof S3Exception s && s.statusCode() == 412) {
      return changed(file);
    }
    return toSourceException(e, "s3://" + bucket + "/" + file.locator());
  }

  private static SourceException toSourceException(SdkException e, String where) {
    if (e instanceof S3Exception s) {
      int status = s.statusCode();
      String message =
          where
              + ": "
              + status
              + " "
              + s.awsErrorDetails().errorCode()
              + " "
              + s.awsErrorDetails().errorMessage();
      return SourceException.retryableStatus(status)
          ? SourceException.retryable(message, retryAfter(s), status)
          : SourceException.fatal(message, status);
    }
    if (e instanceof SdkClientException) {
      return SourceException.retryable(where + ": " + e.getMessage(), null, 0);
    }
    return SourceException.fatal(where + ": " + e.getMessage(), 0);
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

  /** The Retry-After of an S3 error response, or null. */
  private static Duration retryAfter(S3Exception e) {
    return e.awsErrorDetails() == null || e.awsErrorDetails().sdkHttpResponse() == null
        ? null
        : e.awsErrorDetails()
            .sdkHttpResponse()
            .firstMatchingHeader("Retry-After")
            .map(HttpTransport::retryAfter)
            .orElse(null);
  }

  private DownloadException fail(SdkException e, String what) {
    String message =
        e instanceof S3Exception s
            ? what
                + ": "
                + s.statusCode()
                + " "
                + s.awsErrorDetails().errorCode()
                + " "
                + s.awsErrorDetails().errorMessage()
            : what + ": " + e.getMessage();
    return new DownloadException(Failure.SOURCE, message + accessHint(e), e);
  }

  private static String accessHint(SdkException e) {
    return e instanceof S3Exception s && (s.statusCode() == 403 || s.statusCode() == 401)
        ? " (check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the pod's role)"
        : "";
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
    s3.close();
  }
}
