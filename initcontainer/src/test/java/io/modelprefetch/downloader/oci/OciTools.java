package io.modelprefetch.downloader.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real registry server and the real ORAS CLI, built from Go modules by {@code
 * hack/oci-tools.sh} ($MODELPREFETCH_OCI_TOOLS when hack/test.sh already ran it; else the script is
 * run here, which is instant once cached), so these tests always run.
 */
public final class OciTools {
  private static Path dir;

  private OciTools() {}

  public static synchronized Path dir() throws IOException, InterruptedException {
    if (dir == null) {
      String env = System.getenv("MODELPREFETCH_OCI_TOOLS");
      if (env != null && !env.isBlank()) {
        dir = Path.of(env);
      } else {
        Path script = Path.of("..", "hack", "oci-tools.sh").toAbsolutePath().normalize();
        System.out.println(
            "MODELPREFETCH_OCI_TOOLS is not set: running "
                + script
                + " (builds once, then cached)");
        Process p =
            new ProcessBuilder("bash", script.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as("hack/oci-tools.sh exit code").isZero();
        dir = Path.of(out.substring(out.lastIndexOf('\n') + 1));
      }
      assertThat(dir.resolve("registry")).as("registry binary").isExecutable();
      assertThat(dir.resolve("oras")).as("oras binary").isExecutable();
    }
    return dir;
  }

  /** Runs {@code oras args...} in {@code cwd}; returns its stdout, failing on a non-zero exit. */
  public static String oras(Path cwd, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(dir().resolve("oras").toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("oras", ".out");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(cwd.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile());
    pb.environment().put("DOCKER_CONFIG", cwd.resolve(".oras-docker-config").toString());
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("oras finished").isTrue();
    String text = Files.readString(out);
    Files.delete(out);
    assertThat(p.exitValue()).as("oras %s:%n%s", String.join(" ", args), text).isZero();
    return text;
  }

  /** The "Digest: sha256:…" line oras push prints. */
  public static String pushedDigest(String orasOutput) {
    var m = java.util.regex.Pattern.compile("Digest: (sha256:[0-9a-f]{64})").matcher(orasOutput);
    assertThat(m.find()).as("oras printed a digest:%n%s", orasOutput).isTrue();
    return m.group(1);
  }
}
