package io.modelprefetch.e2e.images;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;

/**
 * The Docker engine of hack/docker.sh (its env file sets DOCKER_HOST and the addresses) and the
 * image tars of hack/images.sh ({@code MODELPREFETCH_IMAGES}), both set by hack/test.sh. Without
 * them a test class reports plainly that it did not run (aborted, never passed).
 */
final class DockerEngine {
  private static final Map<String, String> LOADED = new ConcurrentHashMap<>();
  private final Path images;
  private final List<String> hostAddresses;
  private final String containerAddress;

  private DockerEngine(Path images, List<String> hostAddresses, String containerAddress) {
    this.images = images;
    this.hostAddresses = hostAddresses;
    this.containerAddress = containerAddress;
  }

  /** The engine, or an aborted test class with the reason printed. */
  static DockerEngine require(Class<?> testClass) {
    String images = System.getenv("MODELPREFETCH_IMAGES");
    String addresses = System.getenv("MODELPREFETCH_DOCKER_HOST_ADDRESSES");
    String reason = null;
    if (images == null || !Files.isRegularFile(Path.of(images, "images.txt"))) {
      reason = "MODELPREFETCH_IMAGES (the directory bash hack/images.sh prints) is not set";
    } else if (System.getenv("DOCKER_HOST") == null || addresses == null) {
      reason =
          "no Docker engine: source the env file bash hack/docker.sh up prints (hack/test.sh does)";
    } else if (!DockerClientFactory.instance().isDockerAvailable()) {
      reason = "the Docker engine at " + System.getenv("DOCKER_HOST") + " does not answer";
    }
    if (reason != null) {
      String message = testClass.getSimpleName() + " DID NOT RUN: " + reason;
      System.out.println(message);
      Assumptions.abort(message);
    }
    return new DockerEngine(
        Path.of(images),
        List.of(addresses.split(",")),
        System.getenv("MODELPREFETCH_DOCKER_CONTAINER_ADDRESS"));
  }

  /** Addresses of this machine that containers reach (servers of the test bind to them). */
  List<String> hostAddresses() {
    return hostAddresses;
  }

  /** The containers' own address ({@code --network host} in the engine's namespace). */
  String containerAddress() {
    return containerAddress;
  }

  /** {@code docker load} of one tar of hack/images.sh (once per JVM); returns its tag. */
  String load(String file) {
    return LOADED.computeIfAbsent(
        file,
        f -> {
          try {
            String tag =
                Files.readAllLines(images.resolve("images.txt")).stream()
                    .map(l -> l.split(" "))
                    .filter(p -> p[0].equals(f))
                    .map(p -> p[1])
                    .findFirst()
                    .orElseThrow(
                        () ->
                            new IllegalStateException(
                                f + " is not listed in " + images.resolve("images.txt")));
            try (InputStream in = Files.newInputStream(images.resolve(f))) {
              client().loadImageCmd(in).exec();
            }
            return tag;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  static DockerClient client() {
    return DockerClientFactory.instance().client();
  }

  /**
   * A container as the chart runs our images: the image's user, read-only root file system, every
   * capability dropped, no privilege escalation, a tmpfs on /tmp (the pods' emptyDir), the engine's
   * network namespace. Never pulled: the image is loaded from its tar.
   */
  static GenericContainer<?> restricted(String image) {
    return new GenericContainer<>(image)
        .withImagePullPolicy(name -> false)
        .withNetworkMode("host")
        .withTmpFs(Map.of("/tmp", "rw,size=64m"))
        .withCreateContainerCmdModifier(
            cmd ->
                cmd.getHostConfig()
                    .withReadonlyRootfs(true)
                    .withCapDrop(Capability.ALL)
                    .withSecurityOpts(List.of("no-new-privileges")));
  }

  /** For one-shot commands: "started" once the container has exited, whatever its exit code. */
  static final class Exited extends StartupCheckStrategy {
    Exited(Duration timeout) {
      withTimeout(timeout);
    }

    @Override
    public StartupStatus checkStartupState(DockerClient client, String containerId) {
      InspectContainerResponse.ContainerState state = getCurrentState(client, containerId);
      return Boolean.TRUE.equals(state.getRunning())
          ? StartupStatus.NOT_YET_KNOWN
          : StartupStatus.SUCCESSFUL;
    }
  }

  /**
   * No port check: with the host network there are no mapped ports; tests wait for what they need.
   */
  static final class NoWait extends AbstractWaitStrategy {
    @Override
    protected void waitUntilReady() {}
  }
}
