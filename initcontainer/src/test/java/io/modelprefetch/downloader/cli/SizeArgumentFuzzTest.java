package io.modelprefetch.downloader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import picocli.CommandLine.TypeConversionException;

/** Size arguments: either a clear conversion error or a size that is never negative. */
class SizeArgumentFuzzTest {
  private final Converters.SizeConverter sizes = new Converters.SizeConverter();

  @FuzzTest(maxDuration = "10s")
  void sizesAreNeverNegativeAndRoundTrip(FuzzedDataProvider data) {
    long n = data.consumeLong(0, Long.MAX_VALUE >> 20);
    assertThat(sizes.convert(n + "MiB")).isEqualTo(n << 20);
    String text = data.consumeRemainingAsString();
    try {
      assertThat(sizes.convert(text)).as("size of '%s'", text).isNotNegative();
    } catch (TypeConversionException refused) {
      assertThat(refused.getMessage()).isNotBlank();
    }
  }
}
