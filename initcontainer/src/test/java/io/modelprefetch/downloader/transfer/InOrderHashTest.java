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
        java.util.List.of(new Digest(algorithm, "")),
        content.length,
        new Intervals(),
        Runnable::run);
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

  private void write(FileChannel ch, InOrderHash hash, int from, int to) throws Exception {
    ByteBuffer data = ByteBuffer.wrap(content, from, to - from).slice();
    ch.write(data.duplicate(), from);
    hash.written(data, from, ch);
  }

  @Test
  void inOrderWritesAreHashedFromTheBufferAsTheyArrive() throws Exception {
    try (FileChannel ch = open(partial)) {
      InOrderHash hash = fresh(Digest.Algorithm.SHA256);
      for (int pos = 0; pos < content.length; pos += 10_000) {
        write(ch, hash, pos, Math.min(content.length, pos + 10_000));
        assertThat(hash.hashed()).isEqualTo(Math.min(content.length, pos + 10_000));
      }
      assertThat(hash.finish(partial).getFirst()).isEqualTo(expected(Digest.Algorithm.SHA256));
    }
  }

  @Test
  void bytesWrittenAheadAreReadBackWhenTheFrontierReachesThem() throws Exception {
    try (FileChannel ch = open(partial)) {
      InOrderHash hash = fresh(Digest.Algorithm.GIT_SHA1);
      write(ch, hash, 200_000, 300_000);
      write(ch, hash, 100_000, 200_000);
      assertThat(hash.hashed()).isZero();
      write(ch, hash, 0, 100_000);
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
              java.util.List.of(new Digest(Digest.Algorithm.MD5, "")),
              content.length,
              journalled,
              Runnable::run);
      write(ch, hash, 150_000, 300_000);
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
      write(ch, hash, 0, content.length);
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
      InOrderHash hash = new InOrderHash(templates, content.length, new Intervals(), Runnable::run);
      write(ch, hash, 150_000, 300_000);
      write(ch, hash, 0, 150_000);
      assertThat(hash.hashed()).isEqualTo(content.length);
      Path whole = Files.write(dir.resolve("whole"), content);
      assertThat(hash.finish(partial)).isEqualTo(Hashing.digests(whole, templates));
    }
  }

  @Test
  void twoDigestsFromConnectionsWritingAtOnceMatchOneReadOfTheFile() throws Exception {
    byte[] big = new byte[24 << 20];
    new Random(11).nextBytes(big);
    java.util.List<Digest> templates =
        java.util.List.of(
            new Digest(Digest.Algorithm.MD5, ""), new Digest(Digest.Algorithm.SHA256, ""));
    int range = 1 << 20;
    java.util.List<Integer> order = new java.util.ArrayList<>();
    for (int i = 0; i < big.length / range; i++) {
      order.add(i);
    }
    java.util.Collections.shuffle(order, new Random(3));
    try (FileChannel ch = open(partial)) {
      InOrderHash hash = new InOrderHash(templates, big.length, new Intervals());
      java.util.concurrent.ConcurrentLinkedQueue<Integer> ranges =
          new java.util.concurrent.ConcurrentLinkedQueue<>(order);
      java.util.List<Thread> connections = new java.util.ArrayList<>();
      for (int c = 0; c < 8; c++) {
        connections.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      ByteBuffer buffer = ByteBuffer.allocate(64 << 10);
                      for (Integer r = ranges.poll(); r != null; r = ranges.poll()) {
                        for (int pos = r * range; pos < (r + 1) * range; pos += buffer.capacity()) {
                          buffer.clear().put(big, pos, buffer.capacity()).flip();
                          try {
                            ch.write(buffer.duplicate(), pos);
                            hash.written(buffer, pos, ch);
                          } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                          }
                        }
                      }
                    }));
      }
      for (Thread t : connections) {
        t.join();
      }
      Path whole = Files.write(dir.resolve("whole"), big);
      assertThat(hash.finish(partial)).isEqualTo(Hashing.digests(whole, templates));
      assertThat(hash.hashed()).isEqualTo(big.length);
    }
  }

  @Test
  void lanesLeftFarBehindAreFinishedSideBySide() throws Exception {
    byte[] big = new byte[20 << 20];
    new Random(5).nextBytes(big);
    Files.write(partial, big);
    java.util.List<Digest> templates =
        java.util.List.of(
            new Digest(Digest.Algorithm.SHA1, ""),
            new Digest(Digest.Algorithm.MD5, ""),
            new Digest(Digest.Algorithm.SHA256, ""));
    InOrderHash hash = new InOrderHash(templates, big.length, new Intervals());
    Path whole = Files.write(dir.resolve("whole"), big);
    assertThat(hash.finish(partial)).isEqualTo(Hashing.digests(whole, templates));
  }

  @Test
  void aConnectionHashesOnlyItsOwnBytesAndLeavesTheReadBackToAHashingThread() throws Exception {
    java.util.Queue<Runnable> hashingThread = new java.util.ArrayDeque<>();
    try (FileChannel ch = open(partial)) {
      InOrderHash hash =
          new InOrderHash(
              java.util.List.of(new Digest(Digest.Algorithm.SHA256, "")),
              content.length,
              new Intervals(),
              hashingThread::add);
      write(ch, hash, 100_000, 300_000);
      assertThat(hashingThread).as("nothing at the frontier yet: nothing to read back").isEmpty();
      write(ch, hash, 0, 100_000);
      assertThat(hash.hashed())
          .as("the connection hashed its own bytes, not the 200,000 written ahead")
          .isEqualTo(100_000);
      assertThat(hashingThread).hasSize(1);
      hashingThread.poll().run();
      assertThat(hash.hashed()).isEqualTo(content.length);
      assertThat(hash.finish(partial).getFirst()).isEqualTo(expected(Digest.Algorithm.SHA256));
    }
  }
}
