package io.modelprefetch.downloader.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import io.modelprefetch.downloader.report.ProgressTracker;
import io.modelprefetch.downloader.transfer.FakeSource.Corrupt;
import io.modelprefetch.downloader.transfer.FakeSource.DropAfter;
import io.modelprefetch.downloader.transfer.FakeSource.Refuse;
import io.modelprefetch.downloader.transfer.FakeSource.Request;
import io.modelprefetch.downloader.transfer.FakeSource.Serve;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The download engine's rules (range sizes, retries, resume, re-fetch on a digest mismatch),
 * specified in-process against {@link FakeSource}: no sockets, no second JVM. One connection keeps
 * the order of requests deterministic where a test asserts it.
 */
class EngineTest {
  private static final int KIB = 1 << 10;
  private static final int MIB = 1 << 20;
  private static final int RETRIES = 3;

  @TempDir Path dir;

  @Test
  void rangesHalveTowardTheEndOfAFile() throws Exception {
    FakeSource source = new FakeSource().file("model.bin", 8 * MIB, 1);

    pull(source, settings(1, 256 * KIB, 4 * MIB));

    assertThat(source.requests())
        .extracting(Request::length)
        .containsExactly(4L * MIB, 2L * MIB, 1L * MIB, 512L * KIB, 512L * KIB);
    assertThat(file("model.bin")).isEqualTo(source.bytes("model.bin"));
  }

  @Test
  void rangesOfAllConnectionsCoverEveryByteExactlyOnce() throws Exception {
    FakeSource source =
        new FakeSource()
            .file("a.bin", 3 * MIB + 17, 2)
            .file("b.bin", 5 * MIB, 3)
            .file("c.json", 999, 4);

    pull(source, settings(4, 256 * KIB, MIB));

    assertThat(source.bytesServed()).isEqualTo(8L * MIB + 17 + 999);
    for (String path : new String[] {"a.bin", "b.bin", "c.json"}) {
      long next = 0;
      for (Request r :
          source.requests().stream()
              .filter(r -> r.path().equals(path))
              .sorted(Comparator.comparingLong(Request::from))
              .toList()) {
        assertThat(r.from()).as("%s has no gap or overlap", path).isEqualTo(next);
        next = r.to();
      }
      assertThat(next).isEqualTo(source.remote(path).size());
      assertThat(file(path)).isEqualTo(source.bytes(path));
    }
  }

  @Test
  void aDroppedConnectionIsResumedFromTheLastByteReceived() throws Exception {
    FakeSource source =
        new FakeSource()
            .file("model.bin", 2 * MIB, 5)
            .fault(r -> r.from() == 0 && r.attempt() == 1 ? new DropAfter(300 * KIB) : new Serve());

    pull(source, settings(1, 512 * KIB, MIB));

    assertThat(source.requests())
        .startsWith(
            new Request("model.bin", 0, MIB, 1), new Request("model.bin", 300 * KIB, MIB, 1));
    assertThat(source.bytesServed()).as("no byte fetched twice").isEqualTo(2L * MIB);
    assertThat(file("model.bin")).isEqualTo(source.bytes("model.bin"));
  }

  @Test
  void aRefusedRangeIsRequestedAgainUntilItIsServed() throws Exception {
    FakeSource source =
        new FakeSource()
            .file("model.bin", 512 * KIB, 6)
            .fault(r -> r.attempt() <= RETRIES ? new Refuse(503) : new Serve());

    pull(source, settings(1, 256 * KIB, 2 * MIB));

    assertThat(source.requests()).extracting(Request::attempt).containsExactly(1, 2, 3, 4);
    assertThat(file("model.bin")).isEqualTo(source.bytes("model.bin"));
  }

  @Test
  void aRangeRefusedMoreOftenThanTheRetriesAllowFailsThePullNamingTheFile() throws Exception {
    FakeSource source =
        new FakeSource().file("model.bin", 512 * KIB, 7).fault(r -> new Refuse(503));

    assertThatThrownBy(() -> pull(source, settings(1, 256 * KIB, 2 * MIB)))
        .isInstanceOfSatisfying(
            DownloadException.class, e -> assertThat(e.failure()).isEqualTo(Failure.TRANSFER))
        .hasMessageContaining("giving up on model.bin after " + RETRIES + " failed attempts");
    assertThat(source.requests()).hasSize(RETRIES + 1);
    assertThat(dir.resolve("dest/model.bin")).doesNotExist();
  }

  @Test
  void aRefusalThatIsNotWorthARetryFailsThePullAtOnce() throws Exception {
    FakeSource source =
        new FakeSource().file("model.bin", 512 * KIB, 8).fault(r -> new Refuse(404));

    assertThatThrownBy(() -> pull(source, settings(1, 256 * KIB, 2 * MIB)))
        .isInstanceOfSatisfying(
            DownloadException.class, e -> assertThat(e.failure()).isEqualTo(Failure.SOURCE))
        .hasMessageContaining("404");
    assertThat(source.requests()).hasSize(1);
  }

  @Test
  void aStoppedPullResumesFetchingOnlyTheRangesItHadNotWritten() throws Exception {
    FakeSource source =
        new FakeSource()
            .file("model.bin", 2 * MIB, 9)
            .fault(r -> r.from() >= MIB ? new Refuse(404) : new Serve());
    TransferSettings settings = settings(1, 256 * KIB, 512 * KIB);
    assertThatThrownBy(() -> pull(source, settings)).isInstanceOf(DownloadException.class);
    source.reset();
    source.fault(r -> new Serve());

    pull(source, settings);

    assertThat(source.requests()).allSatisfy(r -> assertThat(r.from()).isGreaterThanOrEqualTo(MIB));
    assertThat(source.bytesServed()).isEqualTo(MIB);
    assertThat(file("model.bin")).isEqualTo(source.bytes("model.bin"));
  }

  @Test
  void aFileThatFailsVerificationIsFetchedWholeOnceMore() throws Exception {
    FakeSource source =
        new FakeSource()
            .file("model.bin", 2 * MIB, 10)
            .fault(r -> r.from() == 0 && r.attempt() == 1 ? new Corrupt() : new Serve());

    pull(source, settings(1, 256 * KIB, 512 * KIB));

    assertThat(source.bytesServed()).isEqualTo(2L * 2 * MIB);
    assertThat(file("model.bin")).isEqualTo(source.bytes("model.bin"));
  }

  @Test
  void aFileThatFailsVerificationTwiceFailsThePullAndLeavesNothingInPlace() throws Exception {
    FakeSource source = new FakeSource().file("model.bin", MIB, 11).fault(r -> new Corrupt());

    assertThatThrownBy(() -> pull(source, settings(1, 256 * KIB, 512 * KIB)))
        .isInstanceOfSatisfying(
            DownloadException.class, e -> assertThat(e.failure()).isEqualTo(Failure.VERIFY))
        .hasMessageContaining("model.bin failed verification twice: sha256");
    assertThat(dir.resolve("dest/model.bin")).doesNotExist();
    assertThat(dir.resolve("dest/.modelprefetch/manifest.json")).doesNotExist();
  }

  private static TransferSettings settings(int connections, int minChunk, int maxChunk) {
    return new TransferSettings(
        connections, minChunk, maxChunk, RETRIES, 256 * KIB, Duration.ofMillis(1));
  }

  private Pull.Result pull(FakeSource source, TransferSettings settings) throws Exception {
    return new Pull(source, Destination.open(dir.resolve("dest")), settings, new ProgressTracker())
        .run();
  }

  private byte[] file(String path) throws Exception {
    return Files.readAllBytes(dir.resolve("dest").resolve(path));
  }
}
