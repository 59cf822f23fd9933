package io.modelprefetch.bench.shaper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback that makes a local origin behave like a distant one (see {@link
 * LinkShape}): one virtual thread per direction reads, another forwards through the pacers. It
 * binds at construction, so its address can be handed out before the origin behind it exists.
 */
public final class ShapingProxy implements AutoCloseable {
  private final ServerSocketChannel server;
  private final String host;
  private final LinkShape shape;
  private final Pacer shared;
  private final BufferPool pool = new BufferPool();
  private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong firstAcceptNanos = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();
  private volatile InetSocketAddress target;
  private volatile boolean closed;

  /**
   * Listens on {@code host} (a loopback name or address; also the host of {@link #uri()}),
   * ephemeral port.
   */
  ShapingProxy(String host, LinkShape shape, Pacer shared) {
    this.host = host;
    this.shape = shape;
    this.shared = shared;
    try {
      this.server = ServerSocketChannel.open().bind(new InetSocketAddress(host, 0), 1024);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A proxy with its own aggregate cap (use {@link ShapedLink} to share one cap between proxies).
   */
  public ShapingProxy(String host, LinkShape shape) {
    this(host, shape, new Pacer(shape.aggregateBytesPerSecond()));
  }

  public URI uri() {
    return URI.create("http://" + host + ":" + server.socket().getLocalPort());
  }

  /** Starts forwarding accepted connections to {@code origin} (host:port of its URI). */
  public ShapingProxy forwardTo(URI origin) {
    this.target = new InetSocketAddress(origin.getHost(), origin.getPort());
    Thread.ofVirtual().name("shaper-accept-" + uri().getPort()).start(this::acceptLoop);
    return this;
  }

  /** Forgets the first connection seen, so {@link #firstAcceptNanos()} times the next client. */
  public void resetFirstAccept() {
    firstAcceptNanos.set(0);
  }

  /** {@link System#nanoTime()} of the first connection since {@link #resetFirstAccept()}, or 0. */
  public long firstAcceptNanos() {
    return firstAcceptNanos.get();
  }

  public long connectionsAccepted() {
    return connections.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        SocketChannel client = server.accept();
        firstAcceptNanos.compareAndSet(0, System.nanoTime());
        connections.incrementAndGet();
        Thread.ofVirtual().name("shaper-conn").start(() -> relay(client));
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void relay(SocketChannel client) {
    try (client;
        SocketChannel origin = SocketChannel.open(target)) {
      open.add(client);
      client.setOption(StandardSocketOptions.TCP_NODELAY, true);
      origin.setOption(StandardSocketOptions.TCP_NODELAY, true);
      Pacer perConnection = new Pacer(shape.perConnectionBytesPerSecond());
      Pipe up = new Pipe(client, origin, shape.oneWayDelayNanos(), perConnection, shared, pool);
      Pipe down = new Pipe(origin, client, shape.oneWayDelayNanos(), perConnection, shared, pool);
      Thread[] threads = {
        run(up::read, client, origin), run(up::write, client, origin),
        run(down::read, client, origin), run(down::write, client, origin)
      };
      for (Thread t : threads) {
        t.join();
      }
    } catch (IOException e) {
      // origin refused or went away: the client sees its connection close, like a real one would
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      open.remove(client);
    }
  }

  private interface Step {
    void run() throws IOException, InterruptedException;
  }

  /** Runs one half of a relay; a broken half closes both sockets so the other halves end too. */
  private static Thread run(Step step, SocketChannel a, SocketChannel b) {
    return Thread.ofVirtual()
        .start(
            () -> {
              try {
                step.run();
              } catch (IOException | InterruptedException e) {
                closeQuietly(a);
                closeQuietly(b);
              }
            });
  }

  private static void closeQuietly(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // closing to unblock the other direction; nothing else to do
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      open.forEach(ShapingProxy::closeQuietly);
    }
  }
}
