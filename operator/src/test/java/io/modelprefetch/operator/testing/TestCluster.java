package io.modelprefetch.operator.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real kube-apiserver + etcd (fabric8 kube-api-test, offline; MutatingAdmissionWebhook and
 * PodSecurity on by default) with the ModelArtifact CRD installed from the crds jar: the one API
 * server of a test JVM, for the operator's and the webhook's tests alike. There is no
 * controller-manager, scheduler or kubelet: no Job controller, no garbage collector; tests play
 * those parts where they need them.
 */
public final class TestCluster implements AutoCloseable {
  public static final String CRD_RESOURCE =
      "io/modelprefetch/crds/modelartifacts.modelprefetch.io-v1.yml";
  private final KubeAPIServer server;
  private final KubernetesClient admin;
  private final Path kubeconfig;
  private final AtomicInteger namespaces = new AtomicInteger();

  private TestCluster(KubeAPIServer server, Path kubeconfig) {
    this.server = server;
    this.kubeconfig = kubeconfig;
    this.admin = new KubernetesClientBuilder().withConfig(adminConfig()).build();
  }

  public static TestCluster start() {
    String dir = binariesDir();
    KubeAPIServer server =
        new KubeAPIServer(
            KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(dir)
                .withOfflineMode(true)
                .withStartupTimeout(120_000)
                .build());
    server.start();
    try {
      Path kubeconfig = Files.createTempFile("modelprefetch-test-", ".kubeconfig");
      Files.writeString(kubeconfig, server.getKubeConfigYaml());
      TestCluster cluster = new TestCluster(server, kubeconfig);
      cluster.installCrd();
      return cluster;
    } catch (IOException e) {
      server.stop();
      throw new UncheckedIOException(e);
    }
  }

  /** The directory hack/kube-binaries.sh fills; the tests fail (not skip) without it. */
  private static String binariesDir() {
    String dir = System.getenv("KUBE_API_TEST_DIR");
    String hint =
        "run: export KUBE_API_TEST_DIR=$(bash hack/kube-binaries.sh | tail -n 1)  (hack/test.sh"
            + " does this)";
    if (dir == null || dir.isBlank()) {
      throw new IllegalStateException(
          "KUBE_API_TEST_DIR is not set; these tests need a real kube-apiserver: " + hint);
    }
    Path k8s = Path.of(dir, "k8s");
    Optional<Path> binaries =
        Optional.ofNullable(k8s.toFile().listFiles()).stream()
            .flatMap(Arrays::stream)
            .map(java.io.File::toPath)
            .filter(
                p ->
                    Files.isExecutable(p.resolve("kube-apiserver"))
                        && Files.isExecutable(p.resolve("etcd"))
                        && Files.isExecutable(p.resolve("kubectl")))
            .findFirst();
    if (binaries.isEmpty()) {
      throw new IllegalStateException(
          "no kube-apiserver, etcd and kubectl under " + k8s + "/<version>-<os>-<arch>/; " + hint);
    }
    return dir;
  }

  public Config adminConfig() {
    return Config.fromKubeconfig(server.getKubeConfigYaml());
  }

  public KubernetesClient admin() {
    return admin;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  /** The kubectl that matches the API server. */
  public Path kubectl() {
    return Arrays.stream(Path.of(System.getenv("KUBE_API_TEST_DIR"), "k8s").toFile().listFiles())
        .map(f -> f.toPath().resolve("kubectl"))
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow();
  }

  /** A fresh namespace per test keeps tests independent on the shared server. */
  public String newNamespace(String prefix) {
    return newNamespace(prefix, false);
  }

  /**
   * A fresh namespace; {@code restricted} enforces Pod Security "restricted" on it (the admission
   * plugin is on).
   */
  public String newNamespace(String prefix, boolean restricted) {
    String name = prefix + "-" + namespaces.incrementAndGet();
    var ns = new NamespaceBuilder().withNewMetadata().withName(name).endMetadata();
    if (restricted) {
      ns.editMetadata()
          .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
          .addToLabels("pod-security.kubernetes.io/enforce-version", "latest")
          .endMetadata();
    }
    admin.namespaces().resource(ns.build()).create();
    return name;
  }

  private void installCrd() throws IOException {
    try (InputStream in = TestCluster.class.getClassLoader().getResourceAsStream(CRD_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(CRD_RESOURCE + " is not on the test class path (crds jar)");
      }
      CustomResourceDefinition crd =
          admin.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
      admin.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                var c =
                    admin
                        .apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName(crd.getMetadata().getName())
                        .get();
                return c.getStatus() != null
                    && c.getStatus().getConditions().stream()
                        .anyMatch(
                            x -> "Established".equals(x.getType()) && "True".equals(x.getStatus()));
              });
    }
  }

  @Override
  public void close() throws IOException {
    admin.close();
    server.stop();
    Files.deleteIfExists(kubeconfig);
  }
}
