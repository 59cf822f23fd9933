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

/** Bad destinations and bad arguments: clear errors, documented exit codes, nothing half-written. */
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
    return new Cli().run("pull", origin.uri(file).toString(), "--dest", dest.toString(), "--progress", "none");
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
    Path small = Files.createDirectories(tmp.resolve("small"));
    mount("-t", "tmpfs", "-o", "size=4m", "tmpfs", small.toString());
    try {
      Cli.Run run = new Cli().run("pull", origin.uri("model.bin").toString(), "--dest", small.resolve("m").toString(),
          "--progress", "none");
      run.assertExit(6);
      assertThat(run.stderr()).contains("free but the download needs").contains("give the volume more space");
      assertThat(small.resolve("m/model.bin")).doesNotExist();
      assertThat(origin.stats().totalBodyBytes()).isZero();
    } finally {
      mount(null, small.toString());
    }
  }

  @Test
  void anUnwritableDestinationIsExitCode6() throws Exception {
    Path locked = Files.createDirectories(tmp.resolve("locked"));
    Files.writeString(locked.resolve("file"), "x");
    Cli.Run run = new Cli().run("pull", origin.uri("model.bin").toString(), "--dest", locked.resolve("file/m").toString(),
        "--progress", "none");
    run.assertExit(6);
    assertThat(run.stderr()).contains("cannot use destination");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
  }

  @Test
  void invalidSourcesAreUsageErrors() throws Exception {
    Cli.Run run = new Cli().run("pull", "ftp://host/file", "--dest", dest.toString());
    run.assertExit(2);
    assertThat(run.stderr()).contains("unsupported scheme").contains("hf://org/repo");
    new Cli().run("pull", "hf://not a repo", "--dest", dest.toString()).assertExit(2);
    new Cli().run("pull", "https://host/", "--dest", dest.toString(), "--progress", "none").assertExit(2);
    assertThat(new Cli().run("pull", "--dest", dest.toString()).assertExit(2).stderr())
        .contains("give a SOURCE (hf://, s3://, https://) or --input-file");
  }

  @Test
  void verifyFindsATamperedFileAndWaitReturnsOnceComplete() throws Exception {
    new Cli().run("wait", "--dest", dest.toString(), "--timeout", "1s", "--poll-interval", "100ms").assertExit(7);
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
    new Cli().run("pull", origin.uri("sub/model.bin").toString(), "--dest", dest.toString(), "--progress", "none",
        "--termination-message-path", message.toString()).assertExit(0);
    assertThat(Files.readString(message)).contains("\"status\":\"done\"").contains("\"bytes\":" + MIB);
    new Cli().run("pull", origin.uri("missing.bin").toString(), "--dest", dest.toString(), "--progress", "none",
        "--termination-message-path", message.toString()).assertExit(3);
    assertThat(Files.readString(message)).contains("\"status\":\"failed\"").contains("404");
  }

  private static void mount(String... args) throws Exception {
    String[] command = args[0] == null ? new String[] {"umount", args[1]} : prepend("mount", args);
    Process p = new ProcessBuilder(command).inheritIO().start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s (the tests run as root on CI)", String.join(" ", command)).isZero();
  }

  private static String[] prepend(String first, String[] rest) {
    String[] out = new String[rest.length + 1];
    out[0] = first;
    System.arraycopy(rest, 0, out, 1, rest.length);
    return out;
  }
}
