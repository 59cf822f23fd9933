package io.modelprefetch.e2e;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.modelprefetch.e2e.cluster.Release;
import java.util.Map;

/**
 * Pods that consume a model as in the README: labelled {@code modelprefetch.io/inject: "true"},
 * annotated {@code modelprefetch.io/artifacts}, compliant with the restricted Pod Security
 * Standard, running the model-check test image ("inference server" that serves only after it found
 * the expected SHA-256 at $MODEL_PATH/model.safetensors).
 */
final class ConsumerPods {
  static final Map<String, String> OPT_IN = Map.of("modelprefetch.io/inject", "true");

  private ConsumerPods() {}

  static Map<String, String> annotations(String artifact) {
    return Map.of("modelprefetch.io/artifacts", artifact);
  }

  static PodSpec spec(String expectedSha256) {
    Container server =
        new ContainerBuilder()
            .withName("server")
            .withImage(Release.MODEL_CHECK_IMAGE)
            .withImagePullPolicy("IfNotPresent")
            .addNewEnv()
            .withName("MODEL_FILE")
            .withValue("model.safetensors")
            .endEnv()
            .addNewEnv()
            .withName("EXPECTED_SHA256")
            .withValue(expectedSha256)
            .endEnv()
            .addNewPort()
            .withName("http")
            .withContainerPort(8000)
            .endPort()
            .withNewReadinessProbe()
            .withNewHttpGet()
            .withPath("/")
            .withNewPort("http")
            .endHttpGet()
            .withPeriodSeconds(2)
            .endReadinessProbe()
            .withNewResources()
            .addToRequests("cpu", new Quantity("50m"))
            .addToLimits("memory", new Quantity("256Mi"))
            .endResources()
            .withNewSecurityContext()
            .withAllowPrivilegeEscalation(false)
            .withReadOnlyRootFilesystem(true)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities()
            .endSecurityContext()
            .build();
    return new PodSpecBuilder()
        .withContainers(server)
        .withTerminationGracePeriodSeconds(2L)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(65532L)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .build();
  }
}
