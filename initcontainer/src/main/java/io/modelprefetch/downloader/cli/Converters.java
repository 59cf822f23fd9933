package io.modelprefetch.downloader.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses "30s", "5m", "1h30m" durations and "32MiB", "16M" sizes. Never negative: a value that is
 * negative or does not fit is an invalid argument (exit 2), not a wrapped-around number.
 */
final class Converters {
  private static final Pattern DURATION =
      Pattern.compile("(?:(\\d{1,9})h)?(?:(\\d{1,11})m(?!s))?(?:(\\d{1,13})s)?(?:(\\d{1,15})ms)?");
  private static final Pattern SIZE =
      Pattern.compile("(\\d{1,18})\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)");

  private Converters() {}

  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      if (v.startsWith("pt")) {
        return iso(value, v);
      }
      Matcher m = DURATION.matcher(v);
      if (v.isEmpty() || !m.matches()) {
        throw invalid(value);
      }
      return Duration.ofHours(num(m.group(1)))
          .plusMinutes(num(m.group(2)))
          .plusSeconds(num(m.group(3)))
          .plusMillis(num(m.group(4)));
    }

    private static Duration iso(String value, String v) {
      try {
        Duration d = Duration.parse(v.toUpperCase(Locale.ROOT));
        if (d.isNegative()) {
          throw invalid(value);
        }
        return d;
      } catch (DateTimeParseException | ArithmeticException e) {
        throw invalid(value);
      }
    }

    private static TypeConversionException invalid(String value) {
      return new TypeConversionException("'" + value + "' is not a duration such as 30s, 5m or 1h");
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
      long unit =
          switch (m.group(2)) {
            case "k", "kb", "kib" -> 1L << 10;
            case "m", "mb", "mib" -> 1L << 20;
            case "g", "gb", "gib" -> 1L << 30;
            default -> 1;
          };
      try {
        return Math.multiplyExact(n, unit);
      } catch (ArithmeticException e) {
        throw new TypeConversionException("'" + value + "' is too large a size");
      }
    }
  }
}
