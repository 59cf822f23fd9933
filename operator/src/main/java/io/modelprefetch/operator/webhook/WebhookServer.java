package io.modelprefetch.operator.webhook;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * The HTTPS endpoint the API server calls: {@code POST /mutate-pods} and {@code GET /healthz}. One
 * virtual thread per request; TLS from {@link TlsBundle}.
 */
public final class WebhookServer implements AutoCloseable {
  public static final String PATH = "/mutate-pods";
  private final HttpsServer server;
  private final ExecutorService executor;
  private final AdmissionReviewHandler handler;

  /**
   * Binds (port 0: any free port) and starts serving.
   *
   * @param bindAddress e.g. 0.0.0.0 in a pod, 127.0.0.1 in tests
   */
  public WebhookServer(String bindAddress, int port, SSLContext tls, AdmissionReviewHandler handler)
      throws IOException {
    this.handler = handler;
    this.server = HttpsServer.create(new InetSocketAddress(bindAddress, port), 128);
    this.server.setHttpsConfigurator(new HttpsConfigurator(tls));
    this.server.createContext(PATH, handler);
    this.server.createContext(
        "/healthz",
        exchange -> {
          try (exchange) {
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
          }
        });
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    this.server.setExecutor(executor);
    this.server.start();
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  /** AdmissionReview requests received. */
  public long requests() {
    return handler.requests();
  }

  /** Stops accepting, gives in-flight reviews a second to finish. */
  @Override
  public void close() {
    server.stop(1);
    executor.close();
  }
}
