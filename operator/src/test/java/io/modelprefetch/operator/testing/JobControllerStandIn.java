package io.modelprefetch.operator.testing;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Plays the Job controller and kubelet (absent from a bare API server): creates the Job's pod and
 * moves pod and Job status the way they would.
 */
public final class JobControllerStandIn {
  private final KubernetesClient client;

  public JobControllerStandIn(KubernetesClient client) {
    this.client = client;
  }

  /** The pod is created and its init container runs; the Job counts it active. */
  public Pod startPod(Job job) {
    Pod pod =
        new PodBuilder()
            .withNewMetadataLike(job.getSpec().getTemplate().getMetadata())
            .withName(
                job.getMetadata().getName() + "-" + Long.toHexString(System.nanoTime() & 0xfffff))
            .withNamespace(job.getMetadata().getNamespace())
            .addToLabels("job-name", job.getMetadata().getName())
            .addToLabels("batch.kubernetes.io/job-name", job.getMetadata().getName())
            .addNewOwnerReference()
            .withApiVersion("batch/v1")
            .withKind("Job")
            .withName(job.getMetadata().getName())
            .withUid(job.getMetadata().getUid())
            .withController(true)
            .endOwnerReference()
            .endMetadata()
            .withSpec(job.getSpec().getTemplate().getSpec())
            .build();
    pod.getSpec().setNodeName("test-node");
    Pod created = client.resource(pod).create();
    created.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder()
            .withPhase("Pending")
            .withInitContainerStatuses(
                new ContainerStatusBuilder()
                    .withName("pull")
                    .withImage(pod.getSpec().getInitContainers().get(0).getImage())
                    .withImageID("")
                    .withReady(false)
                    .withRestartCount(0)
                    .withNewState()
                    .withNewRunning()
                    .withStartedAt(now())
                    .endRunning()
                    .endState()
                    .build())
            .build());
    Pod running = client.resource(created).updateStatus();
    updateJob(job, new JobStatusBuilder().withStartTime(now()).withActive(1).withReady(0).build());
    return running;
  }

  /**
   * The init container ended with {@code exitCode} and {@code terminationMessage}; the Job succeeds
   * or fails.
   */
  public void finish(Job job, Pod pod, int exitCode, String terminationMessage) {
    Pod current = client.resource(pod).get();
    current.getStatus().setPhase(exitCode == 0 ? "Succeeded" : "Failed");
    current
        .getStatus()
        .setInitContainerStatuses(
            List.of(
                new ContainerStatusBuilder()
                    .withName("pull")
                    .withImage(pod.getSpec().getInitContainers().get(0).getImage())
                    .withImageID("")
                    .withReady(false)
                    .withRestartCount(0)
                    .withNewState()
                    .withNewTerminated()
                    .withExitCode(exitCode)
                    .withMessage(terminationMessage)
                    .withReason(exitCode == 0 ? "Completed" : "Error")
                    .withStartedAt(now())
                    .withFinishedAt(now())
                    .endTerminated()
                    .endState()
                    .build()));
    client.resource(current).updateStatus();
    Job j = client.resource(job).get();
    String start =
        j.getStatus() == null || j.getStatus().getStartTime() == null
            ? now()
            : j.getStatus().getStartTime();
    JobStatus status =
        exitCode == 0
            ? new JobStatusBuilder()
                .withStartTime(start)
                .withActive(0)
                .withReady(0)
                .withSucceeded(1)
                .withCompletionTime(now())
                .withConditions(
                    condition("SuccessCriteriaMet", "CompletionsReached"),
                    condition("Complete", "CompletionsReached"))
                .build()
            : new JobStatusBuilder()
                .withStartTime(start)
                .withActive(0)
                .withReady(0)
                .withFailed(1)
                .withConditions(
                    condition("FailureTarget", "PodFailurePolicy"),
                    condition("Failed", "PodFailurePolicy"))
                .build();
    updateJob(j, status);
  }

  private void updateJob(Job job, JobStatus status) {
    Job current = client.resource(job).get();
    current.setStatus(status);
    client.resource(current).updateStatus();
  }

  private static io.fabric8.kubernetes.api.model.batch.v1.JobCondition condition(
      String type, String reason) {
    return new JobConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withReason(reason)
        .withMessage(reason)
        .withLastProbeTime(now())
        .withLastTransitionTime(now())
        .build();
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
