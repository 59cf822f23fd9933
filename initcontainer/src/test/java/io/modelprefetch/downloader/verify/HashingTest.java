package io.modelprefetch.downloader.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelprefetch.downloader.manifest.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    assertThat(Hashing.digest(f, Digest.Algorithm.GIT_SHA1).hex())
        .isEqualTo("ce013625030ba8dba906f756967f9e9ca394464a");
    assertThat(Hashing.digest(f, Digest.Algorithm.MD5).hex())
        .isEqualTo("b1946ac92492d2347c6235b4d2611184");
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
    assertThat(Hashing.digest(f, Digest.Algorithm.GIT_SHA1).hex())
        .isEqualTo("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  }

  /**
   * Reference values from Python: hashlib.md5(md5(b"1234") + md5(b"56789")), zlib.crc32 likewise.
   */
  @Test
  void compositeDigestsHashTheConcatenatedPartDigests() throws Exception {
    Path f = Files.writeString(dir.resolve("check"), "123456789", StandardCharsets.US_ASCII);
    List<Long> parts = List.of(4L, 5L);
    List<Digest> got =
        Hashing.digests(
            f,
            List.of(
                new Digest(Digest.Algorithm.MD5, "", parts),
                new Digest(Digest.Algorithm.CRC32, "", parts),
                new Digest(Digest.Algorithm.SHA256, "", parts),
                new Digest(Digest.Algorithm.CRC32, "")));
    assertThat(got)
        .extracting(Digest::toString)
        .containsExactly(
            "md5:d8399932ce6023ac3365f50fbbcde132;parts=4,5",
            "crc32:ac133007;parts=4,5",
            "sha256:6e74410538a57820d54252d3ffa7d9246aea71fdcedd7e86f240fc57bcd9ab14;parts=4,5",
            "crc32:cbf43926");
    assertThat(Hashing.matches(f, Digest.parse("md5:d8399932ce6023ac3365f50fbbcde132;parts=4,5")))
        .isTrue();
    assertThat(Hashing.matches(f, Digest.parse("md5:d8399932ce6023ac3365f50fbbcde132;parts=5,4")))
        .isFalse();
  }

  @Test
  void partsSpanManyReadBuffers() throws Exception {
    byte[] data = new byte[(3 << 20) + 17];
    new java.util.Random(7).nextBytes(data);
    Path f = Files.write(dir.resolve("big"), data);
    java.security.MessageDigest outer = java.security.MessageDigest.getInstance("MD5");
    long[] sizes = {(1 << 20) + 5, 2 << 20, 12};
    int at = 0;
    for (long size : sizes) {
      java.security.MessageDigest part = java.security.MessageDigest.getInstance("MD5");
      part.update(data, at, (int) size);
      outer.update(part.digest());
      at += (int) size;
    }
    Digest expected =
        new Digest(
            Digest.Algorithm.MD5,
            java.util.HexFormat.of().formatHex(outer.digest()),
            List.of(sizes[0], sizes[1], sizes[2]));
    assertThat(Hashing.matches(f, expected)).isTrue();
  }

  @Test
  void verificationRecordsTheSha256AndWhatWasChecked() throws Exception {
    Path f = Files.writeString(dir.resolve("check"), "123456789", StandardCharsets.US_ASCII);
    String sha256 = "sha256:15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225";
    Verification v =
        Verification.check(
            f, 9, List.of(Digest.parse("crc32:ac133007;parts=4,5"), Digest.parse("md5:00")));
    assertThat(v.passed()).isTrue();
    assertThat(v.recorded())
        .extracting(Digest::toString)
        .containsExactly(sha256, "crc32:ac133007;parts=4,5");
    assertThat(v.method()).isEqualTo("crc32 of 2 parts from the source");

    Verification wrong =
        Verification.check(f, 9, List.of(Digest.parse("crc32:00000000;parts=4,5")));
    assertThat(wrong.problem()).isEqualTo("crc32 of 2 parts ac133007 instead of 00000000");

    // A layout that does not add up to the size is no evidence either way: the next digest decides.
    Verification skipped =
        Verification.check(
            f,
            9,
            List.of(Digest.parse("crc32:00000000;parts=4,4"), Digest.parse("crc32:cbf43926")));
    assertThat(skipped.method()).isEqualTo("crc32 from the source");
    assertThat(Verification.check(f, 9, List.of()).recorded())
        .extracting(Digest::toString)
        .containsExactly(sha256);
    assertThat(Verification.check(f, 10, List.of()).problem()).isEqualTo("size 9 instead of 10");
  }
}
