package io.modelprefetch.e2e.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelprefetch.fixtures.data.Datasets;
import io.modelprefetch.fixtures.hub.HubFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame.OutputType;

/**
 * The jib-built downloader image (hack/images.sh) run by a real Docker engine (hack/docker.sh) as
 * the download Job runs it: non-root, read-only root file system, no capabilities, pulling from the
 * Hub fixture into a mounted directory, with the termination message Kubernetes would show.
 */
class DownloaderImageIT {
  private static final String REPO = "acme/tiny-llm";
  private static final String TOKEN = "hf_image_test_token";
  private static final Map<String, byte[]> FILES =
      Map.of(
          "config.json", "{\"model_type\":\"llama\"}\n".getBytes(StandardCharsets.UTF_8),
          "tokenizer/tokenizer.json", Datasets.bytes(300_000, 3),
          "model-00001-of-00002.safetensors", Datasets.bytes(6 << 20, 1),
          "model-00002-of-00002.safetensors", Datasets.bytes(3 << 20, 2));
  private static final int NONROOT = 65532;

  private static DockerEngine engine;
  private static String image;
  private static HubFixture hub;

  @TempDir Path tmp;
  private Path dest;
  private Path termination;
  private Path token;

  @BeforeAll
  static void startHub() {
    engine = DockerEngine.require(DownloaderImageIT.class);
    image = engine.load("downloader.tar");
    hub =
        HubFixture.builder()
            .host(engine.hostAddresses().get(0))
            .cdnHost(engine.hostAddresses().get(1))
            .token(TOKEN)
            .repo(
                REPO,
                r -> {
                  r.privateRepo().branch("main");
                  FILES.forEach(
                      (path, bytes) -> {
                        if (path.endsWith(".safetensors")) {
                          r.lfsFile(path, bytes);
                        } else {
                          r.regularFile(path, bytes);
                        }
                      });
                })
            .start();
  }

  @AfterAll
  static void stopHub() {
    if (hub != null) {
      hub.close();
    }
  }

  @BeforeEach
  void volume() throws IOException {
    // The volume and the termination-log file as a kubelet gives them to a pod running as 65532.
    dest = Files.createDirectory(tmp.resolve("models"));
    Files.setAttribute(dest, "unix:uid", NONROOT);
    Files.setAttribute(dest, "unix:gid", NONROOT);
    termination = Files.createFile(tmp.resolve("termination-log"));
    Files.setPosixFilePermissions(termination, PosixFilePermissions.fromString("rw-rw-rw-"));
    token = Files.writeString(tmp.resolve("token"), TOKEN + "\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  record Run(long exitCode, String stdout, String stderr, String terminationMessage) {}

  private Run run(Map<String, String> env, String... args) throws IOException {
    try (GenericContainer<?> c =
        DockerEngine.restricted(image)
            .withCommand(args)
            .withEnv(env)
            .withFileSystemBind(dest.toString(), "/models", BindMode.READ_WRITE)
            .withFileSystemBind(termination.toString(), "/dev/termination-log", BindMode.READ_WRITE)
            .withFileSystemBind(token.toString(), "/var/run/secrets/hf/token", BindMode.READ_ONLY)
            .withStartupCheckStrategy(new DockerEngine.Exited(Duration.ofMinutes(3)))
            .waitingFor(new DockerEngine.NoWait())) {
      c.start();
      long exit = c.getCurrentContainerInfo().getState().getExitCodeLong();
      Run run =
          new Run(
              exit,
              c.getLogs(OutputType.STDOUT),
              c.getLogs(OutputType.STDERR),
              Files.readString(termination));
      System.out.println(
          "container "
              + String.join(" ", args)
              + " -> exit "
              + exit
              + "\n--- stderr:\n"
              + run.stderr());
      return run;
    }
  }

  private Run pull(String source, String... extra) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "pull",
                source,
                "--dest",
                "/models",
                "--endpoint",
                hub.endpoint().toString(),
                "--token-file",
                "/var/run/secrets/hf/token",
                "--termination-message-path",
                "/dev/termination-log",
                "--progress-interval",
                "200ms",
                "--chunk-size",
                "1MiB"));
    args.addAll(List.of(extra));
    return run(Map.of(), args.toArray(String[]::new));
  }

  @Test
  void pullsAPrivateRepoAsUser65532OnAReadOnlyRootFileSystem() throws Exception {
    Run run = pull("hf://" + REPO);

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    for (var file : FILES.entrySet()) {
      Path path = dest.resolve(file.getKey());
      assertThat(Datasets.sha256(path))
          .as(file.getKey())
          .isEqualTo(Datasets.sha256(file.getValue()));
      assertThat(Files.getAttribute(path, "unix:uid"))
          .as("owner of " + file.getKey())
          .isEqualTo(NONROOT);
    }
    assertThat(dest.resolve(".modelprefetch/manifest.json")).exists();
    long total = FILES.values().stream().mapToLong(b -> b.length).sum();
    // stdout carries only JSON progress lines (the JVM's own output goes to stderr).
    ObjectMapper json = new ObjectMapper();
    List<String> lines = run.stdout().lines().toList();
    assertThat(lines).isNotEmpty();
    for (String line : lines) {
      assertThat(json.readTree(line).isObject()).as(line).isTrue();
    }
    JsonNode last = json.readTree(lines.getLast());
    assertThat(last.path("event").asText()).isEqualTo("done");
    assertThat(last.path("bytesDone").asLong()).isEqualTo(total);
    // No "restricted method" warning: the image enables native access for our libc calls.
    assertThat(run.stderr()).contains("done: 4 files").doesNotContain("WARNING");
    JsonNode message = json.readTree(run.terminationMessage());
    assertThat(message.path("status").asText()).isEqualTo("done");
    assertThat(message.path("revision").asText()).isEqualTo(hub.revision(REPO, "main"));
    assertThat(message.path("files").asInt()).isEqualTo(FILES.size());
    assertThat(message.path("bytes").asLong()).isEqualTo(total);
  }

  @Test
  void aMissingRepoExits3WithTheReasonInTheTerminationMessage() throws Exception {
    Run run = pull("hf://acme/no-such-model");

    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(3);
    assertThat(run.stderr()).contains("acme/no-such-model");
    JsonNode message = new ObjectMapper().readTree(run.terminationMessage());
    assertThat(message.path("status").asText()).isEqualTo("failed");
    assertThat(message.path("error").asText()).contains("acme/no-such-model");
    try (var left = Files.list(dest)) {
      assertThat(left.filter(p -> !p.getFileName().toString().equals(".modelprefetch"))).isEmpty();
    }
  }

  @Test
  void badArgumentsExit2() throws Exception {
    Run run = pull("hf://" + REPO, "--connections", "0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderr()).contains("--connections must be auto or between 1 and 256");
    assertThat(new ObjectMapper().readTree(run.terminationMessage()).path("error").asText())
        .contains("--connections must be auto or between 1 and 256");
  }

  @Test
  void aVolumeOwnedByRootExits6NamingTheUserAndTheFix() throws Exception {
    // What a hostPath-style provisioner hands out: root-owned, 0755; fsGroup does not apply.
    Files.setAttribute(dest, "unix:uid", 0);
    Files.setAttribute(dest, "unix:gid", 0);
    Files.setPosixFilePermissions(dest, PosixFilePermissions.fromString("rwxr-xr-x"));

    Run run = pull("hf://" + REPO);

    assertThat(run.exitCode()).as(run.stderr()).isEqualTo(6);
    assertThat(run.stderr())
        .contains("not writable by uid 65532 gid 65532")
        .contains("owned by uid 0 gid 0, mode 0755");
    try (var left = Files.list(dest)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void theJvmsOwnWarningsGoToStderrNotIntoStdout() throws Exception {
    // An invalid class-data archive makes the JVM log an error line; by default it would go to
    // stdout.
    Run run =
        run(Map.of("JAVA_TOOL_OPTIONS", "-XX:SharedArchiveFile=/nonexistent.jsa"), "--version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout()).isEqualTo("modelprefetch 0.1.0\n");
    assertThat(run.stderr()).contains("nonexistent.jsa");
  }
}
