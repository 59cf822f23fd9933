package io.modelprefetch.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.modelprefetch.operator.dependent.DownloadPodTemplate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * On a real node the Job controller sets {@code startTime} and {@code active} the moment it creates
 * the pod; the pod then waits for scheduling, its volume and its image. Until the downloader runs
 * the artifact is Pending, not Resolving.
 */
class DownloadStateTest {
  private static final String T0 = "2026-01-01T00:00:00Z";

  @Test
  void aJobWhosePodHasNotStartedTheDownloaderIsNotStarted() {
    assertThat(DownloadState.of(Optional.of(job(0)), List.of()))
        .isEqualTo(new DownloadState.NotStarted(true));
    assertThat(DownloadState.of(Optional.of(job(0)), List.of(pod(null))))
        .isEqualTo(new DownloadState.NotStarted(true));
    assertThat(
            DownloadState.of(
                Optional.of(job(0)),
                List.of(
                    pod(
                        new ContainerStatusBuilder()
                            .withName(DownloadPodTemplate.PULL_CONTAINER)
                            .withNewState()
                            .withNewWaiting()
                            .withReason("PodInitializing")
                            .endWaiting()
                            .endState()
                            .build()))))
        .isEqualTo(new DownloadState.NotStarted(true));
  }

  @Test
  void theDownloaderRunningMeansRunning() {
    Pod running =
        pod(
            new ContainerStatusBuilder()
                .withName(DownloadPodTemplate.PULL_CONTAINER)
                .withNewState()
                .withNewRunning()
                .withStartedAt(T0)
                .endRunning()
                .endState()
                .build());
    assertThat(DownloadState.of(Optional.of(job(0)), List.of(running)))
        .isEqualTo(new DownloadState.Running(T0, 1));
  }

  @Test
  void afterAFailedAttemptTheRetryIsStillRunning() {
    assertThat(DownloadState.of(Optional.of(job(1)), List.of(pod(null))))
        .isEqualTo(new DownloadState.Running(T0, 2));
  }

  private static Job job(int failed) {
    return new JobBuilder()
        .withNewMetadata()
        .withName("llama-dl")
        .endMetadata()
        .withNewStatus()
        .withStartTime(T0)
        .withActive(1)
        .withFailed(failed == 0 ? null : failed)
        .endStatus()
        .build();
  }

  private static Pod pod(io.fabric8.kubernetes.api.model.ContainerStatus pull) {
    PodBuilder pod = new PodBuilder().withNewMetadata().withName("llama-dl-x").endMetadata();
    return pull == null
        ? pod.withNewStatus().withPhase("Pending").endStatus().build()
        : pod.withNewStatus()
            .withPhase("Pending")
            .withInitContainerStatuses(pull)
            .endStatus()
            .build();
  }
}
