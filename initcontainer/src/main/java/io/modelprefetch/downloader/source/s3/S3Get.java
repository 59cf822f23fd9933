package io.modelprefetch.downloader.source.s3;

import io.modelprefetch.downloader.manifest.Digest;
import io.modelprefetch.downloader.manifest.RemoteFile;
import io.modelprefetch.downloader.source.Body;
import io.modelprefetch.downloader.source.http.HttpTransport;
import io.modelprefetch.downloader.source.http.RangeGet;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * GET of an object's bytes as a plain SigV4-signed request ({@link S3Http}) read like hf:// and
 * https:// ranges ({@link RangeGet}).
 */
final class S3Get {
  private final HttpTransport transport;
  private final S3Http s3;

  S3Get(HttpTransport transport, S3Http s3) {
    this.transport = transport;
    this.s3 = s3;
  }

  /** Bytes {@code [from, to)} of the object, only while its ETag is still the listed one. */
  Body open(RemoteFile file, long from, long to) throws IOException {
    boolean whole = from == 0 && to == file.size();
    Map<String, String> headers =
        new HashMap<>(RangeGet.rangeHeader(from, to, file.size(), !whole));
    if (file.version() != null) {
      headers.put("If-Match", file.version());
    }
    if (whole) {
      headers.put("x-amz-checksum-mode", "ENABLED"); // whole-object checksums come back as headers
    }
    S3Http.Signed signed = s3.sign(SdkHttpMethod.GET, file.locator(), Map.of(), headers);
    RangeGet.Opened opened =
        RangeGet.openAuthorized(
            transport, signed.uri(), signed.headers(), null, from, to, file.size(), !whole);
    List<Digest> learned =
        whole
            ? S3Checksums.of(S3Checksums.Response.of(opened.response()::header), file, null)
            : List.of();
    Body body = opened.body();
    return new Body(body.stream(), learned, body);
  }
}
