package io.modelprefetch.downloader.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses "30s", "5m", "1h30m" durations and "32MiB", "16M" sizes. */
final class Converters {
  private static final Pattern DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+)s)?(?:(\\d+)ms)?");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)");

  private Converters() {}

  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      if (v.startsWith("pt")) {
        return Duration.parse(v.toUpperCase(Locale.ROOT));
      }
      Matcher m = DURATION.matcher(v);
      if (v.isEmpty() || !m.matches()) {
        throw new TypeConversionException("'" + value + "' is not a duration such as 30s, 5m or 1h");
      }
      return Duration.ofHours(num(m.group(1))).plusMinutes(num(m.group(2))).plusSeconds(num(m.group(3)))
          .plusMillis(num(m.group(4)));
    }

    private static long num(String s) {
      return s == null ? 0 : Long.parseLong(s);
    }
  }

  static final class SizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw new TypeConversionException("'" + value + "' is not a size such as 16MiB or 512KiB");
      }
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "k", "kb", "kib" -> n << 10;
        case "m", "mb", "mib" -> n << 20;
        case "g", "gb", "gib" -> n << 30;
        default -> n;
      };
    }
  }
}
