package io.modelprefetch.bench.shaper;

import java.util.concurrent.locks.LockSupport;

/**
 * A token bucket kept as a virtual clock: each send reserves {@code bytes / rate} of link time and
 * waits until its slot, allowing a small burst so pacing does not hinge on timer precision.
 */
final class Pacer {
  private static final long BURST_NANOS = 2_000_000L;
  private final double nanosPerByte;
  private long next;

  Pacer(long bytesPerSecond) {
    this.nanosPerByte = bytesPerSecond == 0 ? 0 : 1e9 / bytesPerSecond;
    this.next = System.nanoTime();
  }

  /** Blocks until {@code bytes} may go out under this rate. */
  void acquire(int bytes) {
    if (nanosPerByte == 0) {
      return;
    }
    sleepUntil(reserve(bytes) - BURST_NANOS);
  }

  private synchronized long reserve(int bytes) {
    long start = Math.max(next, System.nanoTime() - BURST_NANOS);
    next = start + (long) (bytes * nanosPerByte);
    return next;
  }

  static void sleepUntil(long deadlineNanos) {
    for (long wait; (wait = deadlineNanos - System.nanoTime()) > 0; ) {
      LockSupport.parkNanos(wait);
    }
  }
}
