package io.modelprefetch.downloader.source.dragonfly;

import io.modelprefetch.downloader.source.Body;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Chooses, per range, between the node's Dragonfly client and the origin, and counts the bytes each
 * delivered. The first Dragonfly failure is logged once and sends this pull, from that range on, to
 * the origin directly: the range that failed is re-opened there at once, so a broken or absent
 * dfdaemon costs one log line, never the pull. Files are verified against their digests either way,
 * so nothing Dragonfly serves reaches its final name unchecked.
 */
public final class DragonflyRoute {
  /** Opens a range straight at the origin. */
  @FunctionalInterface
  public interface Direct {
    Body open() throws IOException;
  }

  /**
   * Where a pull's bytes came from: other nodes (or this node's Dragonfly cache) vs the origin
   * (directly or through dfdaemon's back-to-source); null parts when dfdaemon's counters are
   * unreadable.
   */
  public record Split(Long fromPeers, Long fromOrigin) {}

  private final DragonflyProxy proxy;
  private final DragonflyTraffic traffic;
  private final DragonflyTraffic.Counters baseline;
  private final PrintStream log;
  private final AtomicBoolean fellBack = new AtomicBoolean();
  private final LongAdder viaDragonfly = new LongAdder();
  private final LongAdder direct = new LongAdder();

  /**
   * @param proxy the node's dfdaemon proxy, or null for no Dragonfly
   * @param traffic dfdaemon's metrics endpoint, or null when not readable
   */
  public DragonflyRoute(DragonflyProxy proxy, DragonflyTraffic traffic, PrintStream log) {
    this.proxy = proxy;
    this.traffic = traffic;
    this.baseline = traffic == null ? null : traffic.read();
    this.log = log;
  }

  /** A route that always goes to the origin. */
  public static DragonflyRoute none() {
    return new DragonflyRoute(null, null, System.err);
  }

  /** Where this pull's bytes came from so far; null when Dragonfly is not configured. */
  public Split split() {
    if (proxy == null) {
      return null;
    }
    DragonflyTraffic.Counters now = traffic == null || baseline == null ? null : traffic.read();
    if (now == null) {
      return viaDragonfly.sum() == 0 ? new Split(0L, direct.sum()) : new Split(null, null);
    }
    return split(viaDragonfly.sum(), direct.sum(), now.minus(baseline));
  }

  /**
   * Of the bytes received through dfdaemon, those its node fetched from the origin meanwhile
   * (back-to-source) count as origin bytes and the rest as peer bytes (other nodes, or this node's
   * cache). dfdaemon's REMOTE_PEER and LOCAL_PEER counters are not added up: a piece its prefetch
   * fetched from a peer is counted again as LOCAL_PEER when the proxy serves it from the node's
   * cache. Exact when the node runs one pull at a time; with overlapping pulls the origin share is
   * an upper bound.
   */
  static Split split(long viaDragonfly, long direct, DragonflyTraffic.Counters delta) {
    long origin = Math.clamp(delta.backToSource(), 0, viaDragonfly);
    return new Split(viaDragonfly - origin, direct + origin);
  }

  /** Whether ranges may go through Dragonfly (configured and not fallen back). */
  public boolean active() {
    return proxy != null && !fellBack.get();
  }

  /**
   * Opens {@code [from, to)} through Dragonfly when active, else (or on its failure) through {@code
   * direct}. {@code origin} must carry no credentials other than a signed URL's own query.
   */
  public Body open(URI origin, String contentId, long from, long to, Direct directOpen)
      throws IOException {
    if (active() && to > from) {
      try {
        return counted(proxy.open(origin, contentId, from, to), viaDragonfly);
      } catch (DragonflyException e) {
        if (fellBack.compareAndSet(false, true)) {
          log.println(
              "dragonfly: "
                  + DragonflyProxy.printable(e.getMessage())
                  + "; downloading from the origin directly for the rest of this pull");
        }
      }
    }
    return counted(directOpen.open(), direct);
  }

  /** Counts every range, including those of sources that never use Dragonfly. */
  public Body direct(Direct directOpen) throws IOException {
    return counted(directOpen.open(), direct);
  }

  /** Bytes received through the Dragonfly client so far. */
  public long bytesViaDragonfly() {
    return viaDragonfly.sum();
  }

  /** Bytes received from the origin directly so far. */
  public long bytesDirect() {
    return direct.sum();
  }

  public boolean fellBack() {
    return fellBack.get();
  }

  private static Body counted(Body body, LongAdder counter) {
    InputStream in =
        new FilterInputStream(body.stream()) {
          @Override
          public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
              counter.increment();
            }
            return b;
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
              counter.add(n);
            }
            return n;
          }
        };
    return new Body(in, body.learned(), body.closer());
  }
}
