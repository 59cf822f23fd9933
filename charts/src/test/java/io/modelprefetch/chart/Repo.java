package io.modelprefetch.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Paths in the checkout and the one rule for generated files: equal to what they are generated
 * from, or rewritten when the build runs with {@code -Dmodelprefetch.regenerate=true}.
 */
final class Repo {
  static final String REGENERATE = "bash hack/regenerate-chart.sh";
  static final Path ROOT =
      Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
  static final Path CHART = ROOT.resolve("charts/modelprefetch");
  static final Path DEPLOY = ROOT.resolve("deploy");

  private Repo() {}

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Fails with the command that regenerates {@code target} when it is not {@code expected}. */
  static void assertGenerated(Path target, String expected, String from) {
    if (Boolean.getBoolean("modelprefetch.regenerate")) {
      try {
        Files.createDirectories(target.getParent());
        Files.writeString(target, expected);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    assertThat(Files.exists(target) ? read(target) : "<missing>")
        .as(
            "%s is generated from %s and has drifted; regenerate with: %s",
            ROOT.relativize(target), from, REGENERATE)
        .isEqualTo(expected);
  }
}
