package io.modelprefetch.downloader.transfer;

import java.time.Duration;

/**
 * How a pull uses the network and the disk.
 *
 * @param connections the global connection budget, over all files: the most in flight when {@code
 *     adaptive}, else exactly this many
 * @param adaptive whether the number of requests in flight follows measured throughput ({@link
 *     Concurrency})
 * @param minChunk the smallest range a big file is split into
 * @param maxChunk the largest range; ranges shrink toward minChunk as the end nears, so every
 *     connection stays busy until the last byte
 * @param maxAttempts consecutive failed attempts of one range (without any byte received) before
 *     the pull gives up
 * @param checkpointBytes how often a worker journals the progress of a long range
 */
public record TransferSettings(
    int connections,
    long minChunk,
    long maxChunk,
    int maxAttempts,
    long checkpointBytes,
    Duration maxBackoff,
    boolean adaptive) {

  public static final int BUFFER_BYTES = 256 * 1024;

  /**
   * The most requests in flight the adaptive default may reach (s5cmd's default workers; memory:
   * one buffer each).
   */
  public static final int ADAPTIVE_MAX = 64;

  /** Fixed concurrency (tests, explicit --connections). */
  public TransferSettings(
      int connections,
      long minChunk,
      long maxChunk,
      int maxAttempts,
      long checkpointBytes,
      Duration maxBackoff) {
    this(connections, minChunk, maxChunk, maxAttempts, checkpointBytes, maxBackoff, false);
  }

  public static TransferSettings defaults() {
    return new TransferSettings(
        ADAPTIVE_MAX, 2L << 20, 32L << 20, 8, 4L << 20, Duration.ofSeconds(30), true);
  }
}
