package io.modelprefetch.downloader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.modelprefetch.fixtures.data.Datasets;
import io.modelprefetch.fixtures.http.Fault;
import io.modelprefetch.fixtures.http.HttpOrigin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two pulls into one destination at once (a retried pod while the old one still runs): the second
 * waits for the first's lock, then finds the model complete; or gives up after --lock-timeout.
 */
class ConcurrentPullsIT {
  private static final long MIB = 1 << 20;
  @TempDir Path tmp;
  HttpOrigin origin;
  Path dest;
  String sha256;

  @BeforeEach
  void start() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("origin"));
    Datasets.writeFile(root.resolve("model.bin"), 16 * MIB, 11);
    sha256 = Datasets.sha256(root.resolve("model.bin"));
    origin = HttpOrigin.builder().root(root).start();
    // The first pull's first range goes silent for a while: it holds the destination meanwhile.
    origin
        .faults()
        .inject(p -> p.equals("/model.bin"), 1, new Fault.Stall(MIB, Duration.ofSeconds(8)));
    dest = tmp.resolve("dest");
  }

  @AfterEach
  void stop() {
    origin.close();
  }

  private String[] pull(String... extra) {
    String[] base = {
      "pull",
      origin.uri("model.bin").toString(),
      "--dest",
      dest.toString(),
      "--sha256",
      sha256,
      "--progress",
      "none",
      "--chunk-size",
      "4MiB",
      "--connections",
      "2"
    };
    String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return args;
  }

  private Process startFirstAndAwaitItsLock() throws Exception {
    Process first = new Cli().start(pull());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Files.isRegularFile(dest.resolve(".modelprefetch/lock"))
                    && Files.readString(dest.resolve(".modelprefetch/lock"))
                        .startsWith("pid " + first.pid()));
    return first;
  }

  @Test
  void theSecondPullWaitsForTheFirstAndFindsTheModelComplete() throws Exception {
    Process first = startFirstAndAwaitItsLock();
    Cli.Run second = new Cli().run(pull());
    assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).as("first pull; stderr:%n%s", Cli.read(first, "err")).isZero();
    second.assertExit(0);
    assertThat(second.stderr())
        .contains("waiting for another modelprefetch pull into")
        .contains("pid " + first.pid())
        .contains("up to date");
    assertThat(Datasets.sha256(dest.resolve("model.bin"))).isEqualTo(sha256);
    assertThat(dest.resolve(".modelprefetch/partial")).doesNotExist();
    assertThat(origin.stats().totalBodyBytes())
        .as("the second pull fetched nothing")
        .isLessThanOrEqualTo(16 * MIB + MIB);
  }

  @Test
  void theSecondPullGivesUpAfterTheLockTimeoutWithExitCode6() throws Exception {
    Process first = startFirstAndAwaitItsLock();
    Cli.Run second = new Cli().run(pull("--lock-timeout", "1s"));
    second.assertExit(6);
    assertThat(second.stderr())
        .contains("is in use by another modelprefetch pull (pid " + first.pid() + ")")
        .contains("--lock-timeout");
    assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).isZero();
    assertThat(Datasets.sha256(dest.resolve("model.bin"))).isEqualTo(sha256);
  }
}
