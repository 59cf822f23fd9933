package io.modelprefetch.downloader.source.dragonfly;

import io.modelprefetch.downloader.source.Body;
import io.modelprefetch.downloader.source.http.RangeGet;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Ranged GETs through the node's Dragonfly client ({@code dfdaemon}) acting as an HTTP proxy.
 *
 * <p>The request goes to the proxy in absolute form ({@code GET https://cdn/path HTTP/1.1}) over a
 * plain connection to the node-local proxy, with {@code X-Dragonfly-Use-P2P: true}, so dfdaemon
 * itself opens the TLS connection to the origin when it has to: no proxy rules and no HTTPS
 * interception are needed. {@code X-Dragonfly-Content-For-Calculating-Task-ID} names the content
 * (e.g. its sha256), so ranges of one file share one task on every node even when each pod holds a
 * differently signed URL. One connection per range ({@code Connection: close}): ranges are large
 * and the proxy is on the node, so connection setup costs nothing that matters.
 *
 * <p>Two more headers make ranges share the network as well as the task (dfdaemon 1.5): {@code
 * X-Dragonfly-Prefetch: true}, because dfdaemon fetches only the pieces of the asked range, and the
 * seed peer the scheduler sets to work on a new task would fetch just the first range it was asked
 * for; with prefetch it (and each node) fetches the whole file once, so every other range of every
 * node finds a parent instead of going back to the origin. {@code X-Dragonfly-Scheduling-Policy:
 * always}, because dfdaemon sends a range of at most one minimal piece (4 MiB) straight to the
 * origin, skipping the scheduler.
 *
 * <p>Never pass credentials here: dfdaemon copies the request headers into the task, which the
 * scheduler hands to seed peers on other nodes. Callers route only requests that carry no token.
 */
public final class DragonflyProxy {
  /**
   * Header dfdaemon sets when the failure is its own (proxy, dfdaemon) or the origin's (backend).
   */
  public static final String ERROR_TYPE = "X-Dragonfly-Error-Type";

  public static final String TASK_ID = "X-Dragonfly-Task-ID";
  static final String CONTENT_ID = "X-Dragonfly-Content-For-Calculating-Task-ID";
  private static final int MAX_HEADER_BYTES = 64 * 1024;
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private final URI proxy;
  private final Duration stallTimeout;

  public DragonflyProxy(URI proxy, Duration stallTimeout) {
    if (!"http".equals(proxy.getScheme()) || proxy.getHost() == null || proxy.getPort() < 0) {
      throw new IllegalArgumentException(
          "the Dragonfly proxy must be http://HOST:PORT, got '" + proxy + "'");
    }
    this.proxy = proxy;
    this.stallTimeout = stallTimeout;
  }

  public URI address() {
    return proxy;
  }

  /**
   * Opens bytes {@code [from, to)} (not empty) of the file at {@code origin}.
   *
   * @param contentId names the content for the task id (null: dfdaemon derives it from the URL)
   * @throws DragonflyException when the proxy is unreachable, answers an error or a malformed reply
   */
  public Body open(URI origin, String contentId, long from, long to) throws DragonflyException {
    Socket socket = new Socket();
    try {
      socket.connect(
          new InetSocketAddress(proxy.getHost(), proxy.getPort()), CONNECT_TIMEOUT_MILLIS);
      socket.setSoTimeout((int) stallTimeout.toMillis());
      OutputStream out = socket.getOutputStream();
      // Always a range, also for a whole file: dfdaemon then states Content-Range and
      // Content-Length.
      out.write(
          request(origin, contentId, "bytes=" + from + "-" + (to - 1))
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
      Head reply = Head.read(in);
      check(reply, reply.status(), from, to);
      return new Body(new RangeGet.CountingStream(in, to - from), socket);
    } catch (DragonflyException e) {
      closeQuietly(socket);
      throw e;
    } catch (IOException e) {
      closeQuietly(socket);
      throw new DragonflyException(
          "the Dragonfly proxy " + proxy + " failed: " + e.getMessage(), e);
    }
  }

  static String request(URI origin, String contentId, String range) {
    StringBuilder r = new StringBuilder();
    r.append("GET ").append(origin.toASCIIString()).append(" HTTP/1.1\r\n");
    r.append("Host: ").append(origin.getRawAuthority()).append("\r\n");
    r.append("User-Agent: modelprefetch/0.1\r\n");
    r.append("Accept-Encoding: identity\r\n");
    r.append("Connection: close\r\n");
    r.append("X-Dragonfly-Use-P2P: true\r\n");
    r.append("X-Dragonfly-Prefetch: true\r\n");
    r.append("X-Dragonfly-Scheduling-Policy: always\r\n");
    if (contentId != null) {
      r.append(CONTENT_ID).append(": ").append(headerSafe(contentId)).append("\r\n");
    }
    if (range != null) {
      r.append("Range: ").append(range).append("\r\n");
    }
    return r.append("\r\n").toString();
  }

  private static String headerSafe(String value) {
    if (!value.matches("[\\x21-\\x7e]+")) {
      throw new IllegalArgumentException("content id '" + value + "' is not a header token");
    }
    return value;
  }

  private void check(Head reply, int status, long from, long to) throws DragonflyException {
    String errorType = reply.header(ERROR_TYPE);
    if (errorType != null) {
      throw new DragonflyException(
          "the Dragonfly proxy "
              + proxy
              + " answered "
              + status
              + " ("
              + ERROR_TYPE
              + ": "
              + printable(errorType)
              + ")",
          null);
    }
    if (status != 206) {
      throw new DragonflyException(
          "the Dragonfly proxy " + proxy + " answered " + status + " to a range request", null);
    }
    String expected = "bytes " + from + "-" + (to - 1) + "/";
    String contentRange = reply.header("Content-Range");
    if (contentRange == null || !contentRange.startsWith(expected)) {
      throw new DragonflyException(
          "the Dragonfly proxy "
              + proxy
              + " answered Content-Range '"
              + printable(String.valueOf(contentRange))
              + "', expected '"
              + expected
              + "…'",
          null);
    }
    String length = reply.header("Content-Length");
    if (length == null || !length.strip().equals(Long.toString(to - from))) {
      throw new DragonflyException(
          "the Dragonfly proxy "
              + proxy
              + " announced Content-Length '"
              + printable(String.valueOf(length))
              + "', expected "
              + (to - from),
          null);
    }
  }

  /** Remote text made safe for one log line. */
  static String printable(String text) {
    String cut = text.length() > 200 ? text.substring(0, 200) + "…" : text;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing left to release
    }
  }

  /** The start line and headers of an HTTP/1.x message; header names lower-cased. */
  record Head(String startLine, Map<String, String> headers) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The status of a response. */
    int status() throws IOException {
      String[] parts = startLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP/1.x answer: '" + printable(startLine) + "'");
      }
      try {
        return Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new IOException("not an HTTP status: '" + printable(startLine) + "'");
      }
    }

    /** The request target of a request. */
    String target() {
      String[] parts = startLine.split(" ", 3);
      return parts.length < 2 ? "" : parts[1];
    }

    static Head read(InputStream in) throws IOException {
      String startLine = line(in);
      Map<String, String> headers = new LinkedHashMap<>();
      int total = startLine.length();
      for (String h = line(in); !h.isEmpty(); h = line(in)) {
        total += h.length();
        if (total > MAX_HEADER_BYTES) {
          throw new IOException("headers longer than " + MAX_HEADER_BYTES + " bytes");
        }
        int colon = h.indexOf(':');
        if (colon > 0) {
          headers.put(
              h.substring(0, colon).strip().toLowerCase(Locale.ROOT),
              h.substring(colon + 1).strip());
        }
      }
      return new Head(startLine, headers);
    }

    private static String line(InputStream in) throws IOException {
      StringBuilder b = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          throw new IOException("the connection closed inside the response headers");
        }
        if (b.length() > MAX_HEADER_BYTES) {
          throw new IOException("a header line longer than " + MAX_HEADER_BYTES + " bytes");
        }
        if (c != '\r') {
          b.append((char) c);
        }
      }
      return b.toString();
    }
  }
}
