package io.modelprefetch.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged modelprefetch CLI as a real process, as a pod would: its own JVM, environment,
 * exit code and signals.
 */
public final class Cli {
  private final Map<String, String> env = new HashMap<>();

  /** What a finished run printed and returned. */
  public record Run(int exitCode, String stdout, String stderr) {
    public Run assertExit(int expected) {
      assertThat(exitCode).as("exit code; stderr:%n%s", stderr).isEqualTo(expected);
      return this;
    }
  }

  public Cli env(String name, String value) {
    env.put(name, value);
    return this;
  }

  public Run run(String... args) throws IOException, InterruptedException {
    Process p = start(args);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(
          "modelprefetch " + String.join(" ", args) + " did not finish within 120 s");
    }
    return new Run(p.exitValue(), read(p, "out"), read(p, "err"));
  }

  /** Starts the CLI; stdout and stderr go to files next to each other in a temp dir. */
  public Process start(String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(javaBin(), "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-jar", jar()));
    command.addAll(List.of(args));
    Path logs = Files.createTempDirectory("cli");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectOutput(logs.resolve("out").toFile())
            .redirectError(logs.resolve("err").toFile());
    pb.environment().remove("HF_TOKEN");
    pb.environment().remove("HF_ENDPOINT");
    pb.environment().putAll(env);
    Process p = pb.start();
    LOGS.put(p, logs);
    return p;
  }

  private static final Map<Process, Path> LOGS = new java.util.concurrent.ConcurrentHashMap<>();

  public static String read(Process p, String stream) throws IOException {
    return Files.readString(LOGS.get(p).resolve(stream), StandardCharsets.UTF_8);
  }

  private static String jar() {
    String jar = System.getProperty("modelprefetch.jar");
    assertThat(jar).as("system property modelprefetch.jar (set by failsafe)").isNotNull();
    assertThat(Path.of(jar)).as("the packaged CLI").exists();
    return jar;
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
