package io.modelprefetch.downloader.source.dragonfly;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads dfdaemon's download traffic counters ({@code dragonfly_client_download_traffic{type=…}} on
 * its Prometheus endpoint): bytes its pieces came with from remote peers, from its own cache (local
 * peer) and from the origin (back-to-source). The proxy's answers do not say where their pieces
 * came from, so a pull compares these node-wide counters before and after: exact when the node runs
 * one pull at a time, an upper bound of each when pulls overlap.
 */
public final class DragonflyTraffic {
  /** Bytes by where dfdaemon got them. */
  public record Counters(long remotePeer, long localPeer, long backToSource) {
    Counters minus(Counters o) {
      return new Counters(
          remotePeer - o.remotePeer, localPeer - o.localPeer, backToSource - o.backToSource);
    }
  }

  private static final Pattern LINE =
      Pattern.compile(
          "^dragonfly_client_download_traffic(?:_total)?\\{[^}]*type=\"([A-Z_]+)\"[^}]*}\\s+([0-9.eE+]+)\\s*$");
  private static final int TIMEOUT_MILLIS = 2_000;
  private final URI metrics;

  public DragonflyTraffic(URI metrics) {
    this.metrics = metrics;
  }

  public URI address() {
    return metrics;
  }

  /** The counters now, or null when the endpoint cannot be read. */
  public Counters read() {
    try {
      HttpURLConnection c = (HttpURLConnection) metrics.toURL().openConnection();
      c.setConnectTimeout(TIMEOUT_MILLIS);
      c.setReadTimeout(TIMEOUT_MILLIS);
      if (c.getResponseCode() != 200) {
        c.disconnect();
        return null;
      }
      try (InputStream in = c.getInputStream()) {
        return parse(new String(in.readNBytes(4 << 20), StandardCharsets.UTF_8));
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static Counters parse(String exposition) {
    Map<String, Long> byType = new HashMap<>();
    for (String line : exposition.split("\n")) {
      Matcher m = LINE.matcher(line.strip());
      if (m.matches()) {
        byType.merge(m.group(1), (long) Double.parseDouble(m.group(2)), Long::sum);
      }
    }
    return new Counters(
        byType.getOrDefault("REMOTE_PEER", 0L),
        byType.getOrDefault("LOCAL_PEER", 0L),
        byType.getOrDefault("BACK_TO_SOURCE", 0L));
  }

  /** dfdaemon's default metrics endpoint next to its proxy: same host, port 4002. */
  public static URI besideProxy(URI proxy) {
    return URI.create("http://" + proxy.getHost() + ":4002/metrics");
  }
}
