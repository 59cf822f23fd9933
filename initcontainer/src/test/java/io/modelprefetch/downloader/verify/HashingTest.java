package io.modelprefetch.downloader.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelprefetch.downloader.manifest.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Expected values are those of sha256sum, `git hash-object`, md5sum and the CRC check values. */
class HashingTest {
  @TempDir Path dir;

  @Test
  void computesKnownDigestsOfHelloNewline() throws Exception {
    Path f = Files.writeString(dir.resolve("hello"), "hello\n", StandardCharsets.US_ASCII);
    assertThat(Hashing.digest(f, Digest.Algorithm.SHA256).hex())
        .isEqualTo("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
    assertThat(Hashing.digest(f, Digest.Algorithm.GIT_SHA1).hex()).isEqualTo("ce013625030ba8dba906f756967f9e9ca394464a");
    assertThat(Hashing.digest(f, Digest.Algorithm.MD5).hex()).isEqualTo("b1946ac92492d2347c6235b4d2611184");
  }

  @Test
  void crcsUseTheStandardCheckValues() throws Exception {
    Path f = Files.writeString(dir.resolve("check"), "123456789", StandardCharsets.US_ASCII);
    assertThat(Hashing.digest(f, Digest.Algorithm.CRC32).hex()).isEqualTo("cbf43926");
    assertThat(Hashing.digest(f, Digest.Algorithm.CRC32C).hex()).isEqualTo("e3069283");
  }

  @Test
  void gitBlobIdOfTheEmptyFile() throws Exception {
    Path f = Files.createFile(dir.resolve("empty"));
    assertThat(Hashing.digest(f, Digest.Algorithm.GIT_SHA1).hex()).isEqualTo("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  }
}
