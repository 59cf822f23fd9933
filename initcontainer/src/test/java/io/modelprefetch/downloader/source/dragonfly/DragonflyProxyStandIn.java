package io.modelprefetch.downloader.source.dragonfly;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for dfdaemon's HTTP proxy in loopback tests, NOT a peer-to-peer layer: it records each
 * request (absolute URI and headers) and forwards GETs to the origin with only their Range header,
 * answering as dfdaemon does (206, Content-Range, X-Dragonfly-Task-ID). {@link #failWith} makes it
 * answer every request with a Dragonfly error instead. The multi-node tests use the real dfdaemon.
 */
public final class DragonflyProxyStandIn implements AutoCloseable {
  /** One request as the proxy saw it; header names lower-cased. */
  public record Seen(String target, Map<String, String> headers) {}

  private final ServerSocket server;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private volatile String errorType;

  public DragonflyProxyStandIn() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::serve);
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  public List<Seen> seen() {
    return seen;
  }

  public void failWith(String type) {
    this.errorType = type;
  }

  private void serve() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread.ofVirtual().start(() -> handle(s));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void handle(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      DragonflyProxy.Head request = DragonflyProxy.Head.read(in);
      seen.add(new Seen(request.target(), request.headers()));
      OutputStream out = socket.getOutputStream();
      if (errorType != null) {
        out.write(
            ("HTTP/1.1 500 Internal Server Error\r\nX-Dragonfly-Error-Type: "
                    + errorType
                    + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        return;
      }
      HttpURLConnection c =
          (HttpURLConnection) URI.create(request.target()).toURL().openConnection();
      String range = request.headers().get("range");
      if (range != null) {
        c.setRequestProperty("Range", range);
      }
      int status = c.getResponseCode();
      StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " X\r\n");
      for (String name : List.of("Content-Range", "Content-Length", "ETag")) {
        if (c.getHeaderField(name) != null) {
          head.append(name).append(": ").append(c.getHeaderField(name)).append("\r\n");
        }
      }
      head.append("X-Dragonfly-Task-ID: standin-")
          .append(
              String.valueOf(request.headers().get("x-dragonfly-content-for-calculating-task-id"))
                  .toLowerCase(Locale.ROOT))
          .append("\r\nConnection: close\r\n\r\n");
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      try (InputStream body = status < 400 ? c.getInputStream() : c.getErrorStream()) {
        if (body != null) {
          body.transferTo(out);
        }
      }
    } catch (IOException e) {
      // the client went away; nothing to answer
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
