package io.modelprefetch.downloader.source;

import java.io.IOException;
import java.time.Duration;

/**
 * A source answered with an error. Retryable ones (429, 5xx, truncated bodies) are retried with
 * back-off, honouring {@link #retryAfter()}; others fail the pull with this message.
 */
public class SourceException extends IOException {
  private final boolean retryable;
  private final Duration retryAfter;
  private final int status;

  private SourceException(String message, boolean retryable, Duration retryAfter, int status) {
    super(message);
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

  /** The HTTP status, or 0 when there was none. */
  public int status() {
    return status;
  }
}
