package io.modelprefetch.downloader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import picocli.CommandLine.TypeConversionException;

/** Duration arguments: either a clear conversion error or a duration that is never negative. */
public class DurationArgumentFuzzTest {
  private static final Converters.DurationConverter DURATIONS = new Converters.DurationConverter();

  @FuzzTest(maxDuration = "10s")
  void durationsAreNeverNegativeAndRoundTrip(FuzzedDataProvider data) {
    check(data);
  }

  /** One input; also called by {@link io.modelprefetch.downloader.DownloaderParsersFuzzTest}. */
  public static void check(FuzzedDataProvider data) {
    long seconds = data.consumeLong(0, 1L << 40);
    assertThat(DURATIONS.convert(seconds + "s")).isEqualTo(Duration.ofSeconds(seconds));
    String text = data.consumeRemainingAsString();
    try {
      assertThat(DURATIONS.convert(text).isNegative()).as("duration of '%s'", text).isFalse();
    } catch (TypeConversionException refused) {
      assertThat(refused.getMessage()).isNotBlank();
    }
  }
}
