package io.modelprefetch.downloader.source.s3;

import io.modelprefetch.downloader.manifest.Digest;
import io.modelprefetch.downloader.manifest.RemoteFile;
import io.modelprefetch.downloader.source.Body;
import io.modelprefetch.downloader.source.http.HttpTransport;
import io.modelprefetch.downloader.source.http.RangeGet;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * GET of an object's bytes as a plain SigV4-signed request on the same HTTP path as hf:// and
 * https:// ({@link HttpTransport}, {@link RangeGet}): the AWS SDK only signs (its own V4 signer,
 * credentials from the same provider chain as the client). Per request this skips the SDK's
 * interceptor chain, marshalling, endpoint rules and response wrappers, which cost more CPU than
 * the bytes of a small object. Listing and HEAD stay on the SDK client.
 */
final class S3Get {
  private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
  private final HttpTransport transport;
  private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final String region;
  private final URI bucketRoot;

  /**
   * @param endpoint the endpoint override (path-style, like the client), or null for AWS
   *     (virtual-hosted when the bucket name allows, else path-style)
   */
  S3Get(
      HttpTransport transport,
      IdentityProvider<? extends AwsCredentialsIdentity> credentials,
      String region,
      URI endpoint,
      String bucket) {
    this.transport = transport;
    this.credentials = credentials;
    this.region = region;
    String base;
    if (endpoint != null) {
      String e = endpoint.toString();
      base = (e.endsWith("/") ? e : e + "/") + bucket + "/";
    } else if (bucket.matches("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]")) {
      base = "https://" + bucket + ".s3." + region + ".amazonaws.com/";
    } else {
      base = "https://s3." + region + ".amazonaws.com/" + bucket + "/";
    }
    this.bucketRoot = URI.create(base);
  }

  /** Bytes {@code [from, to)} of the object, only while its ETag is still the listed one. */
  Body open(RemoteFile file, long from, long to) throws IOException {
    boolean whole = from == 0 && to == file.size();
    URI uri = bucketRoot.resolve(SdkHttpUtils.urlEncodeIgnoreSlashes(file.locator()));
    SdkHttpRequest.Builder request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.GET)
            .uri(uri)
            .putHeader("x-amz-content-sha256", UNSIGNED_PAYLOAD);
    if (file.version() != null) {
      request.putHeader("If-Match", file.version());
    }
    if (whole) {
      request.putHeader(
          "x-amz-checksum-mode", "ENABLED"); // whole-object checksums come back as headers
    }
    RangeGet.rangeHeader(from, to, file.size(), !whole).forEach(request::putHeader);
    RangeGet.Opened opened =
        RangeGet.openAuthorized(
            transport, uri, sign(request.build()), null, from, to, file.size(), !whole);
    HttpTransport.Response r = opened.response();
    List<Digest> learned =
        whole
            ? S3Checksums.of(
                new S3Checksums.Response(
                    r.header("x-amz-checksum-sha256"),
                    r.header("x-amz-checksum-sha1"),
                    r.header("x-amz-checksum-crc32c"),
                    r.header("x-amz-checksum-crc32"),
                    r.header("x-amz-checksum-type"),
                    r.header("x-amz-server-side-encryption"),
                    r.header("x-amz-server-side-encryption-customer-algorithm")),
                file,
                null)
            : List.of();
    Body body = opened.body();
    return new Body(body.stream(), learned, body);
  }

  /**
   * The request's headers with the SigV4 signature (Host is left out: the connection sends the
   * same).
   */
  private Map<String, String> sign(SdkHttpRequest request) {
    SdkHttpRequest signed =
        signer
            .sign(
                r ->
                    r.identity((AwsCredentialsIdentity) credentials.resolveIdentity().join())
                        .request(request)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false))
            .request();
    Map<String, String> out = new HashMap<>();
    signed.forEachHeader(
        (name, values) -> {
          if (!name.equalsIgnoreCase("Host")) {
            out.put(name, values.getFirst());
          }
        });
    return out;
  }
}
