package io.modelprefetch.downloader.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryTest {
  private final Retry retry = new Retry(3, Duration.ofMillis(10));

  @Test
  void aRetryAfterWithinTheBoundIsWaitedInFull() {
    assertThat(Retry.delay(1, Duration.ofSeconds(7), Duration.ofMillis(10)))
        .isEqualTo(Duration.ofSeconds(7));
    assertThat(Retry.delay(1, Retry.MAX_RETRY_AFTER, Duration.ofMillis(10)))
        .isEqualTo(Retry.MAX_RETRY_AFTER);
  }

  @Test
  void aRetryAfterBeyondTheBoundEndsAListingRequestWithExit3NamingTheDelay() {
    AtomicInteger sent = new AtomicInteger();
    assertThatThrownBy(
            () ->
                retry.send(
                    "tree page 2",
                    () -> {
                      sent.incrementAndGet();
                      throw SourceException.retryable(
                          "429 Too Many Requests", Duration.ofSeconds(301), 429);
                    }))
        .isInstanceOfSatisfying(
            DownloadException.class, e -> assertThat(e.failure()).isEqualTo(Failure.SOURCE))
        .hasMessageContaining(
            "retry tree page 2 after 301 s (Retry-After), longer than the 5 minutes");
    assertThat(sent).as("not sent again early").hasValue(1);
  }

  @Test
  void aRetryAfterBeyondTheBoundEndsATransferWithExit4() {
    assertThatThrownBy(
            () -> Retry.refuseLongerThanBound(Duration.ofHours(1), Failure.TRANSFER, "model.bin"))
        .isInstanceOfSatisfying(
            DownloadException.class, e -> assertThat(e.failure().exitCode()).isEqualTo(4))
        .hasMessageContaining("retry model.bin after 3600 s");
  }

  @Test
  void aRetryAfterWithinTheBoundIsRetriedAfterItsDelay() throws Exception {
    AtomicInteger sent = new AtomicInteger();
    long start = System.nanoTime();
    String answer =
        retry.send(
            "page",
            () -> {
              if (sent.incrementAndGet() == 1) {
                throw SourceException.retryable("503", Duration.ofSeconds(1), 503);
              }
              return "ok";
            });
    assertThat(answer).isEqualTo("ok");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
  }
}
