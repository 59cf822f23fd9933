package io.modelprefetch.downloader.source.http;

import io.modelprefetch.downloader.source.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Objects;

/**
 * HTTP/1.1 requests with our rules: redirects followed by hand so that a bearer token never reaches
 * another host, a read timeout as the stall detector, and status codes turned into {@link
 * SourceException}s that carry Retry-After.
 *
 * <p>HttpURLConnection, not java.net.http: its socket read timeout is exactly "no byte for this
 * long", and each concurrent range gets its own pooled connection (no HTTP/2 multiplexing onto one
 * capped connection).
 */
public final class HttpTransport {
  private static final int MAX_REDIRECTS = 10;
  private static final String USER_AGENT = "modelprefetch/0.1";
  private final Duration stallTimeout;

  public HttpTransport(Duration stallTimeout) {
    this.stallTimeout = stallTimeout;
  }

  /** A response with a 2xx status, positioned at its body. */
  public record Response(HttpURLConnection connection, URI finalUri, int status) {
    public String header(String name) {
      return connection.getHeaderField(name);
    }

    public long contentLength() {
      return connection.getContentLengthLong();
    }

    public InputStream body() throws IOException {
      return connection.getInputStream();
    }

    /** Returns the connection to the pool when the body was read, else drops it. */
    public void release(boolean bodyFullyRead) {
      if (bodyFullyRead) {
        try {
          connection.getInputStream().close();
        } catch (IOException e) {
          connection.disconnect();
        }
      } else {
        connection.disconnect();
      }
    }
  }

  /**
   * Sends a request, following up to ten redirects. {@code bearer} goes only to {@code uri}'s own
   * host. A non-2xx final status throws.
   */
  public Response send(String method, URI uri, Map<String, String> headers, String bearer)
      throws IOException {
    return sendAuthorized(method, uri, headers, bearer == null ? null : "Bearer " + bearer);
  }

  /**
   * As {@link #send}, with a whole {@code Authorization} header value (Bearer or Basic), which
   * likewise goes only to {@code uri}'s own origin, never to a redirect target on another.
   */
  public Response sendAuthorized(
      String method, URI uri, Map<String, String> headers, String authorization)
      throws IOException {
    return exchange(method, uri, headers, authorization, false, false);
  }

  /**
   * As {@link #sendAuthorized}, but a final error status (4xx, 5xx) is returned, not thrown: for a
   * caller that reads the error body itself (S3's XML errors). Its body is {@code
   * connection().getErrorStream()}; release it with {@code release(false)}.
   */
  public Response sendAnyStatus(
      String method, URI uri, Map<String, String> headers, String authorization)
      throws IOException {
    return exchange(method, uri, headers, authorization, false, true);
  }

  /**
   * Where {@code uri} sends its content when that is another host (a signed CDN URL), found with a
   * HEAD that follows same-host redirects only; null when {@code uri}'s host serves it itself. The
   * other host is never contacted.
   */
  public URI otherHostTarget(URI uri, String bearer) throws IOException {
    Response r =
        exchange("HEAD", uri, Map.of(), bearer == null ? null : "Bearer " + bearer, true, false);
    r.release(true);
    return r.status() >= 300 && r.status() < 400 ? r.finalUri() : null;
  }

  private Response exchange(
      String method,
      URI uri,
      Map<String, String> headers,
      String authorization,
      boolean stopAtOtherHost,
      boolean errorsToo)
      throws IOException {
    URI current = uri;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpURLConnection c = (HttpURLConnection) current.toURL().openConnection();
      c.setRequestMethod(method);
      c.setInstanceFollowRedirects(false);
      c.setConnectTimeout((int) Math.min(stallTimeout.toMillis(), 30_000));
      c.setReadTimeout((int) stallTimeout.toMillis());
      c.setRequestProperty("User-Agent", USER_AGENT);
      c.setRequestProperty("Accept-Encoding", "identity");
      headers.forEach(c::setRequestProperty);
      if (authorization != null && sameOrigin(uri, current)) {
        c.setRequestProperty("Authorization", authorization);
      }
      int status = responseCode(c, current);
      if (status >= 300 && status < 400 && c.getHeaderField("Location") != null) {
        URI next = current.resolve(c.getHeaderField("Location"));
        drain(c);
        if (stopAtOtherHost && !sameOrigin(uri, next)) {
          return new Response(c, next, status);
        }
        current = next;
        continue;
      }
      if (status >= 200 && status < 300 || errorsToo && status >= 400) {
        return new Response(c, current, status);
      }
      throw errorFor(method, current, c, status);
    }
    throw SourceException.fatal("more than " + MAX_REDIRECTS + " redirects from " + redact(uri), 0);
  }

  /** The status; a refused or unreachable connection names the host and port it tried. */
  private static int responseCode(HttpURLConnection c, URI uri) throws IOException {
    try {
      return c.getResponseCode();
    } catch (java.net.ConnectException
        | java.net.UnknownHostException
        | java.net.NoRouteToHostException e) {
      java.net.ConnectException named =
          new java.net.ConnectException(
              "cannot connect to "
                  + uri.getHost()
                  + ":"
                  + port(uri)
                  + " ("
                  + (e instanceof java.net.UnknownHostException ? "unknown host" : e.getMessage())
                  + ")");
      named.initCause(e);
      throw named;
    }
  }

  public static boolean sameOrigin(URI a, URI b) {
    return Objects.equals(a.getScheme(), b.getScheme())
        && Objects.equals(a.getHost(), b.getHost())
        && port(a) == port(b);
  }

  private static int port(URI u) {
    return u.getPort() != -1 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
  }

  private static SourceException errorFor(String method, URI uri, HttpURLConnection c, int status) {
    String detail = c.getHeaderField("X-Error-Message");
    if (detail == null) {
      detail = errorBody(c);
    }
    String message =
        method
            + " "
            + redact(uri)
            + " answered "
            + status
            + (detail.isBlank() ? "" : ": " + detail);
    c.disconnect();
    if (SourceException.retryableStatus(status)) {
      return SourceException.retryable(
          message, retryAfter(c.getHeaderField("Retry-After")), status);
    }
    return SourceException.fatal(message, status);
  }

  private static String errorBody(HttpURLConnection c) {
    try (InputStream in = c.getErrorStream()) {
      if (in == null) {
        return "";
      }
      String text = new String(in.readNBytes(512), StandardCharsets.UTF_8).strip();
      return text.replaceAll("\\s+", " ");
    } catch (IOException e) {
      return "";
    }
  }

  private static void drain(HttpURLConnection c) {
    try (InputStream in = c.getInputStream()) {
      in.skip(Long.MAX_VALUE);
    } catch (IOException e) {
      c.disconnect();
    }
  }

  /** Parses Retry-After (seconds or an HTTP date); null when absent or unreadable. */
  public static Duration retryAfter(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return d.isNegative() ? Duration.ZERO : d;
      } catch (RuntimeException unreadable) {
        return null;
      }
    }
  }

  /** The URI without its query (signed URLs carry credentials there). */
  public static String redact(URI uri) {
    return uri.getQuery() == null
        ? uri.toString()
        : uri.toString().replace("?" + uri.getRawQuery(), "?…");
  }
}
