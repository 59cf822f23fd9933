package io.modelprefetch.downloader.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.report.ProgressTracker;
import io.modelprefetch.downloader.verify.VerifiedLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pull stopped at any point after a file was verified does not fetch that file again. The stop
 * between logging a file as verified and renaming it into place is made deterministic by a
 * directory in the way of the rename (the pull fails there, as a kill would stop it there).
 */
class InterruptedPullTest {
  private static final int KIB = 1 << 10;
  private static final TransferSettings SETTINGS =
      new TransferSettings(2, 256 * KIB, 512 * KIB, 3, 256 * KIB, Duration.ofMillis(1));

  @TempDir Path dir;

  @Test
  void aOneRequestFileLoggedButNotRenamedIsRenamedByTheNextPullWithoutARequest() throws Exception {
    FakeSource source = new FakeSource().file("config.json", 100 * KIB, 1);
    stopBeforeTheRename(source, "config.json");

    Pull.Result result = pull(source);

    assertThat(source.requests()).isEmpty();
    assertThat(Files.readAllBytes(dest().resolve("config.json")))
        .isEqualTo(source.bytes("config.json"));
    assertThat(result.filesReused()).isEqualTo(1);
    assertThat(dest().resolve(".modelprefetch/partial/config.json")).doesNotExist();
  }

  @Test
  void aRangedFileLoggedButNotRenamedIsRenamedByTheNextPullWithoutARequest() throws Exception {
    FakeSource source = new FakeSource().file("model.bin", 1536 * KIB, 2);
    stopBeforeTheRename(source, "model.bin");

    pull(source);

    assertThat(source.requests()).isEmpty();
    assertThat(Files.readAllBytes(dest().resolve("model.bin")))
        .isEqualTo(source.bytes("model.bin"));
  }

  @Test
  void aLoggedFileWhosePartialNoLongerHoldsTheLoggedBytesIsFetchedAgain() throws Exception {
    FakeSource source = new FakeSource().file("config.json", 100 * KIB, 3);
    stopBeforeTheRename(source, "config.json");
    Files.write(dest().resolve(".modelprefetch/partial/config.json"), new byte[100 * KIB]);

    pull(source);

    assertThat(source.bytesServed()).isEqualTo(100 * KIB);
    assertThat(Files.readAllBytes(dest().resolve("config.json")))
        .isEqualTo(source.bytes("config.json"));
  }

  @Test
  void aFileLoggedAndRenamedBeforeTheStopIsReusedWithoutARequest() throws Exception {
    FakeSource source = new FakeSource().file("config.json", 100 * KIB, 4);
    Files.createDirectories(dest().resolve(".modelprefetch"));
    Files.write(dest().resolve("config.json"), source.bytes("config.json"));
    try (VerifiedLog log = new VerifiedLog(dest().resolve(".modelprefetch/verified.log"))) {
      log.add(
          source.remote("config.json").identity(),
          FakeSource.sha256(source.bytes("config.json")).toString(),
          "config.json");
    }

    Pull.Result result = pull(source);

    assertThat(source.requests()).isEmpty();
    assertThat(result.filesReused()).isEqualTo(1);
  }

  /**
   * Runs a pull that verifies {@code path} and then cannot rename it (a non-empty directory is at
   * its final path); checks it was logged first, then clears the way and the request counts.
   */
  private void stopBeforeTheRename(FakeSource source, String path) throws Exception {
    Path blocker = Files.createDirectories(dest().resolve(path));
    Files.writeString(blocker.resolve("in-the-way"), "x");

    assertThatThrownBy(() -> pull(source)).isInstanceOf(DownloadException.class);

    assertThat(Files.readString(dest().resolve(".modelprefetch/verified.log")))
        .endsWith("\t" + path + "\n");
    assertThat(dest().resolve(".modelprefetch/partial/" + path))
        .hasBinaryContent(source.bytes(path));
    Files.delete(blocker.resolve("in-the-way"));
    Files.delete(blocker);
    source.reset();
  }

  private Pull.Result pull(FakeSource source) throws Exception {
    return new Pull(source, Destination.open(dest()), SETTINGS, new ProgressTracker()).run();
  }

  private Path dest() {
    return dir.resolve("dest");
  }
}
