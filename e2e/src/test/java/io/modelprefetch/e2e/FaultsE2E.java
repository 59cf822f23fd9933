package io.modelprefetch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.modelprefetch.api.v1alpha1.ModelArtifactStatus;
import io.modelprefetch.api.v1alpha1.Phase;
import io.modelprefetch.e2e.cluster.E2EExtension;
import io.modelprefetch.e2e.cluster.Release;
import io.modelprefetch.fixtures.data.Datasets;
import io.modelprefetch.fixtures.http.Fault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Faults on a real node: pods deleted mid-download, the webhook gone, a repository that does not
 * exist.
 */
@ExtendWith(E2EExtension.class)
class FaultsE2E {
  @Test
  void aDeletedDownloadPodIsReplacedAndItsSuccessorResumes(Release release) throws Exception {
    try (Scenario s = new Scenario(release, "pod-kill", false)) {
      // Shards 1 and 2 arrive at once; every response for 3 and 4 stalls after 1 MiB: the pod is
      // deleted with half
      // the model on disk and 1 MiB written by each of its four connections, beyond any 4 MiB
      // journal checkpoint.
      // The stall outlasts the scenario, so the deleted pod's responses never complete (their rest
      // is never counted
      // as served); the faults are cleared at the deletion, so the successor's responses flow.
      // CDN paths name the blob's sha256, not the file (a file-name match never stalled: the pull
      // took 0.8 s).
      List<String> stalled =
          List.of(
              Scenario.sha256(Datasets.bytes(Scenario.SHARD_BYTES, 103)),
              Scenario.sha256(Datasets.bytes(Scenario.SHARD_BYTES, 104)));
      s.hub
          .cdnFaults()
          .inject(
              path -> stalled.stream().anyMatch(path::contains),
              1_000,
              new Fault.Stall(1 << 20, Duration.ofMinutes(10)));
      long total = (long) Scenario.SHARDS * Scenario.SHARD_BYTES;
      s.create(s.artifact("llama").uri("hf://" + Scenario.SHARDED));
      ModelArtifactStatus partway =
          s.awaitStatus(
              "llama",
              st ->
                  st.phase() == Phase.Downloading
                      && st.progress() != null
                      && st.progress().filesDone() != null
                      && st.progress().filesDone() >= 2,
              Duration.ofMinutes(3));
      Pod first = s.downloadPods().getFirst();
      long doneAtKill = partway.progress().bytesDone();

      long servedAtKill = s.hub.cdnStats().totalBodyBytes();
      s.kube.pods().inNamespace(s.ns).withName(first.getMetadata().getName()).delete();
      s.hub.cdnFaults().clear();
      await()
          .atMost(Duration.ofMinutes(1))
          .until(
              () ->
                  s.kube.pods().inNamespace(s.ns).withName(first.getMetadata().getName()).get()
                      == null);

      ModelArtifactStatus ready = s.awaitPhase("llama", Phase.Ready, Duration.ofMinutes(4));
      List<Pod> pods = s.downloadPods();
      assertThat(pods).as("the Job's next pod").hasSize(1);
      assertThat(pods.getFirst().getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());
      long served = s.hub.cdnStats().totalBodyBytes();
      long refetched = served - total;
      System.out.printf(
          "MEASUREMENT download pod deleted at %d of %d bytes on disk (%d served): successor"
              + " fetched %d, bytes fetched twice %d%n",
          doneAtKill, total, servedAtKill, served - servedAtKill, refetched);
      assertThat(served - servedAtKill)
          .as("the successor resumes: it fetches only what was not on disk")
          .isLessThanOrEqualTo(total - doneAtKill);
      // A deleted pod gets SIGTERM: the downloader journals what each connection wrote since its
      // last checkpoint
      // (here 1 MiB each), so nothing is fetched twice. Only SIGKILL would lose up to 4 MiB per
      // connection.
      assertThat(refetched).as("bytes fetched twice").isZero();
      assertThat(ready.progress().bytesDone()).isEqualTo(total);
      PersistentVolume volume = s.volumeOf(ModelArtifactE2E.claimOf(s, "llama"));
      for (int i = 1; i <= Scenario.SHARDS; i++) {
        assertThat(Scenario.sha256(release.cluster().readVolumeFile(volume, Scenario.shard(i))))
            .isEqualTo(Scenario.sha256(Datasets.bytes(Scenario.SHARD_BYTES, 100 + i)));
      }
    }
  }

  @Test
  void theArtifactReachesReadyWhenTheOperatorPodIsDeletedMidDownload(Release release)
      throws Exception {
    try (Scenario s = new Scenario(release, "operator-kill", false)) {
      s.slowCdn();
      s.create(s.artifact("llama"));
      s.awaitStatus(
          "llama",
          st ->
              st.phase() == Phase.Downloading
                  && st.progress() != null
                  && st.progress().bytesDone() != null
                  && st.progress().bytesDone() > 0,
          Duration.ofMinutes(3));
      Job job = s.kube.batch().v1().jobs().inNamespace(s.ns).list().getItems().getFirst();
      List<Pod> operators = operatorPods(s);
      s.kube
          .pods()
          .inNamespace(Release.NAMESPACE)
          .withLabel("app.kubernetes.io/component", "operator")
          .delete();

      ModelArtifactStatus ready = s.awaitPhase("llama", Phase.Ready, Duration.ofMinutes(4));
      assertThat(operatorPods(s))
          .as("a new operator pod")
          .noneMatch(
              p ->
                  operators.stream()
                      .anyMatch(o -> o.getMetadata().getUid().equals(p.getMetadata().getUid())));
      assertThat(ready.attempts()).isEqualTo(1);
      assertThat(s.kube.batch().v1().jobs().inNamespace(s.ns).list().getItems())
          .singleElement()
          .satisfies(
              j -> assertThat(j.getMetadata().getUid()).isEqualTo(job.getMetadata().getUid()));
      assertThat(s.downloadPods()).hasSize(1);
    }
  }

  @Test
  void withTheWebhookDownOptedInPodsAreAdmittedAndReportedAndOtherPodsNeverWait(Release release)
      throws Exception {
    try (Scenario s = new Scenario(release, "webhook-down", false)) {
      s.create(s.artifact("llama"));
      release.scaleOperator(0);
      try {
        long t0 = System.nanoTime();
        Pod optedIn =
            s.kube
                .pods()
                .inNamespace(s.ns)
                .resource(pausePod("opted-in", ConsumerPods.OPT_IN))
                .create();
        long optedInMillis = (System.nanoTime() - t0) / 1_000_000;
        t0 = System.nanoTime();
        s.kube.pods().inNamespace(s.ns).resource(pausePod("plain", Map.of())).create();
        long plainMillis = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf(
            "MEASUREMENT admission with the webhook down: opted-in %d ms, other pod %d ms%n",
            optedInMillis, plainMillis);
        assertThat(optedIn.getMetadata().getAnnotations())
            .doesNotContainKey("modelprefetch.io/injected");
        assertThat(optedIn.getSpec().getInitContainers()).isEmpty();
        assertThat(optedInMillis).as("failurePolicy Ignore, timeout 5 s").isLessThan(7_000);
        assertThat(plainMillis)
            .as("pods that did not opt in are never sent to the webhook")
            .isLessThan(2_000);
        await().atMost(Duration.ofMinutes(2)).until(() -> running(s, "plain"));
      } finally {
        release.scaleOperator(1);
      }
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () ->
                  assertThat(s.kube.v1().events().inNamespace(s.ns).list().getItems())
                      .anySatisfy(
                          e -> {
                            assertThat(e.getReason()).isEqualTo("ModelNotInjected");
                            assertThat(e.getInvolvedObject().getName()).isEqualTo("opted-in");
                          }));
      assertThat(
              s.awaitStatus(
                      "llama",
                      st ->
                          st.consumers() != null
                              && st.consumers().notInjected() != null
                              && st.consumers().notInjected() == 1,
                      Duration.ofMinutes(2))
                  .consumers()
                  .notInjected())
          .isEqualTo(1);
    }
  }

  @Test
  void aRepositoryThatDoesNotExistFailsWithTheDownloadersTerminationMessage(Release release)
      throws Exception {
    try (Scenario s = new Scenario(release, "wrong-repo", false)) {
      s.create(s.artifact("nope").uri("hf://demo/no-such-model"));

      ModelArtifactStatus failed = s.awaitPhase("nope", Phase.Failed, Duration.ofMinutes(3));
      Pod pod = s.downloadPods().getFirst();
      ContainerStatus pull =
          pod.getStatus().getInitContainerStatuses().stream()
              .filter(c -> c.getName().equals("pull"))
              .findFirst()
              .orElseThrow();
      String termination = pull.getState().getTerminated().getMessage();
      System.out.println("MEASUREMENT termination message of the pull container: " + termination);
      assertThat(pull.getState().getTerminated().getExitCode()).as("SourceError").isEqualTo(3);
      assertThat(termination).contains("demo/no-such-model");
      Condition readyCondition =
          failed.conditions().stream()
              .filter(c -> c.getType().equals("Ready"))
              .findFirst()
              .orElseThrow();
      System.out.println(
          "MEASUREMENT Ready condition: "
              + readyCondition.getReason()
              + ": "
              + readyCondition.getMessage());
      assertThat(readyCondition.getStatus()).isEqualTo("False");
      assertThat(readyCondition.getMessage()).contains("demo/no-such-model").contains("404");
      assertThat(s.downloadPods()).as("a source error is final: no retry").hasSize(1);
    }
  }

  private static List<Pod> operatorPods(Scenario s) {
    return s.kube
        .pods()
        .inNamespace(Release.NAMESPACE)
        .withLabel("app.kubernetes.io/component", "operator")
        .list()
        .getItems();
  }

  private static Pod pausePod(String name, Map<String, String> labels) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .withAnnotations(ConsumerPods.annotations("llama"))
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("main")
        .withImage(Release.PAUSE_IMAGE)
        .endContainer()
        .withTerminationGracePeriodSeconds(1L)
        .endSpec()
        .build();
  }

  private static boolean running(Scenario s, String pod) {
    Pod p = s.kube.pods().inNamespace(s.ns).withName(pod).get();
    return p != null && "Running".equals(p.getStatus().getPhase());
  }
}
