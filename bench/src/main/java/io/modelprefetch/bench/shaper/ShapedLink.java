package io.modelprefetch.bench.shaper;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@link LinkShape}: proxies created here share the aggregate cap, as hosts behind one uplink
 * do.
 */
public final class ShapedLink implements AutoCloseable {
  private final LinkShape shape;
  private final Pacer aggregate;
  private final List<ShapingProxy> proxies = new ArrayList<>();

  public ShapedLink(LinkShape shape) {
    this.shape = shape;
    this.aggregate = new Pacer(shape.aggregateBytesPerSecond());
  }

  public LinkShape shape() {
    return shape;
  }

  /**
   * A new proxy listening on {@code host}; call {@link ShapingProxy#forwardTo} once its origin is
   * up.
   */
  public synchronized ShapingProxy proxy(String host) {
    ShapingProxy proxy = new ShapingProxy(host, shape, aggregate);
    proxies.add(proxy);
    return proxy;
  }

  public synchronized void resetFirstAccept() {
    proxies.forEach(ShapingProxy::resetFirstAccept);
  }

  /** Earliest first connection over all proxies since the last reset, or 0. */
  public synchronized long firstAcceptNanos() {
    return proxies.stream()
        .mapToLong(ShapingProxy::firstAcceptNanos)
        .filter(t -> t != 0)
        .min()
        .orElse(0);
  }

  /** TCP connections accepted by all proxies so far. */
  public synchronized long connectionsAccepted() {
    return proxies.stream().mapToLong(ShapingProxy::connectionsAccepted).sum();
  }

  @Override
  public synchronized void close() {
    proxies.forEach(ShapingProxy::close);
  }
}
