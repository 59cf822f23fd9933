package io.modelprefetch.operator.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Names of what the webhook adds for one artifact. Volume and container names are DNS labels (63
 * characters, no dots) while artifact names may be 253-character subdomains: long names are cut and
 * made unique with a hash.
 */
public record InjectionNames(String artifact) {
  public static final String PREFIX = "mp-";
  public static final String TMP_VOLUME = "mp-tmp";
  private static final int MAX = 63;

  public String volume() {
    return label(PREFIX);
  }

  public String waitContainer() {
    return label(PREFIX + "wait-");
  }

  public String pullContainer() {
    return label(PREFIX + "pull-");
  }

  /** {@code MODEL_PATH_<NAME>}: upper case, every other character an underscore. */
  public String envSuffix() {
    return artifact.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  private String label(String prefix) {
    String name = artifact.replace('.', '-');
    if (prefix.length() + name.length() <= MAX) {
      return prefix + name;
    }
    String hash = sha256(artifact).substring(0, 8);
    String head =
        name.substring(0, MAX - prefix.length() - hash.length() - 1).replaceAll("-+$", "");
    return prefix + head + "-" + hash;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
