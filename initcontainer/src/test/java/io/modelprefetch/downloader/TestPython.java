package io.modelprefetch.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The project's Python venv ($MODELPREFETCH_PYTHON, else built/cached by hack/python-deps.sh). */
public final class TestPython {
  private static String python;

  private TestPython() {}

  public static synchronized String path() throws IOException, InterruptedException {
    if (python == null) {
      String env = System.getenv("MODELPREFETCH_PYTHON");
      if (env != null && !env.isBlank()) {
        python = env;
      } else {
        Path script = Path.of("..", "hack", "python-deps.sh").toAbsolutePath().normalize();
        System.out.println("MODELPREFETCH_PYTHON is not set: running " + script);
        Process p =
            new ProcessBuilder("bash", script.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as("hack/python-deps.sh exit code").isZero();
        python = out.substring(out.lastIndexOf('\n') + 1);
      }
    }
    return python;
  }

  /**
   * Runs {@code python -c code args...} with extra environment; returns stdout, failing on a
   * non-zero exit.
   */
  public static String run(Map<String, String> env, String code, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(path(), "-c", code));
    command.addAll(List.of(args));
    Path err = Files.createTempFile("python", ".err");
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("python finished").isTrue();
    String stderr = Files.readString(err);
    Files.delete(err);
    assertThat(p.exitValue())
        .as("python exit code; stdout:%n%s%nstderr:%n%s", out, stderr)
        .isZero();
    return out;
  }
}
