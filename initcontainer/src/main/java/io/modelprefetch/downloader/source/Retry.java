package io.modelprefetch.downloader.source;

import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import io.modelprefetch.downloader.Printable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries one request (a listing page, a revision lookup) on its own, so a 429 or 5xx on page 12
 * costs one more request, not the eleven pages already read. Each refused request waits its own
 * full Retry-After, counted from when its refusal arrived; without one, exponential back-off with
 * jitter. Bounded: after {@code retries} retries the pull fails as a source error.
 *
 * @param retries retries after the first attempt (the pull's {@code --retries})
 * @param maxBackoff the longest back-off when the server gives no Retry-After
 */
public record Retry(int retries, Duration maxBackoff) {
  private static final Logger LOG = LoggerFactory.getLogger(Retry.class);
  private static final long BASE_MILLIS = 250;

  /**
   * The longest Retry-After waited for. A refused request never goes out early: a server asking for
   * more ends the pull ({@link #refuseLongerThanBound}) instead.
   */
  public static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

  /** One request; a retryable {@link SourceException} or other IOException means try again. */
  @FunctionalInterface
  public interface Request<T> {
    T send() throws IOException, DownloadException, InterruptedException;
  }

  /** Sends {@code request}, retrying it alone; {@code what} names it in log lines and the error. */
  public <T> T send(String what, Request<T> request)
      throws DownloadException, InterruptedException {
    for (int failures = 1; ; failures++) {
      IOException last;
      long refusedAt = System.nanoTime();
      Duration retryAfter = null;
      try {
        return request.send();
      } catch (SourceException e) {
        if (!e.retryable()) {
          throw new DownloadException(Failure.SOURCE, e.getMessage(), e);
        }
        last = e;
        retryAfter = e.retryAfter();
        refusedAt = e.receivedAtNanos();
      } catch (IOException e) {
        last = e;
      }
      if (failures > retries) {
        throw new DownloadException(
            Failure.SOURCE,
            "gave up on "
                + what
                + " after "
                + failures
                + " attempts (--retries "
                + retries
                + "); last error: "
                + last.getMessage(),
            last);
      }
      refuseLongerThanBound(retryAfter, Failure.SOURCE, what);
      Duration delay = delay(failures, retryAfter, maxBackoff);
      LOG.warn(
          "{} failed ({}); retrying it in {} ms (attempt {}/{})",
          what,
          Printable.escape(last.getMessage()),
          delay.toMillis(),
          failures + 1,
          retries + 1);
      sleepUntil(refusedAt + delay.toNanos());
    }
  }

  /**
   * Ends the pull as {@code failure} when the server asked {@code what} to wait longer than {@link
   * #MAX_RETRY_AFTER}: waiting less would go early, waiting that long would stall the pod.
   */
  public static void refuseLongerThanBound(Duration retryAfter, Failure failure, String what)
      throws DownloadException {
    if (retryAfter != null && retryAfter.compareTo(MAX_RETRY_AFTER) > 0) {
      throw new DownloadException(
          failure,
          "the server asked to retry "
              + Printable.escape(what)
              + " after "
              + retryAfter.toSeconds()
              + " s (Retry-After), longer than the "
              + MAX_RETRY_AFTER.toMinutes()
              + " minutes this downloader waits; pull again later");
    }
  }

  /**
   * The wait before attempt {@code failures + 1}: the server's full Retry-After when it gave one,
   * else 250 ms doubling up to {@code max}, with ±50 % jitter.
   */
  public static Duration delay(int failures, Duration retryAfter, Duration max) {
    if (retryAfter != null) {
      return retryAfter;
    }
    long exp = BASE_MILLIS << Math.min(failures - 1, 16);
    long capped = Math.min(exp, max.toMillis());
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }

  /** Sleeps until {@link System#nanoTime()} reaches {@code deadline}. */
  public static void sleepUntil(long deadlineNanos) throws InterruptedException {
    for (long left = deadlineNanos - System.nanoTime();
        left > 0;
        left = deadlineNanos - System.nanoTime()) {
      Thread.sleep(Duration.ofNanos(left));
    }
  }
}
