package io.modelprefetch.downloader.manifest;

import io.modelprefetch.downloader.Printable;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks names from a remote listing before they touch the file system: a remote name never escapes
 * the destination, never collides with our own state directory and holds no character that could
 * forge a log line or disguise itself ({@link Printable}).
 */
public final class SafePath {
  /** The destination's hidden state directory (partial files, journals, completion manifest). */
  public static final String STATE_DIR = ".modelprefetch";

  private SafePath() {}

  /** Returns the reason the name is unsafe, or null when it is fine. */
  public static String problem(String name) {
    if (name == null || name.isEmpty()) {
      return "it is empty";
    }
    if (name.indexOf('\\') >= 0) {
      return "it contains a backslash";
    }
    if (Printable.hasUnsafe(name)) {
      return "it contains a control character (or a bidirectional override, line separator or"
          + " broken surrogate) that could forge log lines or hide the real name";
    }
    if (name.startsWith("/")) {
      return "it is an absolute path";
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > 4096) {
      return "it is longer than 4096 bytes";
    }
    String[] segments = name.split("/", -1);
    for (String segment : segments) {
      if (segment.isEmpty() || segment.equals(".")) {
        return "it has an empty or '.' segment";
      }
      if (segment.equals("..")) {
        return "it contains '..' and would escape the destination";
      }
      if (segment.getBytes(StandardCharsets.UTF_8).length > 255) {
        return "a segment is longer than 255 bytes";
      }
    }
    if (segments[0].equals(STATE_DIR)) {
      return "it is inside modelprefetch's own state directory " + STATE_DIR;
    }
    return null;
  }

  /**
   * Returns a description of every unsafe or colliding name in the listing (empty when all are
   * safe): duplicates and a file that is also a directory of another are collisions.
   */
  public static List<String> problems(List<RemoteFile> files) {
    Set<String> names = new HashSet<>();
    Set<String> dirs = new HashSet<>();
    List<String> out = new java.util.ArrayList<>();
    for (RemoteFile f : files) {
      String problem = problem(f.path());
      if (problem != null) {
        out.add("'" + Printable.escape(f.path()) + "': " + problem);
        continue;
      }
      if (!names.add(f.path())) {
        out.add("'" + f.path() + "': listed twice");
      }
      for (int i = f.path().indexOf('/'); i >= 0; i = f.path().indexOf('/', i + 1)) {
        dirs.add(f.path().substring(0, i));
      }
    }
    for (String name : names) {
      if (dirs.contains(name)) {
        out.add("'" + name + "': is both a file and a directory");
      }
    }
    return out;
  }
}
