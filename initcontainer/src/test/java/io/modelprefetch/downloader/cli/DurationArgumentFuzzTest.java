package io.modelprefetch.downloader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import picocli.CommandLine.TypeConversionException;

/** Duration arguments: either a clear conversion error or a duration that is never negative. */
class DurationArgumentFuzzTest {
  private final Converters.DurationConverter durations = new Converters.DurationConverter();

  @FuzzTest(maxDuration = "10s")
  void durationsAreNeverNegativeAndRoundTrip(FuzzedDataProvider data) {
    long seconds = data.consumeLong(0, 1L << 40);
    assertThat(durations.convert(seconds + "s")).isEqualTo(Duration.ofSeconds(seconds));
    String text = data.consumeRemainingAsString();
    try {
      assertThat(durations.convert(text).isNegative()).as("duration of '%s'", text).isFalse();
    } catch (TypeConversionException refused) {
      assertThat(refused.getMessage()).isNotBlank();
    }
  }
}
