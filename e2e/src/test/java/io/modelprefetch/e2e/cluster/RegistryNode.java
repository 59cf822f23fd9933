package io.modelprefetch.e2e.cluster;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The single node of hack/node.sh: every part from a package registry, all inside a network
 * namespace of its own. This JVM runs inside that namespace (failsafe starts it through
 * hack/node/bin/java), so the node's address is its address too; volumes are directories on this
 * machine (rancher's local-path-provisioner).
 */
public final class RegistryNode implements E2ECluster {
  /** Set by hack/test.sh to the env file `hack/node.sh up` prints. */
  public static final String ENV = "MODELPREFETCH_NODE_ENV";

  private final Map<String, String> env;
  private final KubernetesClient admin;

  private RegistryNode(Map<String, String> env) {
    this.env = env;
    this.admin =
        new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(read(kubeconfig()))).build();
  }

  /** The running node, or why there is none. */
  public static Availability<E2ECluster> connect() {
    String file = System.getenv(ENV);
    if (file == null || file.isBlank()) {
      return Availability.missing(
          ENV
              + " is not set: no registry-built node (bash hack/test.sh starts one with"
              + " hack/node.sh up)");
    }
    Map<String, String> env = parse(Path.of(file));
    String netns = env.get("NETNS");
    Optional<String> self = netnsOfThisProcess();
    if (self.isEmpty() || !self.equals(netnsOf(netns))) {
      return Availability.missing(
          "this JVM is not inside the node's network namespace "
              + netns
              + " (failsafe starts it with hack/node/bin/java)");
    }
    return Availability.of(new RegistryNode(env));
  }

  @Override
  public String name() {
    return "registry-built node (hack/node.sh)";
  }

  @Override
  public KubernetesClient admin() {
    return admin;
  }

  @Override
  public Path kubeconfig() {
    return Path.of(env.get("KUBECONFIG"));
  }

  @Override
  public Path kubectl() {
    return Path.of(env.get("KUBECTL"));
  }

  @Override
  public String podReachableHost() {
    return env.get("NODE_IP");
  }

  @Override
  public byte[] readVolumeFile(PersistentVolume volume, String file) throws IOException {
    return Files.readAllBytes(directory(volume).resolve(file));
  }

  @Override
  public int volumeFileOwner(PersistentVolume volume, String file) throws IOException {
    return (Integer) Files.getAttribute(directory(volume).resolve(file), "unix:uid");
  }

  @Override
  public String hostDirectory(String name, int uid, String mode) throws IOException {
    Path dir = Path.of(env.get("STATE"), "host-dirs", name);
    Files.createDirectories(dir);
    Files.setAttribute(dir, "unix:uid", uid);
    Files.setAttribute(dir, "unix:gid", uid);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
    return dir.toString();
  }

  private static Path directory(PersistentVolume volume) {
    var spec = volume.getSpec();
    String path =
        spec.getHostPath() != null
            ? spec.getHostPath().getPath()
            : spec.getLocal() != null ? spec.getLocal().getPath() : null;
    if (path == null) {
      throw new IllegalStateException(
          "volume " + volume.getMetadata().getName() + " is neither hostPath nor local");
    }
    return Path.of(path);
  }

  @Override
  public void close() {
    admin.close();
  }

  private static Map<String, String> parse(Path file) {
    Map<String, String> env = new HashMap<>();
    for (String line : read(file).split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        env.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return env;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<String> netnsOfThisProcess() {
    return netnsOf("/proc/self/ns/net");
  }

  private static Optional<String> netnsOf(String path) {
    try {
      return Optional.of(String.valueOf(Files.getAttribute(Path.of(path), "unix:ino")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
