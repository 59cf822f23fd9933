package io.modelprefetch.operator.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.modelprefetch.operator.webhook.ArtifactsAnnotation;
import io.modelprefetch.operator.webhook.PodLabels;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety net of failurePolicy Ignore: gives each opted-in pod admitted without injection
 * (webhook down or unreachable) a Warning Event saying so and what to do. It sees the pods through
 * the reconciler's informer over opted-in pods (one informer for counting consumers and for this).
 * The Event has a fixed name per pod, so restarts, resyncs and replicas never report a pod twice.
 */
public final class NotInjectedPods {
  public static final String REASON = "ModelNotInjected";
  public static final String COMPONENT = "modelprefetch-webhook";
  private static final Logger LOG = LoggerFactory.getLogger(NotInjectedPods.class);
  private final KubernetesClient client;
  private final Clock clock;

  public NotInjectedPods(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** True for a live opted-in pod without our marker. */
  public static boolean notInjected(Pod pod) {
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return (annotations == null || !annotations.containsKey(PodLabels.INJECTED_ANNOTATION))
        && pod.getMetadata().getDeletionTimestamp() == null
        && !"Succeeded".equals(phase)
        && !"Failed".equals(phase);
  }

  /** Records the Event when {@code pod} (added or updated) was admitted without injection. */
  public void check(Pod pod) {
    if (!notInjected(pod)) {
      return;
    }
    try {
      client
          .v1()
          .events()
          .inNamespace(pod.getMetadata().getNamespace())
          .resource(event(pod))
          .create();
      LOG.warn(
          "pod {}/{} opted in to modelprefetch but was admitted without injection",
          pod.getMetadata().getNamespace(),
          pod.getMetadata().getName());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        LOG.warn(
            "cannot record event {} on pod {}/{}: {}",
            REASON,
            pod.getMetadata().getNamespace(),
            pod.getMetadata().getName(),
            e.getMessage());
      }
    }
  }

  Event event(Pod pod) {
    Set<String> artifacts = ArtifactsAnnotation.namesOf(pod);
    String name = pod.getMetadata().getName();
    String eventName =
        (name.length() > 200 ? name.substring(0, 200) : name) + ".modelprefetch-not-injected";
    String now =
        DateTimeFormatter.ISO_INSTANT.format(
            clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    return new EventBuilder()
        .withNewMetadata()
        .withName(eventName)
        .withNamespace(pod.getMetadata().getNamespace())
        .endMetadata()
        .withNewInvolvedObject()
        .withApiVersion("v1")
        .withKind("Pod")
        .withName(name)
        .withNamespace(pod.getMetadata().getNamespace())
        .withUid(pod.getMetadata().getUid())
        .endInvolvedObject()
        .withType("Warning")
        .withReason(REASON)
        .withMessage(
            "pod is labelled "
                + PodLabels.INJECT_LABEL
                + "=true but was admitted without modelprefetch"
                + " injection (the webhook was unreachable; failurePolicy Ignore): "
                + (artifacts.isEmpty()
                    ? "no artifact"
                    : "artifact(s) " + String.join(",", artifacts.stream().sorted().toList()))
                + " not mounted and MODEL_PATH unset. Delete the pod (or rollout-restart its"
                + " workload) once the modelprefetch operator is running")
        .withNewSource()
        .withComponent(COMPONENT)
        .endSource()
        .withReportingComponent(COMPONENT)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .build();
  }
}
