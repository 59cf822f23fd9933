package io.modelprefetch.downloader.source.http;

import io.modelprefetch.downloader.source.Body;
import io.modelprefetch.downloader.source.SourceException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;

/** A GET of bytes {@code [from, to)} that checks the server sent exactly those bytes. */
public final class RangeGet {
  private RangeGet() {}

  /**
   * The body, the URI it finally came from (after redirects) and the response (for its headers).
   */
  public record Opened(Body body, URI finalUri, HttpTransport.Response response) {}

  public static Opened open(
      HttpTransport transport,
      URI uri,
      String bearer,
      long from,
      long to,
      long size,
      boolean ranged)
      throws IOException {
    return openAuthorized(
        transport,
        uri,
        Map.of(),
        bearer == null ? null : "Bearer " + bearer,
        from,
        to,
        size,
        ranged);
  }

  /**
   * As {@link #open}, with a whole {@code Authorization} header value (sent to {@code uri}'s origin
   * only).
   */
  public static Opened openAuthorized(
      HttpTransport transport,
      URI uri,
      String authorization,
      long from,
      long to,
      long size,
      boolean ranged)
      throws IOException {
    return openAuthorized(transport, uri, Map.of(), authorization, from, to, size, ranged);
  }

  /** The Range header such a GET sends (none for a whole file that is not {@code ranged}). */
  public static Map<String, String> rangeHeader(long from, long to, long size, boolean ranged) {
    boolean whole = from == 0 && to == size;
    return whole && !ranged ? Map.of() : Map.of("Range", "bytes=" + from + "-" + (to - 1));
  }

  /** As above, with more request headers (e.g. a signature that covers the Range header too). */
  public static Opened openAuthorized(
      HttpTransport transport,
      URI uri,
      Map<String, String> more,
      String authorization,
      long from,
      long to,
      long size,
      boolean ranged)
      throws IOException {
    boolean whole = from == 0 && to == size;
    Map<String, String> headers = new java.util.HashMap<>(more);
    headers.putAll(rangeHeader(from, to, size, ranged));
    HttpTransport.Response r = transport.sendAuthorized("GET", uri, headers, authorization);
    if (r.status() == 200 && !whole) {
      r.release(false);
      throw SourceException.rangeIgnored(
          "GET " + HttpTransport.redact(r.finalUri()) + " ignored the Range header (answered 200)");
    }
    if (r.status() == 206) {
      String expected = "bytes " + from + "-" + (to - 1) + "/";
      String contentRange = r.header("Content-Range");
      if (!ContentRange.covers(contentRange, from, to)) {
        r.release(false);
        throw SourceException.retryable(
            "GET "
                + HttpTransport.redact(r.finalUri())
                + " answered Content-Range '"
                + contentRange
                + "', expected '"
                + expected
                + "…'",
            null,
            206);
      }
    }
    long length = r.contentLength();
    if (length >= 0 && length != to - from) {
      r.release(false);
      throw SourceException.fatal(
          "GET "
              + HttpTransport.redact(r.finalUri())
              + " announced "
              + length
              + " bytes, expected "
              + (to - from)
              + " (the file changed at the source?)",
          r.status());
    }
    InputStream in = new CountingStream(r.body(), to - from);
    return new Opened(
        new Body(in, () -> r.release(((CountingStream) in).atEnd())), r.finalUri(), r);
  }

  /** Stops at the expected length so a keep-alive connection is released cleanly. */
  public static final class CountingStream extends FilterInputStream {
    private long remaining;

    public CountingStream(InputStream in, long length) {
      super(in);
      this.remaining = length;
    }

    boolean atEnd() {
      return remaining == 0;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining == 0) {
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }
  }
}
