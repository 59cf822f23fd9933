package io.modelprefetch.downloader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.modelprefetch.fixtures.data.Datasets;
import io.modelprefetch.fixtures.http.Fault;
import io.modelprefetch.fixtures.http.HttpOrigin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL (or SIGTERM) halfway, start again with the same arguments: only what was not on disk (not
 * journalled) is fetched.
 */
class ResumeAfterKillIT {
  private static final long MIB = 1 << 20;
  private static final long SIZE = 96 * MIB;

  @TempDir Path tmp;

  @Test
  void aKilledPullResumesAndFetchesOnlyTheBytesItHadNotJournalled() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("origin"));
    Datasets.writeFile(root.resolve("model.bin"), SIZE, 11);
    String sha256 = Datasets.sha256(root.resolve("model.bin"));
    Path dest = tmp.resolve("dest");
    try (HttpOrigin origin = HttpOrigin.builder().root(root).start()) {
      // The first 12 ranges (48 MiB, half the file) flow; every later request stalls, so the
      // download is frozen at 50 % when we kill it.
      AtomicInteger gets = new AtomicInteger();
      origin
          .faults()
          .inject(
              p -> gets.incrementAndGet() > 12, 1000, new Fault.Stall(0, Duration.ofSeconds(60)));
      String[] args = {
        "pull",
        origin.uri("model.bin").toString(),
        "--dest",
        dest.toString(),
        "--sha256",
        sha256,
        "--progress",
        "none",
        "--connections",
        "4",
        "--chunk-size",
        "4MiB",
        "--stall-timeout",
        "60s"
      };
      Process first = new Cli().start(args);
      Path journal = dest.resolve(".modelprefetch/journal/model.bin.journal");
      await().atMost(Duration.ofSeconds(60)).until(() -> journalled(journal) >= SIZE / 2);
      first.destroyForcibly().waitFor();
      long onDisk = journalled(journal);
      assertThat(onDisk).isEqualTo(SIZE / 2);
      assertThat(dest.resolve("model.bin")).doesNotExist();

      origin.faults().clear();
      origin.stats().reset();
      new Cli().run(args).assertExit(0);
      assertThat(Datasets.sha256(dest.resolve("model.bin"))).isEqualTo(sha256);
      assertThat(origin.stats().totalBodyBytes())
          .as("bytes fetched after the restart")
          .isEqualTo(SIZE - onDisk);
    }
  }

  @Test
  void aTerminatedPullJournalsTheBytesItWroteSinceItsLastCheckpoint() throws Exception {
    long size = 32 * MIB;
    Path root = Files.createDirectories(tmp.resolve("origin"));
    Datasets.writeFile(root.resolve("model.bin"), size, 12);
    String sha256 = Datasets.sha256(root.resolve("model.bin"));
    Path dest = tmp.resolve("dest");
    try (HttpOrigin origin = HttpOrigin.builder().root(root).start()) {
      // Ranges of 2-8 MiB over 4 connections; every response stalls after 1 MiB, so each connection
      // has written 1 MiB that no 4 MiB checkpoint journalled when the pull gets SIGTERM (as a
      // deleted pod does). Those 4 MiB are on disk: the next pull must not fetch them again.
      origin.faults().inject(p -> true, 1000, new Fault.Stall(MIB, Duration.ofSeconds(60)));
      String[] args = {
        "pull",
        origin.uri("model.bin").toString(),
        "--dest",
        dest.toString(),
        "--sha256",
        sha256,
        "--progress",
        "json",
        "--connections",
        "4",
        "--chunk-size",
        "8MiB",
        "--stall-timeout",
        "60s"
      };
      Process first = new Cli().start(args);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Cli.read(first, "out").contains("\"transferredBytes\":" + 4 * MIB));
      first.destroy();
      first.waitFor();
      assertThat(journalled(dest.resolve(".modelprefetch/journal/model.bin.journal")))
          .as("journalled at SIGTERM")
          .isEqualTo(4 * MIB);

      origin.faults().clear();
      origin.stats().reset();
      new Cli().run(args).assertExit(0);
      assertThat(Datasets.sha256(dest.resolve("model.bin"))).isEqualTo(sha256);
      assertThat(origin.stats().totalBodyBytes())
          .as("bytes fetched after the restart")
          .isEqualTo(size - 4 * MIB);
    }
  }

  @Test
  void filesVerifiedBeforeTheKillAreNotFetchedAgain() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("origin"));
    for (int i = 1; i <= 6; i++) {
      Datasets.writeFile(root.resolve("shard-" + i + ".bin"), 8 * MIB, 100 + i);
    }
    Path dest = tmp.resolve("dest");
    // Six 8 MiB shards in 4 MiB ranges: shards 1-3 flow, every request for shards 4-6 stalls (the
    // CDN path names the content's sha256), and the pull is killed once shards 1-3 are in place
    // (they may finish in any order: on a loaded machine shard 3 can be verified before shard 2).
    try (var hub =
        io.modelprefetch.fixtures.hub.HubFixture.builder()
            .repo(
                "acme/shards",
                r -> {
                  for (int i = 1; i <= 6; i++) {
                    r.lfsFile("shard-" + i + ".bin", root.resolve("shard-" + i + ".bin"));
                  }
                })
            .start()) {
      java.util.List<String> stalled =
          java.util.stream.IntStream.rangeClosed(4, 6)
              .mapToObj(i -> Datasets.sha256(root.resolve("shard-" + i + ".bin")))
              .toList();
      hub.cdnFaults()
          .inject(
              p -> stalled.stream().anyMatch(p::contains),
              1000,
              new Fault.Stall(0, Duration.ofSeconds(60)));
      String[] args = {
        "pull",
        "hf://acme/shards",
        "--endpoint",
        hub.endpoint().toString(),
        "--dest",
        dest.toString(),
        "--progress",
        "none",
        "--connections",
        "4",
        "--chunk-size",
        "4MiB",
        "--stall-timeout",
        "60s"
      };
      Process first = new Cli().start(args);
      // A shard is verified once the verified log names it.
      Path log = dest.resolve(".modelprefetch/verified.log");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                String verified = Files.exists(log) ? Files.readString(log) : "";
                return java.util.stream.IntStream.rangeClosed(1, 3)
                    .allMatch(i -> verified.contains("\tshard-" + i + ".bin\n"));
              });
      first.destroyForcibly().waitFor();
      assertThat(dest.resolve("shard-4.bin")).doesNotExist();

      hub.cdnFaults().clear();
      hub.cdnStats().reset();
      Cli.Run second = new Cli().run(args).assertExit(0);
      for (int i = 1; i <= 6; i++) {
        assertThat(Datasets.sha256(dest.resolve("shard-" + i + ".bin")))
            .isEqualTo(Datasets.sha256(root.resolve("shard-" + i + ".bin")));
      }
      assertThat(hub.cdnStats().totalBodyBytes())
          .as("only shards 4-6 are fetched again; the restart's stderr:%n%s", second.stderr())
          .isEqualTo(3 * 8 * MIB);
      assertThat(dest.resolve(".modelprefetch/journal")).doesNotExist();
    }
  }

  /** Bytes covered by the journal's complete lines (ranges never overlap). */
  private static long journalled(Path journal) throws Exception {
    if (!Files.exists(journal)) {
      return 0;
    }
    String text = Files.readString(journal);
    long sum = 0;
    String[] lines = text.substring(0, Math.max(0, text.lastIndexOf('\n'))).split("\n");
    for (int i = 1; i < lines.length; i++) {
      String[] parts = lines[i].split(" ");
      sum += Long.parseLong(parts[1]) - Long.parseLong(parts[0]);
    }
    return sum;
  }
}
