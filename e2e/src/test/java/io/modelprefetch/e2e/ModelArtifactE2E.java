package io.modelprefetch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.ModelArtifactStatus;
import io.modelprefetch.api.v1alpha1.Phase;
import io.modelprefetch.e2e.cluster.E2EExtension;
import io.modelprefetch.e2e.cluster.Kubectl;
import io.modelprefetch.e2e.cluster.Release;
import io.modelprefetch.operator.dependent.ArtifactNames;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A ModelArtifact on a real node: the chart's operator, the real downloader image, a provisioned
 * volume.
 */
@ExtendWith(E2EExtension.class)
class ModelArtifactE2E {
  @Test
  void anArtifactGoesFromPendingThroughDownloadingToReadyOnADynamicallyProvisionedVolume(
      Release release) throws Exception {
    try (Scenario s = new Scenario(release, "ready", false)) {
      s.slowCdn();
      Scenario.PhaseRecorder recorder = s.recordPhases("llama");
      s.create(s.artifact("llama"));

      ModelArtifactStatus downloading =
          s.awaitStatus(
              "llama",
              st ->
                  st.phase() == Phase.Downloading
                      && st.progress() != null
                      && st.progress().bytesDone() != null
                      && st.progress().bytesDone() > 0,
              Duration.ofMinutes(3));
      assertThat(downloading.progress().bytesTotal()).isEqualTo(Scenario.TOTAL);
      Kubectl.Result live =
          await()
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () -> s.kubectl().run("get", "ma", "-n", s.ns),
                  r -> r.output().contains("Downloading"));
      System.out.println("MEASUREMENT kubectl get ma (downloading, real node):\n" + live.output());
      assertThat(live.output())
          .contains("llama", "Downloading", "24.0 MiB")
          .containsPattern("\\d+%");

      ModelArtifactStatus ready = s.awaitPhase("llama", Phase.Ready, Duration.ofMinutes(3));
      // The read that saw Ready can come before the watch delivers the same event.
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> recorder.phases.contains(Phase.Ready));
      recorder.close();
      assertThat(recorder.phases)
          .as("phases seen by a watch")
          .startsWith(Phase.Pending)
          .endsWith(Phase.Ready)
          .contains(Phase.Downloading)
          .doesNotContain(Phase.Failed);
      assertThat(recorder.downloadingBytes)
          .as("progress while Downloading")
          .anySatisfy(b -> assertThat(b).isGreaterThan(0).isLessThan(Scenario.TOTAL));
      assertThat(ready.resolved().revision()).isEqualTo(s.hub.revision(Scenario.REPO, "main"));
      assertThat(ready.progress().bytesDone()).isEqualTo(Scenario.TOTAL);
      assertThat(ready.attempts()).isEqualTo(1);

      Pod pod = s.downloadPods().getFirst();
      assertThat(pod.getSpec().getNodeName()).as("scheduled on the real node").isNotBlank();
      Kubectl.Result logs =
          s.kubectl().run("logs", "-n", s.ns, pod.getMetadata().getName(), "-c", "pull");
      System.out.println("MEASUREMENT kubectl logs (download pod):\n" + logs.output());
      assertThat(logs.exitCode()).isZero();
      assertThat(logs.output())
          .contains("\"event\":\"progress\"")
          .contains("\"event\":\"done\"")
          .contains("\"bytesTotal\":" + Scenario.TOTAL);

      PersistentVolume volume = s.volumeOf(claimOf(s, "llama"));
      assertThat(volume.getSpec().getStorageClassName()).isEqualTo("local-path");
      assertThat(Scenario.sha256(release.cluster().readVolumeFile(volume, "model.safetensors")))
          .isEqualTo(Scenario.sha256(Scenario.WEIGHTS));
      assertThat(release.cluster().readVolumeFile(volume, "config.json"))
          .isEqualTo(Scenario.CONFIG);
      assertThat(release.cluster().volumeFileOwner(volume, "model.safetensors"))
          .as("written by the non-root downloader")
          .isEqualTo(65532);
    }
  }

  /**
   * The claim the operator created for the artifact (retained by default: found by name, not by an
   * owner reference).
   */
  static String claimOf(Scenario s, String artifact) {
    ModelArtifact ma =
        s.kube.resources(ModelArtifact.class).inNamespace(s.ns).withName(artifact).get();
    String claim = ArtifactNames.claimOf(ma);
    assertThat(s.kube.persistentVolumeClaims().inNamespace(s.ns).withName(claim).get())
        .as("claim " + claim)
        .isNotNull();
    return claim;
  }
}
