package io.modelprefetch.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelprefetch.fixtures.data.Datasets;
import io.modelprefetch.fixtures.http.HttpOrigin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkout's launcher ({@code hack/modelprefetch}) as people and scripts run it: with {@code
 * --progress json}, every stdout line is JSON on a fresh class-data cache, on the run that reuses
 * it, and after a rebuild of the jar.
 */
class LauncherIT {
  @TempDir Path tmp;
  HttpOrigin origin;
  Path jar;
  Path cache;

  @BeforeEach
  void start() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("origin"));
    Datasets.writeFile(root.resolve("model.bin"), 1 << 20, 5);
    origin = HttpOrigin.builder().root(root).start();
    Path build = Path.of(System.getProperty("modelprefetch.jar")).getParent();
    Path copy = Files.createDirectories(tmp.resolve("build/lib"));
    try (var libs = Files.list(build.resolve("lib"))) {
      for (Path lib : libs.toList()) {
        Files.copy(lib, copy.resolve(lib.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    jar = Files.copy(build.resolve("modelprefetch.jar"), tmp.resolve("build/modelprefetch.jar"));
    cache = tmp.resolve("cache");
  }

  @AfterEach
  void stop() {
    origin.close();
  }

  @Test
  void stdoutIsOnlyJsonLinesOnTheFirstRunTheSecondAndAfterARebuild() throws Exception {
    assertOnlyJson(launch("first"));
    assertOnlyJson(launch("second"));
    rebuild();
    assertOnlyJson(launch("after-rebuild"));
    try (var archives = Files.list(cache)) {
      assertThat(archives.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jsa")))
          .as("one archive, for the current build")
          .hasSize(1);
    }
  }

  private String launch(String name) throws IOException, InterruptedException {
    Path launcher =
        Path.of(System.getProperty("user.dir")).resolveSibling("hack").resolve("modelprefetch");
    ProcessBuilder pb =
        new ProcessBuilder(
                launcher.toString(),
                "pull",
                origin.uri("model.bin").toString(),
                "--dest",
                tmp.resolve("dest-" + name).toString(),
                "--progress",
                "json",
                "--progress-interval",
                "100ms")
            .redirectOutput(tmp.resolve(name + ".out").toFile())
            .redirectError(tmp.resolve(name + ".err").toFile());
    pb.environment().put("MODELPREFETCH_CACHE", cache.toString());
    pb.environment().put("MODELPREFETCH_JAR", jar.toString());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue())
        .as("%s run; stderr:%n%s", name, Files.readString(tmp.resolve(name + ".err")))
        .isZero();
    return Files.readString(tmp.resolve(name + ".out"), StandardCharsets.UTF_8);
  }

  private static void assertOnlyJson(String stdout) throws IOException {
    assertThat(stdout).isNotBlank();
    for (String line : stdout.split("\n")) {
      assertThat(new ObjectMapper().readTree(line).path("event").asText())
          .as("line: %s", line)
          .isNotEmpty();
    }
  }

  /** A new build of the jar: other bytes (one more entry) and a newer time. */
  private void rebuild() throws IOException {
    Path rebuilt = tmp.resolve("build/rebuilt.jar");
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(rebuilt))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        out.putNextEntry(new ZipEntry(e.getName()));
        in.transferTo(out);
        out.closeEntry();
      }
      out.putNextEntry(new ZipEntry("META-INF/rebuilt-at"));
      out.write(Instant.now().toString().getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    Files.move(rebuilt, jar, StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));
  }
}
