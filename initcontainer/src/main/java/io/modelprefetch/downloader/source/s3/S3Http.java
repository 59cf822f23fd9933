package io.modelprefetch.downloader.source.s3;

import io.modelprefetch.downloader.source.SourceException;
import io.modelprefetch.downloader.source.http.HttpTransport;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * S3 requests as plain SigV4-signed HTTP/1.1 on the same {@link HttpTransport} as hf:// and
 * https://: the AWS SDK only signs (its V4 signer) and finds credentials (its default provider
 * chain, built on the first request). No SDK client is built, so a pull skips its interceptors,
 * endpoint rules, marshalling and HTTP client, which cost more start-up and CPU than the listing
 * and the bytes of small objects. Addressing: path-style under an endpoint override; on AWS
 * virtual-hosted when the bucket name allows, else path-style.
 */
final class S3Http {
  private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
  private static final int MAX_ERROR_BODY = 64 * 1024;
  private final HttpTransport transport;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final String region;
  private final URI bucketRoot;
  private final String bucket;
  private volatile IdentityProvider<? extends AwsCredentialsIdentity> credentials;

  /**
   * @param endpoint the endpoint override (path-style), or null for AWS
   * @param credentials the credentials, or null for the SDK's default chain (built when first used)
   */
  S3Http(
      HttpTransport transport,
      IdentityProvider<? extends AwsCredentialsIdentity> credentials,
      String region,
      URI endpoint,
      String bucket) {
    this.transport = transport;
    this.credentials = credentials;
    this.region = region;
    this.bucket = bucket;
    String base;
    if (endpoint != null) {
      String e = endpoint.toString();
      base = (e.endsWith("/") ? e : e + "/") + bucket + "/";
    } else {
      String domain = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
      base =
          bucket.matches("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]")
              ? "https://" + bucket + ".s3." + region + "." + domain + "/"
              : "https://s3." + region + "." + domain + "/" + bucket + "/";
    }
    this.bucketRoot = URI.create(base);
  }

  String bucket() {
    return bucket;
  }

  /**
   * A request, signed: its URI and the headers to send (Host left out: the connection sends it).
   */
  record Signed(URI uri, Map<String, String> headers) {}

  /**
   * Signs a request for {@code key} (empty: the bucket) with {@code query} parameters (unencoded)
   * and {@code headers}.
   */
  Signed sign(
      SdkHttpMethod method, String key, Map<String, String> query, Map<String, String> headers)
      throws SourceException {
    AwsCredentialsIdentity identity;
    try {
      identity = credentials().resolveIdentity().join();
    } catch (SdkException | CompletionException e) {
      // Retryable, like any request that did not get an answer: instance metadata and the web
      // identity token service can fail for a moment.
      throw SourceException.retryable(
          "no AWS credentials for s3://" + bucket + ": " + e.getMessage(), null, 0);
    }
    SdkHttpRequest.Builder request =
        SdkHttpRequest.builder()
            .method(method)
            .uri(bucketRoot.resolve(SdkHttpUtils.urlEncodeIgnoreSlashes(key)))
            .putHeader("x-amz-content-sha256", UNSIGNED_PAYLOAD);
    query.forEach(request::putRawQueryParameter);
    headers.forEach(request::putHeader);
    SdkHttpRequest signed =
        signer
            .sign(
                r ->
                    r.identity(identity)
                        .request(request.build())
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
    return new Signed(signed.getUri(), out);
  }

  private IdentityProvider<? extends AwsCredentialsIdentity> credentials() {
    var c = credentials;
    if (c == null) {
      synchronized (this) {
        if (credentials == null) {
          credentials = DefaultCredentialsProvider.builder().build();
        }
        c = credentials;
      }
    }
    return c;
  }

  /**
   * Sends a signed request with an empty body; a 2xx answer is returned (the caller reads and
   * releases it), an error becomes a {@link SourceException} {@code "<where>: <status> <Code>
   * <Message>"} (retryable for 408, 429 and 5xx, with its Retry-After).
   */
  HttpTransport.Response send(
      SdkHttpMethod method,
      String key,
      Map<String, String> query,
      Map<String, String> headers,
      String where)
      throws IOException {
    Signed s = sign(method, key, query, headers);
    HttpTransport.Response r = transport.sendAnyStatus(method.name(), s.uri(), s.headers(), null);
    if (r.status() < 400) {
      return r;
    }
    S3Xml.Error error = S3Xml.error(errorBody(r));
    r.release(false);
    String code = error.code().isEmpty() ? reason(r) : error.code();
    String message =
        where
            + ": "
            + r.status()
            + (code.isEmpty() ? "" : " " + code)
            + (error.message().isEmpty() ? "" : " " + error.message());
    throw SourceException.retryableStatus(r.status())
        ? SourceException.retryable(
            message, HttpTransport.retryAfter(r.header("Retry-After")), r.status())
        : SourceException.fatal(message, r.status());
  }

  private static byte[] errorBody(HttpTransport.Response r) {
    try (InputStream in = r.connection().getErrorStream()) {
      return in == null ? new byte[0] : in.readNBytes(MAX_ERROR_BODY);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static String reason(HttpTransport.Response r) {
    try {
      String m = r.connection().getResponseMessage();
      return m == null ? "" : m;
    } catch (IOException e) {
      return "";
    }
  }
}
