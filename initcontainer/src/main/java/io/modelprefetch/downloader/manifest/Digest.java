package io.modelprefetch.downloader.manifest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * An expected content digest, written {@code algorithm:hex} (e.g. {@code sha256:ab12…}).
 *
 * <p>A <em>composite</em> digest (S3 multipart objects) has a part layout: {@code hex} is then the
 * algorithm over the concatenated binary digests of the parts, in order (what S3 serves as a {@code
 * -N} checksum or multipart ETag). It is written {@code algorithm:hex;parts=<sizes>}, where runs of
 * equal part sizes are written {@code size*count}, e.g. {@code md5:ab12…;parts=8388608*3,1024}.
 *
 * @param parts the part sizes in bytes, in order; empty for a digest of the whole file
 */
public record Digest(Algorithm algorithm, String hex, List<Long> parts)
    implements Comparable<Digest> {
  private static final String PARTS = ";parts=";

  /** Known algorithms, strongest first: verification uses the first one a file has. */
  public enum Algorithm {
    SHA256("sha256"),
    SHA1("sha1"),
    /** Git blob id: sha1 of {@code "blob <size>\0"} followed by the content. */
    GIT_SHA1("git-sha1"),
    MD5("md5"),
    CRC32C("crc32c"),
    CRC32("crc32");

    private final String label;

    Algorithm(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    static Algorithm ofLabel(String label) {
      for (Algorithm a : values()) {
        if (a.label.equals(label)) {
          return a;
        }
      }
      throw new IllegalArgumentException("unknown digest algorithm '" + label + "'");
    }
  }

  public Digest {
    hex = hex.toLowerCase(Locale.ROOT);
    HexFormat.of().parseHex(hex);
    parts = List.copyOf(parts);
    if (parts.stream().anyMatch(size -> size <= 0)) {
      throw new IllegalArgumentException("part sizes must be positive: " + parts);
    }
    if (algorithm == Algorithm.GIT_SHA1 && !parts.isEmpty()) {
      throw new IllegalArgumentException("git-sha1 has no composite form");
    }
  }

  /** A digest of the whole file. */
  public Digest(Algorithm algorithm, String hex) {
    this(algorithm, hex, List.of());
  }

  public static Digest of(Algorithm algorithm, byte[] value) {
    return new Digest(algorithm, HexFormat.of().formatHex(value));
  }

  /** Whether this is a digest of the part digests rather than of the bytes. */
  public boolean composite() {
    return !parts.isEmpty();
  }

  /** The same digest kind (algorithm and part layout) with another value. */
  public Digest withValue(byte[] value) {
    return new Digest(algorithm, HexFormat.of().formatHex(value), parts);
  }

  /**
   * In words, for logs and the completion manifest: {@code "crc32c of 3 parts"}, {@code "sha256"}.
   */
  public String kind() {
    return composite()
        ? algorithm.label + " of " + parts.size() + " part" + (parts.size() == 1 ? "" : "s")
        : algorithm.label;
  }

  @JsonCreator
  public static Digest parse(String text) {
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("digest '" + text + "' is not of the form algorithm:hex");
    }
    int layout = text.indexOf(PARTS, colon);
    String hex = layout < 0 ? text.substring(colon + 1) : text.substring(colon + 1, layout);
    List<Long> parts = layout < 0 ? List.of() : parseParts(text.substring(layout + PARTS.length()));
    return new Digest(Algorithm.ofLabel(text.substring(0, colon)), hex, parts);
  }

  private static List<Long> parseParts(String text) {
    List<Long> out = new ArrayList<>();
    for (String run : text.split(",", -1)) {
      int star = run.indexOf('*');
      long size = Long.parseLong(star < 0 ? run : run.substring(0, star));
      int count = star < 0 ? 1 : Integer.parseInt(run.substring(star + 1));
      if (count < 1 || count > 10_000 || out.size() + count > 10_000) {
        throw new IllegalArgumentException("part layout '" + text + "' has more than 10000 parts");
      }
      for (int i = 0; i < count; i++) {
        out.add(size);
      }
    }
    return out;
  }

  @JsonValue
  @Override
  public String toString() {
    if (parts.isEmpty()) {
      return algorithm.label + ":" + hex;
    }
    StringBuilder out = new StringBuilder(algorithm.label).append(':').append(hex).append(PARTS);
    for (int i = 0; i < parts.size(); ) {
      int j = i;
      while (j < parts.size() && parts.get(j).equals(parts.get(i))) {
        j++;
      }
      out.append(i == 0 ? "" : ",").append(parts.get(i)).append(j - i > 1 ? "*" + (j - i) : "");
      i = j;
    }
    return out.toString();
  }

  /** Strongest algorithm first; for one algorithm the whole-file digest before the composite. */
  @Override
  public int compareTo(Digest other) {
    int byAlgorithm = algorithm.compareTo(other.algorithm);
    return byAlgorithm != 0 ? byAlgorithm : Boolean.compare(composite(), other.composite());
  }
}
