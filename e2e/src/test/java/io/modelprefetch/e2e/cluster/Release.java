package io.modelprefetch.e2e.cluster;

import static org.awaitility.Awaitility.await;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * charts/modelprefetch installed by Helm (helm-java: Helm's own Go code in-process) into namespace
 * {@value #NAMESPACE} with the images hack/images.sh built (tag {@code MODELPREFETCH_IMAGE_TAG},
 * default dev), everything else at its defaults: the operator runs as the chart's ServiceAccount
 * and generates its own webhook certificates. Uninstalled, with the scenarios' namespaces, at the
 * end.
 */
public final class Release implements AutoCloseable {
  public static final String NAME = "modelprefetch";
  public static final String NAMESPACE = "modelprefetch";
  public static final String OPERATOR = "modelprefetch-operator";
  public static final String IMAGE_TAG =
      System.getenv().getOrDefault("MODELPREFETCH_IMAGE_TAG", "dev");
  public static final String DOWNLOADER_IMAGE = "modelprefetch/modelprefetch:" + IMAGE_TAG;
  public static final String MODEL_CHECK_IMAGE = "modelprefetch/model-check:" + IMAGE_TAG;
  public static final String PAUSE_IMAGE = "modelprefetch/pause:" + IMAGE_TAG;
  private static final Path CHART =
      Path.of(System.getProperty("modelprefetch.chart", "../charts/modelprefetch"));
  private final E2ECluster cluster;
  private final List<String> namespaces = new CopyOnWriteArrayList<>();

  private Release(E2ECluster cluster) {
    this.cluster = cluster;
  }

  /** Installs the release, or takes over the one a previous run left (hack/try-local.sh --keep). */
  public static Release installOrReuse(E2ECluster cluster) {
    if (cluster.admin().apps().deployments().inNamespace(NAMESPACE).withName(OPERATOR).get()
        != null) {
      Release release = new Release(cluster);
      release.awaitWebhookCertificate();
      return release;
    }
    return install(cluster);
  }

  static Release install(E2ECluster cluster) {
    Release release = new Release(cluster);
    long started = System.nanoTime();
    new Helm(CHART)
        .install()
        .withName(NAME)
        .withNamespace(NAMESPACE)
        .createNamespace()
        .withKubeConfig(cluster.kubeconfig())
        .set("image.operator.repository", "modelprefetch/modelprefetch-operator")
        .set("image.operator.tag", IMAGE_TAG)
        .set("image.operator.pullPolicy", "Never")
        .set("image.downloader.repository", "modelprefetch/modelprefetch")
        .set("image.downloader.tag", IMAGE_TAG)
        .waitReady()
        .withTimeout(300)
        .call();
    release.awaitWebhookCertificate();
    System.out.printf(
        "MEASUREMENT helm install + operator ready + webhook CA on %s: %.1f s%n",
        cluster.name(), (System.nanoTime() - started) / 1e9);
    return release;
  }

  public E2ECluster cluster() {
    return cluster;
  }

  public KubernetesClient kube() {
    return cluster.admin();
  }

  public Kubectl kubectl() {
    return new Kubectl(cluster.kubectl(), cluster.kubeconfig());
  }

  /** A fresh namespace, optionally enforcing the restricted Pod Security Standard. */
  public String newNamespace(String prefix, boolean restricted) {
    String name =
        prefix + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24), 36);
    Map<String, String> labels =
        restricted
            ? Map.of(
                "pod-security.kubernetes.io/enforce",
                "restricted",
                "pod-security.kubernetes.io/enforce-version",
                "latest")
            : Map.of();
    Namespace ns =
        new NamespaceBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(labels)
            .endMetadata()
            .build();
    kube().namespaces().resource(ns).create();
    namespaces.add(name);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !kube().serviceAccounts().inNamespace(name).list().getItems().isEmpty());
    return name;
  }

  public Deployment operator() {
    return kube().apps().deployments().inNamespace(NAMESPACE).withName(OPERATOR).get();
  }

  /**
   * Scales the operator Deployment and waits until exactly that many replicas are ready (pods gone
   * for 0).
   */
  public void scaleOperator(int replicas) {
    kube().apps().deployments().inNamespace(NAMESPACE).withName(OPERATOR).scale(replicas);
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              Deployment d = operator();
              int ready =
                  d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
              int pods =
                  kube()
                      .pods()
                      .inNamespace(NAMESPACE)
                      .withLabel("app.kubernetes.io/component", "operator")
                      .list()
                      .getItems()
                      .size();
              return ready == replicas && (replicas > 0 || pods == 0);
            });
  }

  private void awaitWebhookCertificate() {
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              MutatingWebhookConfiguration config =
                  kube()
                      .admissionRegistration()
                      .v1()
                      .mutatingWebhookConfigurations()
                      .withName(NAME)
                      .get();
              return config != null
                  && config.getWebhooks().stream()
                      .allMatch(
                          w ->
                              w.getClientConfig().getCaBundle() != null
                                  && !w.getClientConfig().getCaBundle().isEmpty());
            });
  }

  @Override
  public void close() {
    try {
      for (String ns : namespaces) {
        kube().namespaces().withName(ns).delete();
      }
      Helm.uninstall(NAME)
          .withNamespace(NAMESPACE)
          .withKubeConfig(cluster.kubeconfig())
          .ignoreNotFound()
          .call();
      kube().namespaces().withName(NAMESPACE).delete();
    } finally {
      cluster.close();
    }
  }
}
