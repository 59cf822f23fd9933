package io.modelprefetch.operator.webhook;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The pods that use one artifact, for its status.
 *
 * @param waiting injected, the artifact's init container has not finished yet
 * @param ready injected, the artifact's init container finished successfully (files are there)
 * @param notInjected opted in but admitted without injection (see {@link NotInjectedPodWatcher})
 */
public record Consumers(int waiting, int ready, int notInjected) {

  /**
   * Counts the live pods (not Succeeded/Failed, not being deleted) of {@code namespace} that list
   * {@code artifact} in their annotation and carry the opt-in label.
   */
  public static Consumers of(String namespace, String artifact, Collection<Pod> pods) {
    int waiting = 0;
    int ready = 0;
    int notInjected = 0;
    for (Pod pod : pods) {
      if (!consumes(pod, namespace, artifact) || finished(pod)) {
        continue;
      }
      if (NotInjectedPodWatcher.notInjected(pod)) {
        notInjected++;
      } else if (initDone(pod, artifact)) {
        ready++;
      } else {
        waiting++;
      }
    }
    return new Consumers(waiting, ready, notInjected);
  }

  private static boolean consumes(Pod pod, String namespace, String artifact) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return namespace.equals(pod.getMetadata().getNamespace())
        && labels != null && "true".equals(labels.get(PodLabels.INJECT_LABEL))
        && ArtifactsAnnotation.namesOf(pod).contains(artifact);
  }

  private static boolean finished(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return pod.getMetadata().getDeletionTimestamp() != null || "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static boolean initDone(Pod pod, String artifact) {
    InjectionNames names = new InjectionNames(artifact);
    List<ContainerStatus> statuses = pod.getStatus() == null ? List.of() : pod.getStatus().getInitContainerStatuses();
    return statuses.stream()
        .filter(s -> s.getName().equals(names.waitContainer()) || s.getName().equals(names.pullContainer()))
        .anyMatch(s -> s.getState() != null && s.getState().getTerminated() != null
            && Integer.valueOf(0).equals(s.getState().getTerminated().getExitCode()));
  }
}
