package io.modelprefetch.downloader.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CNCF distribution registry (cmd/registry, a real one) on loopback, an ephemeral port and
 * temporary storage; killed by {@link #close()}.
 */
public final class Registry implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path storage;
  private final Path log;

  private Registry(Process process, int port, Path storage, Path log) {
    this.process = process;
    this.port = port;
    this.storage = storage;
    this.log = log;
  }

  /**
   * @param auth the config's {@code auth:} section (YAML, indented by two), or "" for none
   */
  public static Registry start(Path work, String auth) throws IOException, InterruptedException {
    Path storage = Files.createDirectories(work.resolve("registry-storage"));
    for (int attempt = 0; ; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      Path config = work.resolve("registry-" + port + ".yml");
      Files.writeString(
          config,
          """
          version: 0.1
          log:
            level: info
          storage:
            filesystem:
              rootdirectory: %s
            delete:
              enabled: true
          http:
            addr: 127.0.0.1:%d
            secret: modelprefetch-test
          %s
          """
              .formatted(storage, port, auth));
      Path log = work.resolve("registry-" + port + ".log");
      ProcessBuilder pb =
          new ProcessBuilder(
                  OciTools.dir().resolve("registry").toString(), "serve", config.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().put("OTEL_TRACES_EXPORTER", "none");
      pb.environment().put("OTEL_SDK_DISABLED", "true");
      Process p = pb.start();
      Registry r = new Registry(p, port, storage, log);
      if (r.awaitReady()) {
        return r;
      }
      r.close();
      assertThat(attempt)
          .as("registry did not start; log:%n%s", Files.readString(log))
          .isLessThan(3);
    }
  }

  private boolean awaitReady() throws InterruptedException {
    for (int i = 0; i < 200 && process.isAlive(); i++) {
      try {
        HttpURLConnection c =
            (HttpURLConnection)
                URI.create("http://127.0.0.1:" + port + "/v2/").toURL().openConnection();
        int status = c.getResponseCode();
        c.disconnect();
        if (status == 200 || status == 401) {
          return true;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(50);
    }
    return false;
  }

  /** host:port, as oras and oci:// name it. */
  public String host() {
    return "127.0.0.1:" + port;
  }

  /** The file holding a blob's bytes in the registry's storage (to corrupt it). */
  public Path blobData(String digest) {
    String hex = digest.substring("sha256:".length());
    return storage
        .resolve("docker/registry/v2/blobs/sha256")
        .resolve(hex.substring(0, 2))
        .resolve(hex)
        .resolve("data");
  }

  public String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
