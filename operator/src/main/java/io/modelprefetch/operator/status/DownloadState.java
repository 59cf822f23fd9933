package io.modelprefetch.operator.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.modelprefetch.api.downloader.ExitCode;
import io.modelprefetch.api.downloader.TerminationMessage;
import io.modelprefetch.operator.dependent.DownloadPodTemplate;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What the current generation's download Job (and its pods) say. */
public sealed interface DownloadState {

  /** No Job yet, or a Job whose pod has not started. */
  record NotStarted(boolean jobCreated) implements DownloadState {}

  record Running(String startedAt, int attempts) implements DownloadState {}

  record Succeeded(String startedAt, String completedAt, int attempts) implements DownloadState {}

  /**
   * {@code reason} is a condition reason (e.g. SourceError); {@code message} comes from the
   * termination message.
   */
  record Failed(String reason, String message, String startedAt, int attempts)
      implements DownloadState {}

  static DownloadState of(Optional<Job> job, List<Pod> pods) {
    if (job.isEmpty()) {
      return new NotStarted(false);
    }
    JobStatus s = job.get().getStatus();
    if (s == null) {
      return new NotStarted(true);
    }
    int attempts = count(s.getFailed()) + count(s.getSucceeded()) + count(s.getActive());
    if (isTrue(s, "Complete")) {
      return new Succeeded(s.getStartTime(), s.getCompletionTime(), Math.max(attempts, 1));
    }
    if (isTrue(s, "Failed")) {
      return failed(s, pods, Math.max(attempts, 1));
    }
    if (s.getStartTime() == null && count(s.getActive()) == 0) {
      return new NotStarted(true);
    }
    if (count(s.getFailed()) == 0 && pods.stream().noneMatch(DownloadState::pullStarted)) {
      return new NotStarted(
          true); // the Job controller made a pod, which waits for a node, its volume or its image
    }
    return new Running(s.getStartTime(), Math.max(attempts, 1));
  }

  /**
   * The downloader runs or ran in this pod: until then the artifact is not resolving anything yet.
   */
  private static boolean pullStarted(Pod pod) {
    return pullState(pod)
        .filter(st -> st.getRunning() != null || st.getTerminated() != null)
        .isPresent();
  }

  private static Failed failed(JobStatus s, List<Pod> pods, int attempts) {
    Optional<ContainerStateTerminated> pull =
        pods.stream()
            .sorted(
                Comparator.comparing(
                        (Pod p) -> p.getMetadata().getCreationTimestamp(),
                        Comparator.nullsFirst(Comparator.naturalOrder()))
                    .reversed())
            .map(DownloadState::pullTermination)
            .flatMap(Optional::stream)
            .filter(t -> t.getExitCode() != null && t.getExitCode() != 0)
            .findFirst();
    String jobMessage =
        s.getConditions().stream()
            .filter(c -> "Failed".equals(c.getType()))
            .map(c -> c.getReason() + ": " + c.getMessage())
            .findFirst()
            .orElse("the download Job failed");
    if (pull.isEmpty()) {
      return new Failed("DownloadFailed", jobMessage, s.getStartTime(), attempts);
    }
    ContainerStateTerminated t = pull.get();
    return new Failed(
        ExitCode.reasonFor(t.getExitCode()),
        errorOf(t.getMessage()).orElse(jobMessage),
        s.getStartTime(),
        attempts);
  }

  private static Optional<ContainerStateTerminated> pullTermination(Pod pod) {
    return pullState(pod).map(ContainerState::getTerminated);
  }

  private static Optional<ContainerState> pullState(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getInitContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getInitContainerStatuses().stream()
        .filter(c -> DownloadPodTemplate.PULL_CONTAINER.equals(c.getName()))
        .map(ContainerStatus::getState)
        .filter(Objects::nonNull)
        .findFirst();
  }

  /**
   * The {@code error} of the downloader's termination message; raw logs (fallback) are not shown.
   */
  private static Optional<String> errorOf(String terminationMessage) {
    if (terminationMessage == null || terminationMessage.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(
          new ObjectMapper().readValue(terminationMessage, TerminationMessage.class).error());
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  private static boolean isTrue(JobStatus s, String type) {
    List<JobCondition> conditions = s.getConditions() == null ? List.of() : s.getConditions();
    return conditions.stream()
        .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static int count(Integer n) {
    return n == null ? 0 : n;
  }
}
