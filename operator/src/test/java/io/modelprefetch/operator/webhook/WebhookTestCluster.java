package io.modelprefetch.operator.webhook;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real kube-apiserver + etcd (fabric8 kube-api-test, offline; MutatingAdmissionWebhook and
 * PodSecurity are on by default) with the ModelArtifact CRD, one per test JVM. There is no
 * scheduler or kubelet: pods are admitted and stored, never run.
 */
final class WebhookTestCluster implements AutoCloseable {
  static final String CRD_RESOURCE = "io/modelprefetch/crds/modelartifacts.modelprefetch.io-v1.yml";
  private static final String VERSION = "1.35.8";
  private final KubeAPIServer server;
  private final KubernetesClient client;
  private final AtomicInteger namespaces = new AtomicInteger();

  private WebhookTestCluster(KubeAPIServer server) {
    this.server = server;
    this.client = new KubernetesClientBuilder()
        .withConfig(io.fabric8.kubernetes.client.Config.fromKubeconfig(server.getKubeConfigYaml())).build();
  }

  static WebhookTestCluster start() throws IOException, InterruptedException {
    KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withTestDir(binariesDir())
        .withOfflineMode(true)
        .withApiServerVersion(VERSION)
        .withStartupTimeout(120_000)
        .build());
    server.start();
    WebhookTestCluster cluster = new WebhookTestCluster(server);
    cluster.installCrd();
    return cluster;
  }

  KubernetesClient client() {
    return client;
  }

  /** A fresh namespace; {@code restricted} enforces Pod Security "restricted" on it. */
  String newNamespace(String prefix, boolean restricted) {
    String name = prefix + "-" + namespaces.incrementAndGet();
    var ns = new NamespaceBuilder().withNewMetadata().withName(name).endMetadata();
    if (restricted) {
      ns.editMetadata().addToLabels("pod-security.kubernetes.io/enforce", "restricted")
          .addToLabels("pod-security.kubernetes.io/enforce-version", "latest").endMetadata();
    }
    client.namespaces().resource(ns.build()).create();
    return name;
  }

  /**
   * {@code $KUBE_API_TEST_DIR}, else what {@code hack/kube-binaries.sh} prints (fast when cached).
   * Missing binaries fail the test: these tests need a real API server and must not pass without one.
   */
  private static String binariesDir() throws IOException, InterruptedException {
    String dir = System.getenv("KUBE_API_TEST_DIR");
    if (dir == null || dir.isBlank()) {
      Path root = Path.of("").toAbsolutePath();
      while (root != null && !Files.exists(root.resolve("hack/kube-binaries.sh"))) {
        root = root.getParent();
      }
      if (root == null) {
        throw new IllegalStateException("KUBE_API_TEST_DIR is not set and hack/kube-binaries.sh is not found;"
            + " run: export KUBE_API_TEST_DIR=$(bash hack/kube-binaries.sh | tail -n 1)");
      }
      Process p = new ProcessBuilder("bash", "hack/kube-binaries.sh").directory(root.toFile())
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0 || out.isEmpty()) {
        throw new IllegalStateException("hack/kube-binaries.sh failed; the webhook ITs need kube-apiserver " + VERSION);
      }
      dir = out.lines().reduce((a, b) -> b).orElseThrow();
    }
    Path binaries = Path.of(dir, "k8s", VERSION + "-linux-amd64");
    if (!Files.isExecutable(binaries.resolve("kube-apiserver")) || !Files.isExecutable(binaries.resolve("etcd"))) {
      throw new IllegalStateException("no kube-apiserver/etcd " + VERSION + " under " + binaries
          + "; run: bash hack/kube-binaries.sh");
    }
    return dir;
  }

  private void installCrd() throws IOException {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(CRD_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(CRD_RESOURCE + " is not on the test class path (crds jar)");
      }
      CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
      client.apiextensions().v1().customResourceDefinitions().resource(crd).serverSideApply();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        var c = client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).get();
        return c.getStatus() != null && c.getStatus().getConditions().stream()
            .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus()));
      });
    }
  }

  @Override
  public void close() {
    client.close();
    server.stop();
  }

  /** Resolves a {@link WebhookTestCluster} parameter: one API server per test JVM, stopped at the end. */
  static final class Extension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == WebhookTestCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
          .getOrComputeIfAbsent(Holder.class, k -> new Holder(startUnchecked()), Holder.class).cluster();
    }

    private static WebhookTestCluster startUnchecked() {
      try {
        return start();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private record Holder(WebhookTestCluster cluster) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    @Override
    public void close() {
      cluster.close();
    }
  }
}
