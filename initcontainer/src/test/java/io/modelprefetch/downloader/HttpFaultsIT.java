package io.modelprefetch.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelprefetch.fixtures.data.Datasets;
import io.modelprefetch.fixtures.http.Fault;
import io.modelprefetch.fixtures.http.HttpOrigin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every fault a real origin throws at a download, and the bytes that must come out anyway. */
class HttpFaultsIT {
  private static final long MIB = 1 << 20;
  private static final Predicate<String> MODEL = p -> p.equals("/model.bin");

  @TempDir Path tmp;
  HttpOrigin origin;
  String sha256;
  Path dest;

  private HttpOrigin serve(boolean ranges) throws Exception {
    return serve(HttpOrigin.builder().rangeSupport(ranges));
  }

  private HttpOrigin serve(HttpOrigin.Builder builder) throws Exception {
    Path root = Files.createDirectories(tmp.resolve("origin"));
    Datasets.writeFile(root.resolve("model.bin"), 24 * MIB, 7);
    sha256 = Datasets.sha256(root.resolve("model.bin"));
    dest = tmp.resolve("dest");
    origin = builder.root(root).start();
    return origin;
  }

  @AfterEach
  void stop() {
    if (origin != null) {
      origin.close();
    }
  }

  private Cli.Run pull(String... extra) throws Exception {
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
      "4",
      "--stall-timeout",
      "1s"
    };
    String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return new Cli().run(args);
  }

  private void assertModelIntact() throws Exception {
    assertThat(Datasets.sha256(dest.resolve("model.bin"))).isEqualTo(sha256);
    assertThat(dest.resolve(".modelprefetch/manifest.json")).exists();
  }

  @Test
  void connectionResetsMidBodyAreRetriedFromWhereTheyStopped() throws Exception {
    serve(true).faults().inject(MODEL, 3, new Fault.Reset(MIB));
    pull().assertExit(0);
    assertModelIntact();
    assertThat(origin.faults().pending()).isZero();
    assertThat(origin.stats().totalBodyBytes())
        .as("only the lost tails are fetched again")
        .isLessThanOrEqualTo(24 * MIB + 3 * 4 * MIB);
  }

  @Test
  void truncatedBodiesAreDetectedAndCompleted() throws Exception {
    serve(true).faults().inject(MODEL, 3, new Fault.Truncate(MIB / 2));
    Cli.Run run = pull().assertExit(0);
    assertModelIntact();
    assertThat(run.stderr()).contains("retrying");
  }

  @Test
  void aBurstOf5xxIsRiddenOut() throws Exception {
    serve(true)
        .faults()
        .inject(MODEL, 5, new Fault.Status(503))
        .inject(MODEL, 2, new Fault.Status(500));
    pull().assertExit(0);
    assertModelIntact();
    assertThat(origin.faults().pending()).isZero();
  }

  @Test
  void tooManyFailuresGiveUpWithExitCode4AndNothingUnderTheFinalPath() throws Exception {
    serve(true).faults().inject(MODEL, 1000, new Fault.Reset(0));
    Cli.Run run = pull("--retries", "2").assertExit(4);
    assertThat(run.stderr()).contains("giving up on model.bin after 2 failed attempts");
    assertThat(dest.resolve("model.bin")).doesNotExist();
    assertThat(dest.resolve(".modelprefetch/manifest.json")).doesNotExist();
  }

  @Test
  void tooManyRequestsWithRetryAfterPausesAndSucceeds() throws Exception {
    serve(true).faults().inject(MODEL, 2, new Fault.Status(429, Duration.ofSeconds(1)));
    Cli.Run run = pull().assertExit(0);
    assertModelIntact();
    assertThat(run.stderr()).contains("429").contains("in 1000 ms");
  }

  @Test
  void aStalledConnectionIsAbandonedAndItsRangeReissued() throws Exception {
    serve(true).faults().inject(MODEL, 1, new Fault.Stall(MIB, Duration.ofSeconds(20)));
    Cli.Run run = pull().assertExit(0);
    assertModelIntact();
    assertThat(run.stderr()).contains("Read timed out");
  }

  @Test
  void wrongBytesFailTheDigestAndTheFileIsFetchedOnceMore() throws Exception {
    serve(true).faults().inject(MODEL, 1, new Fault.Corrupt(5 * MIB + 3));
    Cli.Run run = pull().assertExit(0);
    assertModelIntact();
    assertThat(run.stderr()).contains("failed verification").contains("fetching it again");
    assertThat(origin.stats().totalBodyBytes()).isEqualTo(2 * 24 * MIB);
  }

  @Test
  void bytesThatStayWrongFailWithExitCode5AndNeverAppear() throws Exception {
    serve(true).faults().inject(MODEL, 2, new Fault.Corrupt(MIB));
    Cli.Run run = pull().assertExit(5);
    assertThat(run.stderr()).contains("model.bin failed verification twice");
    assertThat(dest.resolve("model.bin")).doesNotExist();
  }

  @Test
  void aServerWithoutRangesIsReadAsOneStreamAndRestartedOnFailure() throws Exception {
    serve(false).faults().inject(MODEL, 1, new Fault.Reset(10 * MIB));
    pull().assertExit(0);
    assertModelIntact();
    assertThat(origin.stats().rangeHeaders()).allSatisfy(h -> assertThat(h).isNull());
    assertThat(origin.stats().totalBodyBytes()).isEqualTo(10 * MIB + 24 * MIB);
  }

  @Test
  void aSourceThatKeepsFailingToResolveIsASourceError() throws Exception {
    serve(true).faults().inject(MODEL, 1000, new Fault.Status(502));
    Cli.Run run = pull("--retries", "1").assertExit(3);
    assertThat(run.stderr())
        .contains("gave up on resolving the source after 2 attempts")
        .contains("502");
  }

  @Test
  void aWrongExpectedDigestIsAVerificationFailure() throws Exception {
    serve(true);
    Cli.Run run =
        new Cli()
            .run(
                "pull",
                origin.uri("model.bin").toString(),
                "--dest",
                dest.toString(),
                "--sha256",
                "0".repeat(64),
                "--progress",
                "none");
    run.assertExit(5);
    assertThat(run.stderr()).contains("instead of " + "0".repeat(64));
  }

  @Test
  void eachRefusedRequestWaitsItsOwnFullRetryAfter() throws Exception {
    assertEightRefusalsEachWaitedTheirOwn(new Fault.Status(429, Duration.ofSeconds(1)));
  }

  @Test
  void refusalsOfOneBurstArrivingSpreadOutEachWaitTheirOwnRetryAfter() throws Exception {
    // The refusals of the parallel ranges leave 60 ms apart: a client that times every retry of
    // the burst from its first refusal sends the later ones up to ~420 ms early.
    assertEightRefusalsEachWaitedTheirOwn(
        new Fault.Status(429, Duration.ofSeconds(1), Duration.ofMillis(60)));
  }

  private void assertEightRefusalsEachWaitedTheirOwn(Fault.Status refusal) throws Exception {
    serve(true).faults().inject(MODEL, 8, refusal);
    pull().assertExit(0);
    assertModelIntact();
    assertThat(origin.faults().pending()).isZero();
    assertThat(origin.stats().retryAfterViolations()).isEmpty();
  }

  @Test
  void aRetryAfterBeyondTheBoundEndsThePullNamingTheDelayInsteadOfRetryingEarly() throws Exception {
    serve(true).faults().inject(MODEL, 1, new Fault.Status(429, Duration.ofSeconds(301)));
    long start = System.nanoTime();
    Cli.Run run = pull().assertExit(3);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
    assertThat(run.stderr()).contains("after 301 s (Retry-After), longer than the 5 minutes");
    assertThat(origin.stats().requests("/model.bin")).as("never asked again early").isEqualTo(1);
    assertThat(dest.resolve("model.bin")).doesNotExist();
  }

  @Test
  void aServerThatIgnoresRangeIsReadAsOneWholeFileStreamAndSaidOnce() throws Exception {
    serve(HttpOrigin.builder().ignoresRange());
    Cli.Run run = pull().assertExit(0);
    assertModelIntact();
    assertThat(run.stderr().split("ignores Range", -1))
        .as("said once:%n%s", run.stderr())
        .hasSize(2);
    assertThat(origin.stats().requests())
        .as("one whole-file stream, without a Range header")
        .filteredOn(r -> r.method().equals("GET") && r.headers().firstValue("Range").isEmpty())
        .hasSize(1);
  }

  @Test
  void aRefusedConnectionNamesTheHostAndPort() throws Exception {
    int port;
    try (java.net.ServerSocket unused =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = unused.getLocalPort();
    }
    dest = tmp.resolve("dest");
    Cli.Run run =
        new Cli()
            .run(
                "pull",
                "http://127.0.0.1:" + port + "/model.bin",
                "--dest",
                dest.toString(),
                "--progress",
                "none",
                "--retries",
                "1");
    run.assertExit(3);
    assertThat(run.stderr())
        .contains("cannot connect to 127.0.0.1:" + port)
        .contains("Connection refused");
    assertThat(dest).doesNotExist();
  }
}
