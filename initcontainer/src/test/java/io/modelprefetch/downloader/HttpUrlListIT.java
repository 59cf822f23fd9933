package io.modelprefetch.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelprefetch.fixtures.data.Datasets;
import io.modelprefetch.fixtures.http.HttpOrigin;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several https:// files in one pull: as arguments and from an aria2c-style --input-file. */
class HttpUrlListIT {
  private static final long KIB = 1024;
  @TempDir Path tmp;
  HttpOrigin origin;
  Path dest;
  final String[] sha256 = new String[3];

  @BeforeEach
  void serve() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("origin/a"));
    long[] sizes = {5 * 1024 * KIB, 64 * KIB, 1};
    for (int i = 0; i < 3; i++) {
      Path f = root.resolve("f" + i + ".bin");
      Datasets.writeFile(f, sizes[i], 40 + i);
      sha256[i] = Datasets.sha256(f);
    }
    origin = HttpOrigin.builder().root(tmp.resolve("origin")).start();
    dest = tmp.resolve("dest");
  }

  @AfterEach
  void stop() {
    origin.close();
  }

  private String url(int i) {
    return origin.uri("a/f" + i + ".bin").toString();
  }

  @Test
  void anInputFilePullsEveryUrlToItsOutPathCheckedAgainstItsChecksum() throws Exception {
    Path list = tmp.resolve("urls.txt");
    Files.writeString(
        list,
        "# three files\n"
            + url(0)
            + "\n  out=weights/model.bin\n  checksum=sha-256="
            + sha256[0]
            + "\n\n"
            + url(1)
            + "\n  checksum=sha-256="
            + sha256[1]
            + "\n"
            + url(2)
            + "\n");
    new Cli()
        .run(
            "pull",
            "--input-file",
            list.toString(),
            "--dest",
            dest.toString(),
            "--progress",
            "none",
            "--chunk-size",
            "1MiB")
        .assertExit(0);
    assertThat(Datasets.sha256(dest.resolve("weights/model.bin"))).isEqualTo(sha256[0]);
    assertThat(Datasets.sha256(dest.resolve("f1.bin"))).isEqualTo(sha256[1]);
    assertThat(Datasets.sha256(dest.resolve("f2.bin"))).isEqualTo(sha256[2]);
    String manifest = Files.readString(dest.resolve(".modelprefetch/manifest.json"));
    assertThat(manifest)
        .contains("sha256:" + sha256[0])
        .contains("\"weights/model.bin\"")
        .contains("(+2 more)");
    new Cli().run("verify", "--dest", dest.toString()).assertExit(0);
  }

  @Test
  void severalUrlArgumentsLandUnderTheirFileNames() throws Exception {
    new Cli()
        .run("pull", url(1), url(2), "--dest", dest.toString(), "--progress", "none")
        .assertExit(0);
    assertThat(Datasets.sha256(dest.resolve("f1.bin"))).isEqualTo(sha256[1]);
    assertThat(Datasets.sha256(dest.resolve("f2.bin"))).isEqualTo(sha256[2]);
  }

  @Test
  void aWrongChecksumFailsVerificationAndLeavesNothingUnderTheFinalPath() throws Exception {
    Path list = tmp.resolve("urls.txt");
    Files.writeString(list, url(1) + "\n  checksum=sha-256=" + sha256[2] + "\n");
    Cli.Run run =
        new Cli()
            .run(
                "pull",
                "--input-file",
                list.toString(),
                "--dest",
                dest.toString(),
                "--progress",
                "none");
    run.assertExit(5);
    assertThat(run.stderr()).contains("f1.bin failed verification twice");
    assertThat(dest.resolve("f1.bin")).doesNotExist();
  }

  @Test
  void badListsAreUsageErrors() throws Exception {
    Path list = tmp.resolve("urls.txt");
    Files.writeString(list, url(1) + "\n" + url(1).replace("/a/", "/a/../a/") + "\n");
    assertThat(
            new Cli()
                .run("pull", "--input-file", list.toString(), "--dest", dest.toString())
                .assertExit(2)
                .stderr())
        .contains("two URLs would land at 'f1.bin'");
    Files.writeString(list, url(1) + "\n  split=4\n");
    assertThat(
            new Cli()
                .run("pull", "--input-file", list.toString(), "--dest", dest.toString())
                .assertExit(2)
                .stderr())
        .contains("urls.txt:2: unsupported option 'split=4'");
    assertThat(
            new Cli()
                .run("pull", url(1), "s3://bucket/x", "--dest", dest.toString())
                .assertExit(2)
                .stderr())
        .contains("is not an http(s):// URL");
    assertThat(
            new Cli()
                .run("pull", url(1), url(2), "--sha256", sha256[1], "--dest", dest.toString())
                .assertExit(2)
                .stderr())
        .contains("--sha256 is for a single https:// file");
  }
}
