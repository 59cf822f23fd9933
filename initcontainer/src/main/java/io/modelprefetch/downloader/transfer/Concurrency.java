package io.modelprefetch.downloader.transfer;

import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many requests may be in flight, adjusted from measured throughput: additive-increase /
 * multiplicative-decrease driven by goodput, like a congestion window over whole requests.
 *
 * <p>Rules, evaluated once per window of {@link #WINDOW_NANOS}, measured from {@link #SETTLE_NANOS}
 * after the limit last moved (the requests it added, or the ones it stopped, have had a few round
 * trips to get going, or to wind down). A window counts bytes, not completed requests: a range of
 * 32 MiB over a connection capped at 8 MB/s completes after four seconds, and a pull that waited
 * for completions would spend most of its time at the first limit.
 *
 * <ol>
 *   <li><b>Grow</b> while throughput grows: when the last window's bytes/s beat the best seen at
 *       the previous limit by {@link #GAIN} (5 %), the limit grows, up to {@code max}: it doubles
 *       until the first plateau or trouble (slow start), afterwards it grows by half (at least 2).
 *   <li><b>Hold</b> at a plateau: when a grown limit brought less than {@link #GAIN}, the limit
 *       returns to the one that reached that throughput and growing pauses for {@link
 *       #PLATEAU_WINDOWS} windows before it probes again (the link, or another tenant, may have
 *       freed up).
 *   <li><b>Back off</b> on trouble: a throttling answer (429, 503, Retry-After) halves the limit;
 *       other errors and stalls take a quarter off, at most once per window; never below {@code
 *       min}.
 * </ol>
 *
 * A fixed limit ({@code min == max}) never moves. Thread-safe.
 */
final class Concurrency {
  private static final Logger LOG = LoggerFactory.getLogger(Concurrency.class);
  static final long WINDOW_NANOS = 400_000_000L;
  static final long SETTLE_NANOS = 200_000_000L;
  static final double GAIN = 0.05;
  static final int PLATEAU_WINDOWS = 8;

  /** Requests in flight at the start of an adaptive pull. */
  static final int INITIAL = 16;

  /** Small files waiting per request in flight at the start (a pull of 500: 64 in flight). */
  static final int SMALL_FILES_PER_REQUEST = 4;

  private final LongSupplier clock;
  private final int min;
  private final int max;
  private int limit;
  private int active;
  private long windowStart;
  private long windowBytes;

  /** Throughput at {@link #previousLimit} before the last growth step; 0 when not probing. */
  private double baseline;

  private int previousLimit;
  private int holdWindows;
  private boolean troubleThisWindow;
  private boolean slowStart = true;

  Concurrency(int min, int initial, int max, LongSupplier clock) {
    if (min < 1 || min > initial || initial > max) {
      throw new IllegalArgumentException(
          "need 1 <= min <= initial <= max, got " + min + ", " + initial + ", " + max);
    }
    this.min = min;
    this.max = max;
    this.limit = initial;
    this.clock = clock;
    this.windowStart = clock.getAsLong();
  }

  /** A fixed number of requests in flight. */
  static Concurrency fixed(int n) {
    return new Concurrency(n, n, n, System::nanoTime);
  }

  /**
   * Finds the link's best between 4 and {@code max}, starting at 16 requests in flight, or more
   * when many small whole files wait ({@code smallFiles}): each of those is a round trip for a few
   * bytes, so requests in flight, not bytes, set their pace, and a pull of a few seconds cannot
   * wait for windows of growth.
   */
  static Concurrency adaptive(int max, int smallFiles) {
    int initial = Math.min(max, Math.max(INITIAL, smallFiles / SMALL_FILES_PER_REQUEST));
    return new Concurrency(Math.min(4, max), initial, max, System::nanoTime);
  }

  int max() {
    return max;
  }

  synchronized int limit() {
    return limit;
  }

  /**
   * The requests in flight that ranges are cut for: the maximum while the limit is still growing
   * from its start (ranges cut for the first 16 would be too long for the 64 that may follow: the
   * last of them would run on alone at the end), afterwards the limit.
   */
  synchronized int planned() {
    return slowStart ? max : limit;
  }

  /** Blocks until a request may start. */
  synchronized void acquire() throws InterruptedException {
    while (active >= limit) {
      wait();
    }
    active++;
  }

  /** A request ended (successfully or not). */
  synchronized void release() {
    active--;
    notify(); // one slot freed: one waiter (all wait for the same thing)
  }

  /** {@code n} bytes arrived. */
  synchronized void transferred(long n) {
    windowBytes += n;
    decide();
  }

  /**
   * A request failed; {@code throttled} when the server asked us to slow down (429, 503,
   * Retry-After).
   */
  synchronized void failed(boolean throttled) {
    if (min == max) {
      return;
    }
    if (!troubleThisWindow || throttled) {
      limit = Math.max(min, throttled ? limit / 2 : limit - Math.max(1, limit / 4));
      troubleThisWindow = true;
      settle(clock.getAsLong());
    }
    baseline = 0;
    holdWindows = PLATEAU_WINDOWS;
    slowStart = false;
  }

  private void decide() {
    if (min == max) {
      return;
    }
    long now = clock.getAsLong();
    if (now < windowStart) {
      windowBytes = 0; // settling after a change: these bytes do not count
      return;
    }
    long elapsed = now - windowStart;
    if (elapsed < WINDOW_NANOS) {
      return;
    }
    double rate = windowBytes * 1e9 / elapsed;
    LOG.debug("window: {} requests in flight moved {} MB/s", limit, Math.round(rate / 1e6));
    int before = limit;
    windowStart = now;
    windowBytes = 0;
    decideAt(rate);
    if (limit != before) {
      LOG.debug("requests in flight {} -> {}", before, limit);
      settle(now);
    }
  }

  /** The limit moved: the next window starts once the connections had time to follow. */
  private void settle(long now) {
    windowStart = now + SETTLE_NANOS;
    windowBytes = 0;
  }

  private void decideAt(double rate) {
    boolean trouble = troubleThisWindow;
    troubleThisWindow = false;
    if (trouble) {
      return;
    }
    if (baseline > 0 && rate < baseline * (1 + GAIN)) {
      limit = previousLimit; // the last step did not pay: go back and rest
      baseline = 0;
      holdWindows = PLATEAU_WINDOWS;
      slowStart = false;
      return;
    }
    if (holdWindows > 0) {
      holdWindows--;
      return;
    }
    if (limit < max) {
      baseline = rate;
      previousLimit = limit;
      limit = Math.min(max, slowStart ? limit * 2 : limit + Math.max(2, limit / 2));
      notifyAll();
    } else {
      baseline = 0;
    }
  }
}
