package io.modelprefetch.downloader.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ConvertersTest {
  private final Converters.DurationConverter durations = new Converters.DurationConverter();
  private final Converters.SizeConverter sizes = new Converters.SizeConverter();

  @Test
  void parsesDurationsPeopleWrite() {
    assertThat(durations.convert("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(durations.convert("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(durations.convert("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(durations.convert("PT2M")).isEqualTo(Duration.ofMinutes(2));
    assertThatThrownBy(() -> durations.convert("soon"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("not a duration");
  }

  @Test
  void parsesBinarySizes() {
    assertThat(sizes.convert("32MiB")).isEqualTo(32L << 20);
    assertThat(sizes.convert("512k")).isEqualTo(512L << 10);
    assertThat(sizes.convert("1G")).isEqualTo(1L << 30);
    assertThatThrownBy(() -> sizes.convert("lots")).isInstanceOf(TypeConversionException.class);
  }

  @Test
  void refusesNegativeAndOverflowingValues() {
    assertThatThrownBy(() -> durations.convert("PT-5S"))
        .isInstanceOf(TypeConversionException.class);
    assertThatThrownBy(() -> durations.convert("PT99999999999999999H"))
        .isInstanceOf(TypeConversionException.class);
    assertThatThrownBy(() -> sizes.convert("9999999999999G"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("too large");
  }
}
