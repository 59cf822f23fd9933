package io.modelprefetch.downloader.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;

/** {@code Retry-After} as servers send it: no value, or a wait that is never negative. */
public class RetryAfterFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void retryAfterIsNeverNegative(FuzzedDataProvider data) {
    check(data);
  }

  /** One input; also called by {@link io.modelprefetch.downloader.DownloaderParsersFuzzTest}. */
  public static void check(FuzzedDataProvider data) {
    Duration d = HttpTransport.retryAfter(data.consumeRemainingAsString());
    assertThat(d == null || !d.isNegative()).isTrue();
  }
}
