package io.modelprefetch.e2e.cluster;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * k3s in Testcontainers: where a Docker engine can get the {@value #IMAGE} image (a laptop, a
 * hosted CI), the same scenarios run in it with our images imported into its containerd. It never
 * pulls unless {@code -Dmodelprefetch.e2e.k3s.pull=true}: on machines that reach package registries
 * only, it reports plainly that it did not run.
 */
public final class K3sCluster implements E2ECluster {
  public static final String IMAGE = "rancher/k3s:v1.35.0-k3s1";
  private final K3sContainer k3s;
  private final KubernetesClient admin;
  private final Path kubeconfig;

  private K3sCluster(K3sContainer k3s, Path kubeconfig) {
    this.k3s = k3s;
    this.kubeconfig = kubeconfig;
    this.admin =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml()))
            .build();
  }

  static Availability<E2ECluster> start() {
    String images = System.getenv("MODELPREFETCH_IMAGES");
    if (images == null || !Files.isRegularFile(Path.of(images, "images.txt"))) {
      return Availability.missing(
          "MODELPREFETCH_IMAGES (the directory hack/images.sh prints) is not set");
    }
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      return Availability.missing("no Docker engine reachable by Testcontainers");
    }
    boolean pull = Boolean.getBoolean("modelprefetch.e2e.k3s.pull");
    if (!pull && !imagePresent()) {
      return Availability.missing(
          "the Docker engine has no "
              + IMAGE
              + " image and pulling is off here (no container registry is reachable; rancher/k3s"
              + " cannot be built from the Go module proxy); run with"
              + " -Dmodelprefetch.e2e.k3s.pull=true where Docker Hub is reachable");
    }
    K3sContainer k3s = new K3sContainer(DockerImageName.parse(IMAGE));
    k3s.start();
    try {
      for (String line : Files.readAllLines(Path.of(images, "images.txt"))) {
        String file = line.split(" ")[0];
        if (file.isBlank()) {
          continue;
        }
        k3s.copyFileToContainer(MountableFile.forHostPath(Path.of(images, file)), "/tmp/" + file);
        exec(k3s, "ctr", "-n", "k8s.io", "images", "import", "/tmp/" + file);
      }
      Path kubeconfig = Files.createTempFile("k3s-", ".kubeconfig");
      Files.writeString(kubeconfig, k3s.getKubeConfigYaml());
      return Availability.of(new K3sCluster(k3s, kubeconfig));
    } catch (IOException | RuntimeException e) {
      k3s.stop();
      throw new IllegalStateException("k3s started but our images could not be loaded", e);
    }
  }

  private static boolean imagePresent() {
    try {
      DockerClientFactory.instance().client().inspectImageCmd(IMAGE).exec();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String exec(K3sContainer k3s, String... command) {
    try {
      Container.ExecResult result = k3s.execInContainer(command);
      if (result.getExitCode() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " failed: " + result.getStderr());
      }
      return result.getStdout();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String name() {
    return "k3s (Testcontainers, " + IMAGE + ")";
  }

  @Override
  public KubernetesClient admin() {
    return admin;
  }

  @Override
  public Path kubeconfig() {
    return kubeconfig;
  }

  @Override
  public Path kubectl() {
    Path k8s = Path.of(System.getenv().getOrDefault("KUBE_API_TEST_DIR", "."), "k8s");
    return Arrays.stream(
            k8s.toFile().listFiles() == null ? new java.io.File[0] : k8s.toFile().listFiles())
        .map(f -> f.toPath().resolve("kubectl"))
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException("no kubectl under " + k8s + " (hack/kube-binaries.sh)"));
  }

  @Override
  public String podReachableHost() {
    // The Docker network's gateway is this machine as seen from the k3s container (and its pods,
    // NATed).
    return k3s.getContainerInfo()
        .getNetworkSettings()
        .getNetworks()
        .values()
        .iterator()
        .next()
        .getGateway();
  }

  @Override
  public byte[] readVolumeFile(PersistentVolume volume, String file) throws IOException {
    Path copy = Files.createTempFile("k3s-volume-", ".bin");
    k3s.copyFileFromContainer(hostPath(volume) + "/" + file, copy.toString());
    try {
      return Files.readAllBytes(copy);
    } finally {
      Files.delete(copy);
    }
  }

  @Override
  public int volumeFileOwner(PersistentVolume volume, String file) {
    return Integer.parseInt(exec(k3s, "stat", "-c", "%u", hostPath(volume) + "/" + file).trim());
  }

  @Override
  public String hostDirectory(String name, int uid, String mode) {
    String dir = "/var/lib/modelprefetch-e2e/" + name;
    for (List<String> command :
        List.of(
            List.of("mkdir", "-p", dir),
            List.of("chown", uid + ":" + uid, dir),
            List.of("chmod", mode.length() == 9 ? octal(mode) : mode, dir))) {
      exec(k3s, command.toArray(String[]::new));
    }
    return dir;
  }

  private static String octal(String rwx) {
    int value = 0;
    for (int i = 0; i < 9; i++) {
      value = value << 1 | (rwx.charAt(i) == '-' ? 0 : 1);
    }
    return Integer.toOctalString(value);
  }

  private static String hostPath(PersistentVolume volume) {
    var spec = volume.getSpec();
    return spec.getHostPath() != null ? spec.getHostPath().getPath() : spec.getLocal().getPath();
  }

  @Override
  public void close() {
    admin.close();
    k3s.stop();
  }
}
