package io.modelprefetch.operator.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelprefetch.operator.webhook.PodLabels;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Pods that opted in to an artifact, as they reach a bare API server (no webhook, no kubelet): with
 * the webhook's marker (injected) or without it (admitted while the webhook was down), and made
 * Ready the way the kubelet would.
 */
public final class OptedInPods {
  private final KubernetesClient client;

  public OptedInPods(KubernetesClient client) {
    this.client = client;
  }

  /** Injected: carries the marker the webhook sets, naming the artifacts it injected. */
  public Pod injected(String namespace, String name, String artifacts) {
    return client
        .resource(
            new PodBuilder(optedIn(namespace, name, artifacts))
                .editMetadata()
                .addToAnnotations(PodLabels.INJECTED_ANNOTATION, names(artifacts))
                .endMetadata()
                .build())
        .create();
  }

  /** Admitted without injection: opted in, but no marker. */
  public Pod notInjected(String namespace, String name, String artifacts) {
    return client.resource(optedIn(namespace, name, artifacts)).create();
  }

  /** The kubelet's report of a running pod whose containers are all ready. */
  public Pod ready(Pod pod) {
    Pod current = client.resource(pod).get();
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    current.setStatus(
        new PodStatusBuilder()
            .withPhase("Running")
            .withStartTime(now)
            .withConditions(
                new PodConditionBuilder()
                    .withType("Ready")
                    .withStatus("True")
                    .withLastTransitionTime(now)
                    .build())
            .build());
    return client.resource(current).updateStatus();
  }

  private static Pod optedIn(String namespace, String name, String artifacts) {
    return new PodBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .addToLabels(PodLabels.INJECT_LABEL, "true")
        .addToAnnotations(PodLabels.ARTIFACTS_ANNOTATION, artifacts)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("server")
        .withImage("vllm/vllm-openai:v0.11.0")
        .endContainer()
        .endSpec()
        .build();
  }

  /** {@code llama,bge=/mnt/bge} → {@code llama,bge}, as the marker lists them. */
  private static String names(String artifacts) {
    return String.join(
        ",",
        java.util.Arrays.stream(artifacts.split(","))
            .map(e -> e.split("=", 2)[0].strip())
            .toList());
  }
}
