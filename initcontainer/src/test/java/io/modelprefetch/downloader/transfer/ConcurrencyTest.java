package io.modelprefetch.downloader.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The adaptive controller's rules against a fake clock and a link model: throughput is the least of
 * (requests in flight x what one request moves) and the link's cap; every request takes a round
 * trip plus its bytes at the per-connection rate.
 */
class ConcurrencyTest {
  private static final double MB = 1e6;
  private static final long STEP_NANOS = 10_000_000L;

  /** A link: per-connection cap, round trip, aggregate cap, bytes per request. */
  private record Link(
      double perConnection, double rttSeconds, double aggregate, long requestBytes) {
    double throughput(int inFlight) {
      double oneRequest = requestBytes / (rttSeconds + requestBytes / perConnection);
      return Math.min(aggregate, inFlight * oneRequest);
    }
  }

  private long now;

  private Concurrency controller(int min, int initial, int max) {
    return new Concurrency(min, initial, max, () -> now);
  }

  /** Runs {@code seconds} of the model, feeding the bytes it moves; returns the final limit. */
  private int run(Concurrency c, Link link, double seconds) {
    for (long t = 0; t < seconds * 1e9; t += STEP_NANOS) {
      now += STEP_NANOS;
      c.transferred((long) (link.throughput(c.limit()) * STEP_NANOS / 1e9));
    }
    return c.limit();
  }

  @Test
  void growsUntilTheFatLinkIsFullThenStops() {
    // 25 MB/s per connection, 20 ms, 300 MB/s: 13 big ranges fill it.
    Link fat = new Link(25 * MB, 0.020, 300 * MB, 4 << 20);
    int limit = run(controller(4, 8, 128), fat, 20);
    assertTrue(fat.throughput(limit) >= 0.95 * 300 * MB, "link full at " + limit);
    assertTrue(limit <= 32, "no pointless growth past the cap: " + limit);
  }

  @Test
  void growsFurtherOnAHighLatencyLinkWithATightPerConnectionCap() {
    // 8 MB/s per connection, 80 ms: about 40 ranges are needed for 300 MB/s.
    Link wan = new Link(8 * MB, 0.080, 300 * MB, 4 << 20);
    int limit = run(controller(4, 8, 128), wan, 30);
    assertTrue(fat(wan, limit), "link full at " + limit);
    assertTrue(limit <= 96, "stopped near the need: " + limit);
  }

  @Test
  void growsWithinSecondsWhenNoRangeCompletesForLonger() {
    // 32 MiB ranges at 8 MB/s take four seconds each: the limit follows the bytes, not completions.
    Link wan = new Link(8 * MB, 0.080, 300 * MB, 32 << 20);
    Concurrency c = controller(4, 8, 64);
    assertEquals(64, c.planned(), "ranges are cut for the most that may follow");
    int limit = run(c, wan, 2.5);
    assertTrue(limit >= 32, "grew to " + limit + " in 2.5 s");
    int later = run(c, wan, 10);
    assertTrue(fat(wan, later), "link full at " + later);
    assertEquals(later, c.planned(), "after the first plateau, ranges are cut for the limit");
  }

  @Test
  void bytesMovedWhileTheLimitSettlesDoNotCount() {
    Concurrency c = controller(4, 8, 64);
    run(c, new Link(25 * MB, 0.020, 1000 * MB, 4 << 20), Concurrency.WINDOW_NANOS / 1e9 + 0.01);
    assertEquals(16, c.limit(), "slow start doubled");
    // A burst right after the change (e.g. buffered bytes of the old requests) must not count
    // as the new limit's gain: the window that judges 16 starts after the settling time.
    c.transferred(1L << 40);
    now += Concurrency.SETTLE_NANOS + Concurrency.WINDOW_NANOS;
    c.transferred(1);
    assertEquals(8, c.limit(), "16 brought nothing once settled: back to 8");
  }

  @Test
  void anAdaptivePullStartsWithMoreRequestsInFlightWhenManySmallFilesWait() {
    assertEquals(16, Concurrency.adaptive(64, 0).limit(), "big files: 16 to start");
    assertEquals(16, Concurrency.adaptive(64, 30).limit(), "a few small files change nothing");
    assertEquals(50, Concurrency.adaptive(64, 200).limit(), "one per 4 small files waiting");
    assertEquals(64, Concurrency.adaptive(64, 500).limit(), "never past the maximum");
    assertEquals(8, Concurrency.adaptive(8, 500).limit(), "nor past a small maximum");
  }

  @Test
  void manySmallFilesAreLatencyBoundAndGetManyRequestsInFlight() {
    // 64 KiB files, 20 ms round trip: each request moves ~2.9 MB/s, so it takes ~100 to fill 300
    // MB/s.
    Link small = new Link(25 * MB, 0.020, 300 * MB, 64 << 10);
    int limit = run(controller(4, 8, 64), small, 20);
    assertEquals(64, limit, "as many small requests in flight as allowed");
  }

  @Test
  void staysSmallWhenMoreRequestsBringNothing() {
    // CPU-bound (or one slow origin): throughput does not depend on requests in flight.
    Link flat = new Link(1e12, 0, 100 * MB, 4 << 20);
    int limit = run(controller(4, 8, 128), flat, 20);
    assertTrue(limit <= 16, "went back after the step that did not pay: " + limit);
  }

  @Test
  void throttlingHalvesAndOtherErrorsTakeAQuarterOncePerWindow() {
    Concurrency c = controller(4, 64, 128);
    c.failed(true);
    assertEquals(32, c.limit());
    c.failed(false);
    assertEquals(32, c.limit(), "a second plain error in the same window does not cut again");
    c.failed(true);
    assertEquals(16, c.limit(), "throttling always halves");
    for (int i = 0; i < 10; i++) {
      c.failed(true);
    }
    assertEquals(4, c.limit(), "never below the minimum");
  }

  @Test
  void afterTroubleItHoldsThenProbesAgain() {
    Link fat = new Link(25 * MB, 0.020, 300 * MB, 4 << 20);
    Concurrency c = controller(4, 32, 128);
    c.failed(true);
    assertEquals(16, c.limit());
    run(c, fat, (Concurrency.PLATEAU_WINDOWS - 2) * Concurrency.WINDOW_NANOS / 1e9);
    assertEquals(16, c.limit(), "holds for a while after being told to slow down");
    int later = run(c, fat, 20);
    assertTrue(fat.throughput(later) >= 0.95 * 300 * MB, "probed back up to a full link: " + later);
  }

  @Test
  void aFixedLimitNeverMoves() {
    Concurrency c = controller(16, 16, 16);
    c.failed(true);
    assertEquals(16, run(c, new Link(25 * MB, 0.020, 300 * MB, 4 << 20), 10));
  }

  @Test
  void acquireBlocksAtTheLimit() throws Exception {
    Concurrency c = controller(1, 1, 1);
    c.acquire();
    Thread waiter =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    c.acquire();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    waiter.join(200);
    assertTrue(waiter.isAlive(), "a second request waits while one is in flight");
    c.release();
    waiter.join(5_000);
    assertTrue(!waiter.isAlive(), "released, it starts");
  }

  private static boolean fat(Link link, int limit) {
    return link.throughput(limit) >= 0.95 * link.aggregate();
  }
}
