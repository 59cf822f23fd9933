package io.modelprefetch.downloader.source;

import io.modelprefetch.downloader.Printable;
import java.io.IOException;
import java.time.Duration;

/**
 * A source answered with an error. Retryable ones (429, 5xx, truncated bodies) are retried with
 * back-off, honouring {@link #retryAfter()}; others fail the pull with this message (escaped: it
 * quotes what the server said).
 */
public class SourceException extends IOException {
  private final boolean retryable;
  private final Duration retryAfter;
  private final int status;
  private final long receivedAtNanos;

  private SourceException(String message, boolean retryable, Duration retryAfter, int status) {
    super(Printable.escape(message));
    this.receivedAtNanos = System.nanoTime();
    this.retryable = retryable;
    this.retryAfter = retryAfter;
    this.status = status;
  }

  public static SourceException retryable(String message, Duration retryAfter, int status) {
    return new SourceException(message, true, retryAfter, status);
  }

  public static SourceException fatal(String message, int status) {
    return new SourceException(message, false, null, status);
  }

  /**
   * A ranged GET answered 200 with the whole file: the server ignores Range, so the file can only
   * come as one whole-file stream.
   */
  public static SourceException rangeIgnored(String message) {
    return new RangeIgnored(message);
  }

  /** Whether this is {@link #rangeIgnored}. */
  public boolean rangeIgnored() {
    return this instanceof RangeIgnored;
  }

  private static final class RangeIgnored extends SourceException {
    RangeIgnored(String message) {
      super(message, false, null, 200);
    }
  }

  /** Whether an HTTP status is worth another try. */
  public static boolean retryableStatus(int status) {
    return status == 408 || status == 429 || status >= 500;
  }

  public boolean retryable() {
    return retryable;
  }

  /** What the server asked us to wait, or null. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /**
   * When the refusal arrived ({@link System#nanoTime()}): its Retry-After counts from here, so each
   * refused request waits its own full delay however long the answer took to be handled.
   */
  public long receivedAtNanos() {
    return receivedAtNanos;
  }

  /** The HTTP status, or 0 when there was none. */
  public int status() {
    return status;
  }
}
