package io.modelprefetch.e2e.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Forwards TCP connections from an address containers reach to a loopback server of this JVM
 * (kube-api-test's API server listens on 127.0.0.1 only). Bytes pass through unchanged (TLS
 * included).
 */
final class TcpRelay implements AutoCloseable {
  private final ServerSocket server;

  TcpRelay(String bindAddress, int targetPort) {
    try {
      server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread.ofVirtual()
        .name("relay-accept")
        .start(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket in = server.accept();
                  Socket out = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                  Thread.ofVirtual().start(() -> pump(in, out));
                  Thread.ofVirtual().start(() -> pump(out, in));
                } catch (IOException e) {
                  // closed, or the target refused: the client sees its connection end.
                }
              }
            });
  }

  int port() {
    return server.getLocalPort();
  }

  private static void pump(Socket from, Socket to) {
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // one side closed
    } finally {
      try {
        from.close();
        to.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
