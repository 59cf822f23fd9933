package io.modelprefetch.downloader.report;

import java.util.Locale;

/** Numbers for people: 1.5 GiB, 180 MiB/s, 3m20s. */
public final class Human {
  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

  private Human() {}

  public static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    double v = n;
    int unit = 0;
    while (v >= 1024 && unit < UNITS.length - 1) {
      v /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, UNITS[unit]);
  }

  public static String rate(long bytesPerSecond) {
    return bytes(bytesPerSecond) + "/s";
  }

  public static String duration(long seconds) {
    if (seconds < 0) {
      return "";
    }
    long h = seconds / 3600;
    long m = seconds % 3600 / 60;
    long s = seconds % 60;
    return h > 0 ? h + "h" + m + "m" : m > 0 ? m + "m" + s + "s" : s + "s";
  }

  /** A duration as people write it: 2s, 1m30s, 2h, 500ms. */
  public static String duration(java.time.Duration d) {
    if (d.toMillis() < 1000) {
      return d.toMillis() + "ms";
    }
    long h = d.toHours();
    long m = d.toMinutesPart();
    long sec = d.toSecondsPart();
    return (h > 0 ? h + "h" : "")
        + (m > 0 ? m + "m" : "")
        + (sec > 0 || (h == 0 && m == 0) ? sec + "s" : "");
  }

  public static String percent(long done, long total) {
    return (total == 0 ? 100 : done * 100 / total) + "%";
  }
}
