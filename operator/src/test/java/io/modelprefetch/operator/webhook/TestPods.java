package io.modelprefetch.operator.webhook;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/** Pods as users write them: Pod Security "restricted" compliant, optionally opted in. */
public final class TestPods {
  private TestPods() {}

  /** An opted-in pod with one app container and one init container of its own. */
  public static PodBuilder optedIn(String name, String artifacts) {
    return plain(name)
        .editMetadata()
        .addToLabels(PodLabels.INJECT_LABEL, "true")
        .addToAnnotations(PodLabels.ARTIFACTS_ANNOTATION, artifacts)
        .endMetadata();
  }

  /** A restricted-compliant pod with no opt-in. */
  public static PodBuilder plain(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("app", "server")
        .endMetadata()
        .withNewSpec()
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(1000L)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withInitContainers(restricted("setup", "busybox:1.36"))
        .withContainers(restricted("server", "vllm/vllm-openai:v0.11.0"))
        .endSpec();
  }

  public static io.fabric8.kubernetes.api.model.Container restricted(String name, String image) {
    return new ContainerBuilder()
        .withName(name)
        .withImage(image)
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .build();
  }

  public static Pod withSidecar(Pod pod) {
    return new PodBuilder(pod)
        .editSpec()
        .addToContainers(restricted("proxy", "envoy:1.31"))
        .endSpec()
        .build();
  }
}
