package io.modelprefetch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.modelprefetch.api.v1alpha1.ModelArtifactStatus;
import io.modelprefetch.api.v1alpha1.Phase;
import io.modelprefetch.downloader.manifest.Completion;
import io.modelprefetch.downloader.manifest.SafePath;
import io.modelprefetch.downloader.transfer.Destination;
import io.modelprefetch.e2e.cluster.E2EExtension;
import io.modelprefetch.e2e.cluster.Release;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pod webhook on a real node, reached by the API server through its Service (kube-proxy), in a
 * namespace that enforces the restricted Pod Security Standard.
 */
@ExtendWith(E2EExtension.class)
class InjectionE2E {
  private static final String WEIGHTS_SHA256 = Scenario.sha256(Scenario.WEIGHTS);

  @Test
  void aTwoReplicaDeploymentIsInjectedAndStartsOnlyOnceTheSharedModelIsReady(Release release)
      throws Exception {
    try (Scenario s = new Scenario(release, "inject", true)) {
      s.slowCdn();
      s.create(s.artifact("llama"));
      Deployment deployment =
          new DeploymentBuilder()
              .withNewMetadata()
              .withName("server")
              .endMetadata()
              .withNewSpec()
              .withReplicas(2)
              .withNewSelector()
              .addToMatchLabels("app", "server")
              .endSelector()
              .withNewTemplate()
              .withNewMetadata()
              .addToLabels("app", "server")
              .addToLabels(ConsumerPods.OPT_IN)
              .withAnnotations(ConsumerPods.annotations("llama"))
              .endMetadata()
              .withSpec(ConsumerPods.spec(WEIGHTS_SHA256))
              .endTemplate()
              .endSpec()
              .build();
      s.kube.apps().deployments().inNamespace(s.ns).resource(deployment).create();

      List<Pod> pods =
          await().atMost(Duration.ofMinutes(1)).until(() -> serverPods(s), l -> l.size() == 2);
      for (Pod pod : pods) {
        assertThat(pod.getMetadata().getAnnotations()).containsKey("modelprefetch.io/injected");
        assertThat(pod.getSpec().getInitContainers())
            .singleElement()
            .satisfies(
                init -> {
                  assertThat(init.getImage()).isEqualTo(Release.DOWNLOADER_IMAGE);
                  assertThat(init.getArgs()).startsWith("wait");
                });
        Container server = pod.getSpec().getContainers().getFirst();
        assertThat(server.getEnv())
            .extracting(EnvVar::getName, EnvVar::getValue)
            .contains(org.assertj.core.groups.Tuple.tuple("MODEL_PATH", "/models/llama"));
        assertThat(server.getVolumeMounts())
            .anySatisfy(
                m -> {
                  assertThat(m.getMountPath()).isEqualTo("/models/llama");
                  assertThat(m.getReadOnly()).isTrue();
                });
      }
      s.awaitStatus(
          "llama",
          st ->
              st.phase() == Phase.Downloading
                  && st.progress() != null
                  && st.progress().bytesDone() != null
                  && st.progress().bytesDone() > 0,
          Duration.ofMinutes(3));
      List<Pod> waiting = serverPods(s);
      assertThat(waiting)
          .as("no server starts while the model downloads")
          .hasSize(2)
          .allSatisfy(
              p ->
                  assertThat(serverStatus(p))
                      .satisfiesAnyOf(
                          c -> assertThat(c).isNull(),
                          c -> assertThat(c.getState().getRunning()).isNull()));

      ModelArtifactStatus ready = s.awaitPhase("llama", Phase.Ready, Duration.ofMinutes(3));
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                Deployment d =
                    s.kube.apps().deployments().inNamespace(s.ns).withName("server").get();
                return d.getStatus() != null
                    && Integer.valueOf(2).equals(d.getStatus().getReadyReplicas());
              });
      // The injected init container waits for the completion manifest the downloader writes last
      // (README: "waits
      // until the model is complete and verified"); Ready follows when the Job controller and the
      // operator see the
      // pod end, seconds later on a loaded node, so servers may start before status.completedAt but
      // never before this.
      Instant verifiedAt =
          Instant.parse(
                  new ObjectMapper()
                      .readValue(
                          release
                              .cluster()
                              .readVolumeFile(
                                  s.volumeOf(ModelArtifactE2E.claimOf(s, "llama")),
                                  SafePath.STATE_DIR + "/" + Destination.COMPLETION),
                          Completion.class)
                      .completedAt())
              .truncatedTo(ChronoUnit.SECONDS);
      assertThat(Instant.parse(ready.completedAt()))
          .as("Ready after the pull completed")
          .isAfterOrEqualTo(verifiedAt);
      for (Pod pod : serverPods(s)) {
        Instant started = Instant.parse(serverStatus(pod).getState().getRunning().getStartedAt());
        assertThat(started)
            .as(
                "server of "
                    + pod.getMetadata().getName()
                    + " started once the model was complete and verified")
            .isAfterOrEqualTo(verifiedAt);
        String logs =
            s.kubectl()
                .run("logs", "-n", s.ns, pod.getMetadata().getName(), "-c", "server")
                .output();
        assertThat(logs)
            .contains(
                "model check ok: /models/llama/model.safetensors bytes="
                    + Scenario.WEIGHTS.length
                    + " sha256="
                    + WEIGHTS_SHA256);
      }
      assertThat(
              s.awaitStatus(
                      "llama",
                      st ->
                          st.consumers() != null
                              && Integer.valueOf(2).equals(st.consumers().ready()),
                      Duration.ofMinutes(1))
                  .consumers()
                  .ready())
          .isEqualTo(2);
    }
  }

  @Test
  void anEmptyDirArtifactIsDownloadedByThePodItself(Release release) throws Exception {
    try (Scenario s = new Scenario(release, "own-copy", true)) {
      s.create(s.artifact("llama").emptyDir());
      Pod pod =
          new PodBuilder()
              .withNewMetadata()
              .withName("server")
              .withLabels(ConsumerPods.OPT_IN)
              .withAnnotations(ConsumerPods.annotations("llama"))
              .endMetadata()
              .withSpec(ConsumerPods.spec(WEIGHTS_SHA256))
              .build();
      Pod created = s.kube.pods().inNamespace(s.ns).resource(pod).create();

      assertThat(created.getSpec().getInitContainers())
          .singleElement()
          .satisfies(
              init -> {
                assertThat(init.getImage()).isEqualTo(Release.DOWNLOADER_IMAGE);
                assertThat(init.getArgs()).startsWith("pull");
              });
      assertThat(created.getSpec().getVolumes())
          .anySatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                Pod p = s.kube.pods().inNamespace(s.ns).withName("server").get();
                return p.getStatus().getConditions().stream()
                    .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
              });
      String init = created.getSpec().getInitContainers().getFirst().getName();
      String pullLogs = s.kubectl().run("logs", "-n", s.ns, "server", "-c", init).output();
      assertThat(pullLogs).contains("\"event\":\"done\"");
      assertThat(s.kubectl().run("logs", "-n", s.ns, "server", "-c", "server").output())
          .contains(
              "model check ok: /models/llama/model.safetensors bytes=" + Scenario.WEIGHTS.length);
      assertThat(s.hub.cdnStats().totalBodyBytes())
          .as("the pod fetched its own copy")
          .isGreaterThanOrEqualTo(Scenario.WEIGHTS.length);
    }
  }

  private static List<Pod> serverPods(Scenario s) {
    return s.kube.pods().inNamespace(s.ns).withLabel("app", "server").list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  private static ContainerStatus serverStatus(Pod pod) {
    return pod.getStatus().getContainerStatuses() == null
        ? null
        : pod.getStatus().getContainerStatuses().stream()
            .filter(c -> c.getName().equals("server"))
            .findFirst()
            .orElse(null);
  }
}
