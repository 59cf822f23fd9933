package io.modelprefetch.downloader.transfer;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with jitter, and a gate shared by all connections: when a server says
 * Retry-After (429, 503), every connection waits, not just the one that was told.
 */
final class Backoff {
  private static final long BASE_MILLIS = 250;
  private final Duration max;
  private long notBeforeNanos = System.nanoTime();

  Backoff(Duration max) {
    this.max = max;
  }

  /** Delay before attempt {@code failures + 1}: 250 ms doubling, capped, with ±50 % jitter. */
  Duration delay(int failures, Duration retryAfter) {
    if (retryAfter != null) {
      return retryAfter.compareTo(Duration.ofMinutes(5)) > 0 ? Duration.ofMinutes(5) : retryAfter;
    }
    long exp = BASE_MILLIS << Math.min(failures - 1, 16);
    long capped = Math.min(exp, max.toMillis());
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }

  /** Everyone waits at least until now + {@code retryAfter}. */
  synchronized void pauseAll(Duration retryAfter) {
    notBeforeNanos = Math.max(notBeforeNanos, System.nanoTime() + retryAfter.toNanos());
  }

  /** Blocks while the gate is closed. */
  void awaitOpen() throws InterruptedException {
    long wait;
    synchronized (this) {
      wait = notBeforeNanos - System.nanoTime();
    }
    if (wait > 0) {
      Thread.sleep(Duration.ofNanos(wait));
    }
  }
}
