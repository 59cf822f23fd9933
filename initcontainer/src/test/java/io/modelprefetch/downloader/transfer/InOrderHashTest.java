package io.modelprefetch.downloader.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelprefetch.downloader.manifest.Digest;
import io.modelprefetch.downloader.verify.Hashing;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InOrderHashTest {
  @TempDir Path dir;

  private final byte[] content = new byte[300_000];
  private Path partial;

  @org.junit.jupiter.api.BeforeEach
  void partialFile() {
    partial = dir.resolve("partial");
  }

  private InOrderHash fresh(Digest.Algorithm algorithm) {
    return new InOrderHash(
        java.util.List.of(new Digest(algorithm, "")), content.length, new Intervals());
  }

  InOrderHashTest() {
    new Random(7).nextBytes(content);
  }

  private Digest expected(Digest.Algorithm algorithm) throws Exception {
    Path whole = dir.resolve("whole");
    Files.write(whole, content);
    return Hashing.digest(whole, algorithm);
  }

  private static FileChannel open(Path partial) throws Exception {
    return FileChannel.open(
        partial, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  private void write(FileChannel ch, InOrderHash hash, int from, int to, ByteBuffer scratch)
      throws Exception {
    ByteBuffer data = ByteBuffer.wrap(content, from, to - from).slice();
    ch.write(data.duplicate(), from);
    hash.written(data, from, ch, scratch);
  }

  @Test
  void inOrderWritesAreHashedFromTheBufferAsTheyArrive() throws Exception {
    try (FileChannel ch = open(partial)) {
      InOrderHash hash = fresh(Digest.Algorithm.SHA256);
      ByteBuffer scratch = ByteBuffer.allocate(4096);
      for (int pos = 0; pos < content.length; pos += 10_000) {
        write(ch, hash, pos, Math.min(content.length, pos + 10_000), scratch);
        assertThat(hash.hashed()).isEqualTo(Math.min(content.length, pos + 10_000));
      }
      assertThat(hash.finish(partial).getFirst()).isEqualTo(expected(Digest.Algorithm.SHA256));
    }
  }

  @Test
  void bytesWrittenAheadAreReadBackWhenTheFrontierReachesThem() throws Exception {
    try (FileChannel ch = open(partial)) {
      InOrderHash hash = fresh(Digest.Algorithm.GIT_SHA1);
      ByteBuffer scratch = ByteBuffer.allocate(4096);
      write(ch, hash, 200_000, 300_000, scratch);
      write(ch, hash, 100_000, 200_000, scratch);
      assertThat(hash.hashed()).isZero();
      write(ch, hash, 0, 100_000, scratch);
      assertThat(hash.hashed())
          .as("caught up over both ranges written ahead")
          .isEqualTo(content.length);
      assertThat(hash.finish(partial).getFirst()).isEqualTo(expected(Digest.Algorithm.GIT_SHA1));
    }
  }

  @Test
  void aResumedFileStartsFromWhatTheJournalSaysIsOnDisk() throws Exception {
    Files.write(partial, java.util.Arrays.copyOf(content, 150_000));
    Intervals journalled = new Intervals();
    journalled.add(0, 150_000);
    try (FileChannel ch = open(partial)) {
      InOrderHash hash =
          new InOrderHash(
              java.util.List.of(new Digest(Digest.Algorithm.MD5, "")), content.length, journalled);
      write(ch, hash, 150_000, 300_000, ByteBuffer.allocate(4096));
      assertThat(hash.hashed()).isEqualTo(content.length);
      assertThat(hash.finish(partial).getFirst()).isEqualTo(expected(Digest.Algorithm.MD5));
    }
  }

  @Test
  void finishHashesWhatNoConnectionReached() throws Exception {
    Files.write(partial, content);
    InOrderHash hash = fresh(Digest.Algorithm.CRC32C);
    assertThat(hash.finish(partial).getFirst()).isEqualTo(expected(Digest.Algorithm.CRC32C));
  }

  @Test
  void aCorruptByteChangesTheDigest() throws Exception {
    try (FileChannel ch = open(partial)) {
      InOrderHash hash = fresh(Digest.Algorithm.SHA256);
      content[123_456] ^= 1; // corrupt what arrives, not what is expected
      write(ch, hash, 0, content.length, ByteBuffer.allocate(4096));
      content[123_456] ^= 1;
      assertThat(hash.finish(partial).getFirst()).isNotEqualTo(expected(Digest.Algorithm.SHA256));
    }
  }

  @Test
  void compositeDigestsOverPartsAndTheSha256ComeFromOneStreamWrittenOutOfOrder() throws Exception {
    java.util.List<Digest> templates =
        java.util.List.of(
            new Digest(Digest.Algorithm.MD5, "", java.util.List.of(120_000L, 120_000L, 60_000L)),
            new Digest(Digest.Algorithm.SHA256, ""));
    try (FileChannel ch = open(partial)) {
      InOrderHash hash = new InOrderHash(templates, content.length, new Intervals());
      ByteBuffer scratch = ByteBuffer.allocate(4096);
      write(ch, hash, 150_000, 300_000, scratch);
      write(ch, hash, 0, 150_000, scratch);
      assertThat(hash.hashed()).isEqualTo(content.length);
      Path whole = Files.write(dir.resolve("whole"), content);
      assertThat(hash.finish(partial)).isEqualTo(Hashing.digests(whole, templates));
    }
  }
}
