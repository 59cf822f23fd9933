package io.modelprefetch.operator.status;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.modelprefetch.api.v1alpha1.Consumers;
import io.modelprefetch.operator.events.NotInjectedPods;
import io.modelprefetch.operator.webhook.ArtifactsAnnotation;
import io.modelprefetch.operator.webhook.InjectionNames;
import io.modelprefetch.operator.webhook.PodLabels;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The pods that use one artifact, for its {@code status.consumers}: live pods (not
 * Succeeded/Failed, not being deleted) of the artifact's namespace that carry the opt-in label and
 * list the artifact in their annotation. Each is exactly one of
 *
 * <ul>
 *   <li>not injected: admitted without our marker (see {@link NotInjectedPods});
 *   <li>ready: injected and the files are there (the artifact's init container exited 0, or the pod
 *       is Ready, which implies it);
 *   <li>waiting: injected, neither of the above yet.
 * </ul>
 */
public final class ConsumerPods {
  private ConsumerPods() {}

  public static Consumers count(String namespace, String artifact, Collection<Pod> pods) {
    int waiting = 0;
    int ready = 0;
    int notInjected = 0;
    for (Pod pod : pods) {
      if (!consumes(pod, namespace, artifact) || finished(pod)) {
        continue;
      }
      if (NotInjectedPods.notInjected(pod)) {
        notInjected++;
      } else if (podReady(pod) || initDone(pod, artifact)) {
        ready++;
      } else {
        waiting++;
      }
    }
    return new Consumers(waiting, ready, notInjected);
  }

  /** The consumers of {@code artifact} that were admitted without injection. */
  public static List<Pod> notInjected(String namespace, String artifact, Collection<Pod> pods) {
    return pods.stream()
        .filter(pod -> consumes(pod, namespace, artifact) && NotInjectedPods.notInjected(pod))
        .toList();
  }

  private static boolean consumes(Pod pod, String namespace, String artifact) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return namespace.equals(pod.getMetadata().getNamespace())
        && labels != null
        && "true".equals(labels.get(PodLabels.INJECT_LABEL))
        && ArtifactsAnnotation.namesOf(pod).contains(artifact);
  }

  private static boolean finished(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return pod.getMetadata().getDeletionTimestamp() != null
        || "Succeeded".equals(phase)
        || "Failed".equals(phase);
  }

  private static boolean podReady(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static boolean initDone(Pod pod, String artifact) {
    InjectionNames names = new InjectionNames(artifact);
    List<ContainerStatus> statuses =
        pod.getStatus() == null || pod.getStatus().getInitContainerStatuses() == null
            ? List.of()
            : pod.getStatus().getInitContainerStatuses();
    return statuses.stream()
        .filter(
            s ->
                s.getName().equals(names.waitContainer())
                    || s.getName().equals(names.pullContainer()))
        .anyMatch(
            s ->
                s.getState() != null
                    && s.getState().getTerminated() != null
                    && Integer.valueOf(0).equals(s.getState().getTerminated().getExitCode()));
  }
}
