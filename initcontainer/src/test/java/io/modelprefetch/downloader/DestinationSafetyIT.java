package io.modelprefetch.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelprefetch.fixtures.data.Datasets;
import io.modelprefetch.fixtures.http.HttpOrigin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad destinations and bad arguments: clear errors, documented exit codes, nothing half-written.
 */
class DestinationSafetyIT {
  private static final int MIB = 1 << 20;
  @TempDir Path tmp;
  HttpOrigin origin;
  Path dest;

  @BeforeEach
  void start() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("origin"));
    Datasets.writeFile(root.resolve("model.bin"), 16 * MIB, 3);
    Files.createDirectories(root.resolve("sub"));
    Datasets.writeFile(root.resolve("sub/model.bin"), MIB, 4);
    origin = HttpOrigin.builder().root(root).start();
    dest = tmp.resolve("dest");
  }

  @AfterEach
  void stop() {
    origin.close();
  }

  private Cli.Run pull(String file) throws Exception {
    return new Cli()
        .run("pull", origin.uri(file).toString(), "--dest", dest.toString(), "--progress", "none");
  }

  @Test
  void aSymlinkInsideTheDestinationIsNeverFollowed() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.createDirectories(dest.resolve(".modelprefetch"));
    Files.createSymbolicLink(dest.resolve(".modelprefetch/partial"), outside);
    Cli.Run run = pull("model.bin").assertExit(6);
    assertThat(run.stderr()).contains("refusing to follow the symlink");
    try (var files = Files.list(outside)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aFullVolumeIsReportedBeforeDownloadingWithExitCode6() throws Exception {
    onTmpfs(
        "size=4m",
        small -> {
          Cli.Run run = pullInto(small.resolve("m")).assertExit(6);
          assertThat(run.stderr())
              .contains("free but the download needs")
              .contains("give the volume more space");
          assertThat(small.resolve("m/model.bin")).doesNotExist();
          assertThat(origin.stats().totalBodyBytes()).isZero();
        });
  }

  @Test
  void anUnwritableDestinationIsExitCode6() throws Exception {
    Path locked = Files.createDirectories(tmp.resolve("locked"));
    Files.writeString(locked.resolve("file"), "x");
    Cli.Run run = pullInto(locked.resolve("file/m")).assertExit(6);
    assertThat(run.stderr())
        .contains("cannot use destination")
        .contains(locked.resolve("file") + " exists and is not a directory");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
  }

  @Test
  void invalidSourcesAreUsageErrors() throws Exception {
    Cli.Run run = new Cli().run("pull", "ftp://host/file", "--dest", dest.toString());
    run.assertExit(2);
    assertThat(run.stderr()).contains("unsupported scheme").contains("hf://org/repo");
    new Cli().run("pull", "hf://not a repo", "--dest", dest.toString()).assertExit(2);
    new Cli()
        .run("pull", "https://host/", "--dest", dest.toString(), "--progress", "none")
        .assertExit(2);
    assertThat(new Cli().run("pull", "--dest", dest.toString()).assertExit(2).stderr())
        .contains("give a SOURCE (hf://, s3://, https://) or --input-file");
  }

  @Test
  void aDestinationThatCannotBeCreatedSaysWhy() throws Exception {
    Cli.Run run = pullInto(Path.of("/proc/modelprefetch-test")).assertExit(6);
    assertThat(run.stderr())
        .contains(
            "cannot use destination /proc/modelprefetch-test: cannot create"
                + " /proc/modelprefetch-test")
        .contains("does not allow new directories");
  }

  @Test
  void aReadOnlyDestinationSaysItIsReadOnly() throws Exception {
    onTmpfs(
        "ro,size=1m",
        readOnly ->
            assertThat(pullInto(readOnly.resolve("m")).assertExit(6).stderr())
                .contains("is on a read-only file system: mount the volume read-write"));
  }

  @Test
  void verifyWithoutACompletedPullIsADestinationErrorNotAMismatch() throws Exception {
    Files.createDirectories(dest);
    Cli.Run run = new Cli().run("verify", "--dest", dest.toString()).assertExit(6);
    assertThat(run.stderr())
        .contains("holds no completed pull")
        .contains("run modelprefetch pull first");
  }

  @Test
  void anEmptyRevisionIsAUsageError() throws Exception {
    Cli.Run run =
        new Cli()
            .run(
                "pull",
                "hf://acme/model",
                "--revision",
                "",
                "--dest",
                dest.toString(),
                "--progress",
                "none")
            .assertExit(2);
    assertThat(run.stderr()).contains("--revision must name a branch, tag or commit");
    assertThat(dest).doesNotExist();
  }

  @Test
  void verifyFindsATamperedFileAndWaitReturnsOnceComplete() throws Exception {
    Cli.Run timedOut =
        new Cli()
            .run("wait", "--dest", dest.toString(), "--timeout", "1s", "--poll-interval", "100ms")
            .assertExit(7);
    assertThat(timedOut.stderr())
        .contains("no completed pull in " + dest + " after 1s")
        .doesNotContain("PT");
    pull("model.bin").assertExit(0);
    new Cli().run("wait", "--dest", dest.toString(), "--timeout", "5s").assertExit(0);
    new Cli().run("verify", "--dest", dest.toString()).assertExit(0);
    byte[] bytes = Files.readAllBytes(dest.resolve("model.bin"));
    bytes[12345] ^= 1;
    Files.write(dest.resolve("model.bin"), bytes);
    Cli.Run run = new Cli().run("verify", "--dest", dest.toString()).assertExit(5);
    assertThat(run.stderr()).contains("model.bin: sha256:").contains("instead of");
  }

  @Test
  void aTerminationMessageSummarisesTheOutcome() throws Exception {
    Path message = tmp.resolve("termination-log");
    new Cli()
        .run(
            "pull",
            origin.uri("sub/model.bin").toString(),
            "--dest",
            dest.toString(),
            "--progress",
            "none",
            "--termination-message-path",
            message.toString())
        .assertExit(0);
    assertThat(Files.readString(message))
        .contains("\"status\":\"done\"")
        .contains("\"bytes\":" + MIB);
    new Cli()
        .run(
            "pull",
            origin.uri("missing.bin").toString(),
            "--dest",
            dest.toString(),
            "--progress",
            "none",
            "--termination-message-path",
            message.toString())
        .assertExit(3);
    assertThat(Files.readString(message)).contains("\"status\":\"failed\"").contains("404");
  }

  private Cli.Run pullInto(Path target) throws Exception {
    return new Cli()
        .run(
            "pull",
            origin.uri("model.bin").toString(),
            "--dest",
            target.toString(),
            "--progress",
            "none");
  }

  private interface OnMount {
    void run(Path mountPoint) throws Exception;
  }

  /**
   * Runs {@code test} against a fresh tmpfs mounted with {@code options} (the tests run as root on
   * CI).
   */
  private void onTmpfs(String options, OnMount test) throws Exception {
    Path mountPoint = Files.createDirectories(tmp.resolve("mnt-" + options.replaceAll("\\W", "")));
    mount("-t", "tmpfs", "-o", options, "tmpfs", mountPoint.toString());
    try {
      test.run(mountPoint);
    } finally {
      mount(null, mountPoint.toString());
    }
  }

  private static void mount(String... args) throws Exception {
    String[] command = args[0] == null ? new String[] {"umount", args[1]} : prepend("mount", args);
    Process p = new ProcessBuilder(command).inheritIO().start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue())
        .as("%s (the tests run as root on CI)", String.join(" ", command))
        .isZero();
  }

  private static String[] prepend(String first, String[] rest) {
    String[] out = new String[rest.length + 1];
    out[0] = first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }
}
