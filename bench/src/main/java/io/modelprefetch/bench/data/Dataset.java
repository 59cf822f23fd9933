package io.modelprefetch.bench.data;

import io.modelprefetch.fixtures.data.FileSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A named, deterministic set of files; {@link #key()} changes whenever any path, size or seed does.
 */
public record Dataset(String name, List<FileSpec> files) {
  public Dataset {
    files = List.copyOf(files);
  }

  public long totalBytes() {
    return files.stream().mapToLong(FileSpec::size).sum();
  }

  public String key() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (FileSpec f : files) {
        sha.update(
            (f.path() + "\0" + f.size() + "\0" + f.seed() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return name + "-" + HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
