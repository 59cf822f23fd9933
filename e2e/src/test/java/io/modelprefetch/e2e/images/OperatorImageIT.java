package io.modelprefetch.e2e.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.operator.testing.Artifacts;
import io.modelprefetch.operator.testing.TestCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame.OutputType;

/**
 * The jib-built operator image (hack/images.sh) started by a real Docker engine (hack/docker.sh) as
 * the chart starts it (non-root, read-only root file system, no capabilities, /tmp an emptyDir),
 * against a real kube-apiserver (kube-api-test): it becomes ready, takes the leader Lease and
 * reconciles a ModelArtifact into a download Job with the downloader image.
 */
class OperatorImageIT {
  private static final String NAMESPACE = "modelprefetch";
  private static final String POD_NAME = "modelprefetch-operator-image-it";
  private static final String DOWNLOADER = "modelprefetch/modelprefetch:dev";

  private static DockerEngine engine;
  private static TestCluster cluster;
  private static TcpRelay relay;

  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    engine = DockerEngine.require(OperatorImageIT.class);
    cluster = TestCluster.start();
    cluster
        .admin()
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    relay =
        new TcpRelay(
            engine.hostAddresses().get(0),
            URI.create(cluster.adminConfig().getMasterUrl()).getPort());
  }

  @AfterAll
  static void stop() throws Exception {
    if (relay != null) {
      relay.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * The admin credentials of kube-api-test, inline, for the relay's address. Its serving
   * certificate names 127.0.0.1 only, so this test client skips server verification (the subject
   * here is the image, not TLS; the chart's pods use the in-cluster CA).
   */
  private static Path containerKubeconfig() throws Exception {
    Config admin = cluster.adminConfig();
    String cert =
        Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(admin.getClientCertFile())));
    String key =
        Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(admin.getClientKeyFile())));
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: kube-api-test
          cluster:
            server: https://%s:%d
            insecure-skip-tls-verify: true
        users:
        - name: admin
          user:
            client-certificate-data: %s
            client-key-data: %s
        contexts:
        - name: admin
          context: {cluster: kube-api-test, user: admin}
        current-context: admin
        """
            .formatted(engine.hostAddresses().get(0), relay.port(), cert, key);
    Path file = Files.writeString(tmp.resolve("kubeconfig"), yaml);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  @Test
  void startsAsNonRootOnAReadOnlyRootFileSystemAndReconciles() throws Exception {
    String image = engine.load("operator.tar");
    try (GenericContainer<?> operator =
        DockerEngine.restricted(image)
            .withFileSystemBind(
                containerKubeconfig().toString(),
                "/etc/modelprefetch/kubeconfig",
                BindMode.READ_ONLY)
            .withEnv(
                Map.of(
                    "KUBECONFIG", "/etc/modelprefetch/kubeconfig",
                    "POD_NAMESPACE", NAMESPACE,
                    "POD_NAME", POD_NAME,
                    "MODELPREFETCH_DOWNLOADER_IMAGE", DOWNLOADER))
            .waitingFor(new DockerEngine.NoWait())) {
      operator.start();
      HttpClient http = HttpClient.newHttpClient();
      URI readyz = URI.create("http://" + engine.containerAddress() + ":8080/readyz");
      try {
        await()
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptionsInstanceOf(IOException.class)
            .untilAsserted(
                () -> {
                  assertThat(operator.isRunning()).as("the operator container is running").isTrue();
                  HttpResponse<String> r =
                      http.send(
                          HttpRequest.newBuilder(readyz).build(),
                          HttpResponse.BodyHandlers.ofString());
                  assertThat(r.statusCode()).isEqualTo(200);
                });

        Lease lease =
            await()
                .atMost(Duration.ofMinutes(1))
                .until(
                    () ->
                        cluster
                            .admin()
                            .leases()
                            .inNamespace(NAMESPACE)
                            .withName("modelprefetch-operator")
                            .get(),
                    l -> l != null && l.getSpec().getHolderIdentity() != null);
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(POD_NAME);

        String ns = cluster.newNamespace("image");
        ModelArtifact artifact =
            Artifacts.hf(ns, "tiny")
                .endpoint("http://" + engine.hostAddresses().get(0) + ":9")
                .build();
        cluster.admin().resource(artifact).create();
        Job job =
            await()
                .atMost(Duration.ofMinutes(1))
                .until(
                    () ->
                        cluster
                            .admin()
                            .batch()
                            .v1()
                            .jobs()
                            .inNamespace(ns)
                            .list()
                            .getItems()
                            .stream()
                            .findFirst()
                            .orElse(null),
                    j -> j != null);
        List<String> images =
            job.getSpec().getTemplate().getSpec().getContainers().stream()
                .map(c -> c.getImage())
                .toList();
        List<String> initImages =
            job.getSpec().getTemplate().getSpec().getInitContainers().stream()
                .map(c -> c.getImage())
                .toList();
        assertThat(images.isEmpty() ? initImages : images).contains(DOWNLOADER);

        URI metrics = URI.create("http://" + engine.containerAddress() + ":8080/metrics");
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(
                            http.send(
                                    HttpRequest.newBuilder(metrics).build(),
                                    HttpResponse.BodyHandlers.ofString())
                                .body())
                        .contains("modelprefetch_artifact_phase{")
                        .contains("name=\"tiny\""));
      } finally {
        System.out.println(
            "--- operator container stdout:\n"
                + operator.getLogs(OutputType.STDOUT)
                + "\n--- stderr:\n"
                + operator.getLogs(OutputType.STDERR));
      }
      assertThat(operator.getLogs(OutputType.STDERR))
          .doesNotContain("WARNING: A restricted method");
    }
  }
}
