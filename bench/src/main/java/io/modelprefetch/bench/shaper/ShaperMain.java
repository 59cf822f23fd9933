package io.modelprefetch.bench.shaper;

import java.net.URI;
import java.time.Duration;

/**
 * The bench's shaping proxy on its own, in front of any loopback origin (bench/oci.sh puts it in
 * front of a registry): {@code ShaperMain <origin-uri> <per-connection MB/s> <rtt ms> <aggregate
 * MB/s>}. Prints the proxy's URI on stdout, then forwards until killed.
 */
public final class ShaperMain {
  private ShaperMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 4) {
      System.err.println(
          "usage: ShaperMain <origin-uri> <per-connection MB/s> <rtt ms> <aggregate MB/s>");
      System.exit(2);
    }
    LinkShape shape =
        new LinkShape(
            Long.parseLong(args[1]) * 1_000_000,
            Duration.ofMillis(Long.parseLong(args[2])),
            Long.parseLong(args[3]) * 1_000_000);
    ShapingProxy proxy = new ShapingProxy("127.0.0.1", shape).forwardTo(URI.create(args[0]));
    System.out.println(proxy.uri());
    System.out.flush();
    Thread.currentThread().join();
  }
}
