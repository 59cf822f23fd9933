package io.modelprefetch.downloader.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import picocli.CommandLine.TypeConversionException;

/** Size arguments: either a clear conversion error or a size that is never negative. */
public class SizeArgumentFuzzTest {
  private static final Converters.SizeConverter SIZES = new Converters.SizeConverter();

  @FuzzTest(maxDuration = "10s")
  void sizesAreNeverNegativeAndRoundTrip(FuzzedDataProvider data) {
    check(data);
  }

  /** One input; also called by {@link io.modelprefetch.downloader.DownloaderParsersFuzzTest}. */
  public static void check(FuzzedDataProvider data) {
    long n = data.consumeLong(0, Long.MAX_VALUE >> 20);
    assertThat(SIZES.convert(n + "MiB")).isEqualTo(n << 20);
    String text = data.consumeRemainingAsString();
    try {
      assertThat(SIZES.convert(text)).as("size of '%s'", text).isNotNegative();
    } catch (TypeConversionException refused) {
      assertThat(refused.getMessage()).isNotBlank();
    }
  }
}
