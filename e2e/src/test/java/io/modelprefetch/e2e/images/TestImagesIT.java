package io.modelprefetch.e2e.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.modelprefetch.fixtures.data.Datasets;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame.OutputType;

/** The node E2E's helper images of hack/images.sh: the pause (sandbox) image and model-check. */
class TestImagesIT {
  private static DockerEngine engine;

  @TempDir Path tmp;

  @BeforeAll
  static void engine() {
    engine = DockerEngine.require(TestImagesIT.class);
  }

  @Test
  void pauseWaitsUntilSigtermThenExits0() {
    try (GenericContainer<?> pause =
        DockerEngine.restricted(engine.load("pause.tar")).waitingFor(new DockerEngine.NoWait())) {
      pause.start();
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(pause::isRunning);
      DockerEngine.client().killContainerCmd(pause.getContainerId()).withSignal("TERM").exec();
      await().atMost(Duration.ofSeconds(20)).until(() -> !pause.isRunning());
      assertThat(pause.getCurrentContainerInfo().getState().getExitCodeLong()).isZero();
      assertThat(pause.getLogs(OutputType.STDERR)).contains("pause: signal 15, exiting");
    }
  }

  @Test
  void modelCheckServesOnlyAfterTheDigestMatches() throws Exception {
    byte[] model = Datasets.bytes(1 << 20, 7);
    Path dir = Files.createDirectory(tmp.resolve("model"));
    Files.write(dir.resolve("model.safetensors"), model);
    Files.setPosixFilePermissions(
        dir.resolve("model.safetensors"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    String image = engine.load("model-check.tar");
    int port =
        8000; // the image's default PORT; only this engine's containers listen in its namespace

    try (GenericContainer<?> ok = modelCheck(image, dir, Datasets.sha256(model))) {
      ok.start();
      HttpClient http = HttpClient.newHttpClient();
      URI root = URI.create("http://" + engine.containerAddress() + ":" + port + "/");
      HttpResponse<String> r =
          await()
              .atMost(Duration.ofMinutes(1))
              .ignoreExceptionsInstanceOf(IOException.class)
              .until(
                  () ->
                      http.send(
                          HttpRequest.newBuilder(root).build(),
                          HttpResponse.BodyHandlers.ofString()),
                  x -> x.statusCode() == 200);
      assertThat(r.body())
          .contains("model check ok")
          .contains(Datasets.sha256(model))
          .contains("bytes=" + model.length);
      assertThat(ok.getLogs(OutputType.STDOUT))
          .contains("model check ok: /models/m/model.safetensors");
    }

    String wrong = "0".repeat(64);
    try (GenericContainer<?> bad =
        modelCheck(image, dir, wrong)
            .withStartupCheckStrategy(new DockerEngine.Exited(Duration.ofMinutes(1)))) {
      bad.start();
      assertThat(bad.getCurrentContainerInfo().getState().getExitCodeLong()).isEqualTo(1);
      assertThat(bad.getLogs(OutputType.STDOUT))
          .contains("model check FAILED: digest mismatch")
          .contains("expected " + wrong);
    }
  }

  private static GenericContainer<?> modelCheck(String image, Path dir, String sha256) {
    // As the webhook injects it: MODEL_PATH is the artifact's mount, read-only.
    return DockerEngine.restricted(image)
        .withFileSystemBind(dir.toString(), "/models/m", BindMode.READ_ONLY)
        .withEnv(
            Map.of(
                "MODEL_PATH",
                "/models/m",
                "MODEL_FILE",
                "model.safetensors",
                "EXPECTED_SHA256",
                sha256))
        .waitingFor(new DockerEngine.NoWait());
  }
}
