package io.modelprefetch.downloader.manifest;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.HexFormat;
import java.util.Locale;

/**
 * An expected content digest, written {@code algorithm:hex} (e.g. {@code sha256:ab12…}).
 */
public record Digest(Algorithm algorithm, String hex) implements Comparable<Digest> {

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
  }

  public static Digest of(Algorithm algorithm, byte[] value) {
    return new Digest(algorithm, HexFormat.of().formatHex(value));
  }

  @JsonCreator
  public static Digest parse(String text) {
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("digest '" + text + "' is not of the form algorithm:hex");
    }
    return new Digest(Algorithm.ofLabel(text.substring(0, colon)), text.substring(colon + 1));
  }

  @JsonValue
  @Override
  public String toString() {
    return algorithm.label + ":" + hex;
  }

  @Override
  public int compareTo(Digest other) {
    return algorithm.compareTo(other.algorithm);
  }
}
