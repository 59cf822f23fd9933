package io.modelprefetch.downloader;

/**
 * The one escaping function for text that came from outside (names in a listing, server error
 * bodies, headers, ETags) before it reaches a log line, an error message, the JSON events or the
 * termination message: a remote name can then neither forge a line nor send terminal escapes.
 *
 * <p>Control characters (C0 including tab and newline, DEL, C1), bidirectional overrides and
 * isolates, line and paragraph separators and unpaired surrogates become {@code \xNN} or {@code
 * \x{NNNN}}; everything else stays as it is. The result contains no such character, so escaping
 * twice changes nothing.
 */
public final class Printable {
  private Printable() {}

  /** {@code text} with every unsafe character escaped ("null" for null). */
  public static String escape(String text) {
    if (text == null) {
      return "null";
    }
    int first = firstUnsafe(text);
    if (first < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
    for (int i = first; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!unsafe(text, i)) {
        out.append(c);
      } else if (c <= 0xff) {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(String.format("\\x{%04x}", (int) c));
      }
    }
    return out.toString();
  }

  /** Whether {@code text} holds a character {@link #escape} would replace. */
  public static boolean hasUnsafe(String text) {
    return text != null && firstUnsafe(text) >= 0;
  }

  private static int firstUnsafe(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (unsafe(text, i)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean unsafe(String text, int i) {
    char c = text.charAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
      return true;
    }
    if ((c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0x200e
        || c == 0x200f
        || c == 0x061c
        || c == 0x2028
        || c == 0x2029) {
      return true;
    }
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
    }
    return false;
  }
}
