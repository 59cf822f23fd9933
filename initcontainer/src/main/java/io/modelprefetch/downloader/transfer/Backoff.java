package io.modelprefetch.downloader.transfer;

import io.modelprefetch.downloader.source.Retry;
import java.time.Duration;

/**
 * Back-off for the transfers ({@link Retry#delay}), and a gate shared by all connections: when a
 * server says Retry-After (429, 503), every connection waits, not just the one that was told. The
 * gate only ever extends a wait: a refused request still waits its own full delay.
 */
final class Backoff {
  private final Duration max;
  private long notBeforeNanos = System.nanoTime();

  Backoff(Duration max) {
    this.max = max;
  }

  /** Delay before attempt {@code failures + 1}. */
  Duration delay(int failures, Duration retryAfter) {
    return Retry.delay(failures, retryAfter, max);
  }

  /** Everyone waits at least until {@code notBeforeNanos} ({@link System#nanoTime()}). */
  synchronized void pauseAllUntil(long notBeforeNanos) {
    this.notBeforeNanos = Math.max(this.notBeforeNanos, notBeforeNanos);
  }

  /** Blocks until {@code ownNotBeforeNanos} has passed and the gate is open. */
  void awaitUntil(long ownNotBeforeNanos) throws InterruptedException {
    Retry.sleepUntil(ownNotBeforeNanos);
    awaitOpen();
  }

  /** Blocks while the gate is closed. */
  void awaitOpen() throws InterruptedException {
    long gate;
    synchronized (this) {
      gate = notBeforeNanos;
    }
    Retry.sleepUntil(gate);
  }
}
