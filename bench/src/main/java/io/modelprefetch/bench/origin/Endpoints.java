package io.modelprefetch.bench.origin;

import java.net.URI;

/**
 * Where peers reach the shaped origins of one dataset: the Hub (whose LFS redirects go to a shaped
 * CDN), the S3 server and the plain HTTP origin, plus the names a peer needs to address the data.
 */
public record Endpoints(
    URI hub,
    String hubRepo,
    URI s3,
    String bucket,
    String accessKey,
    String secretKey,
    String region,
    URI http) {
  /** The URL of a dataset file on the plain HTTP origin. */
  public URI httpFile(String path) {
    return URI.create(http + "/" + path);
  }
}
