package io.modelprefetch.downloader.source.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code Content-Range: bytes first-last/total} header (RFC 9110 §14.4); {@code total} is -1 when
 * the server wrote {@code *}. Anything else, or a range that is not inside its total, is no range.
 *
 * @param first the first byte sent
 * @param last the last byte sent (inclusive)
 * @param total the file's size, or -1 when unknown
 */
public record ContentRange(long first, long last, long total) {
  private static final Pattern FORM =
      Pattern.compile("bytes (\\d{1,18})-(\\d{1,18})/(\\d{1,18}|\\*)");

  /** The parsed header, or null when it is absent or malformed. */
  public static ContentRange parse(String header) {
    if (header == null) {
      return null;
    }
    Matcher m = FORM.matcher(header.trim());
    if (!m.matches()) {
      return null;
    }
    long first = Long.parseLong(m.group(1));
    long last = Long.parseLong(m.group(2));
    long total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
    if (last < first || (total >= 0 && last >= total)) {
      return null;
    }
    return new ContentRange(first, last, total);
  }

  /** Whether {@code header} announces exactly bytes {@code [from, to)}. */
  static boolean covers(String header, long from, long to) {
    ContentRange r = parse(header);
    return r != null && r.first == from && r.last == to - 1;
  }

  /** The total size a {@code bytes=0-0} probe answer announces, or -1. */
  static long totalOf(String header) {
    ContentRange r = parse(header);
    return r == null ? -1 : r.total;
  }
}
