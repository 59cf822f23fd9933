package io.modelprefetch.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.zjsonpatch.JsonPatch;
import io.modelprefetch.operator.config.WebhookConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodMutatorTest {
  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final TestArtifacts artifacts =
      new TestArtifacts()
          .add(TestArtifacts.onCreatedClaim("serving", "llama"))
          .add(TestArtifacts.perPod("serving", "bge", TestArtifacts.hf(null), 8L << 30));
  private final WebhookConfig.Injection injection =
      WebhookConfig.Injection.defaults(PodInjectorTest.IMAGE);
  private final PodMutator mutator =
      new PodMutator(
          new ArtifactResolver(artifacts, 10),
          new PodInjector(new InjectedContainers(injection)),
          new PodPatch(serialization));

  @Test
  void thePatchAppliedToThePodGivesTheInjectedPod() {
    Pod pod = TestPods.optedIn("server-0", "llama,bge").build();

    var admit = (AdmissionDecision.Admit) mutator.decide(pod, "serving");

    JsonNode patched =
        JsonPatch.apply(
            serialization.unmarshal(admit.jsonPatch(), JsonNode.class),
            serialization.convertValue(pod, JsonNode.class));
    Pod expected =
        new PodInjector(new InjectedContainers(injection))
            .inject(
                pod,
                List.of(
                    new ResolvedArtifact.SharedClaim(
                        new ArtifactReference("llama", "/models/llama"), "llama-model"),
                    new ResolvedArtifact.PerPodDownload(
                        new ArtifactReference("bge", "/models/bge"),
                        TestArtifacts.hf(null),
                        TestArtifacts.COMMIT,
                        new io.fabric8.kubernetes.api.model.Quantity("9012Mi"))));
    assertThat(serialization.convertValue(patched, Pod.class)).isEqualTo(expected);
    assertThat(admit.warnings()).isEmpty();
  }

  @Test
  void anUnknownArtifactIsRefusedByName() {
    var decision = mutator.decide(TestPods.optedIn("server-0", "llama,nope").build(), "serving");

    assertThat(decision)
        .isEqualTo(
            new AdmissionDecision.Refuse(
                "ModelArtifact 'nope' not found in namespace 'serving' (annotation"
                    + " modelprefetch.io/artifacts); create it first or correct the name"));
  }

  @Test
  void anArtifactOfAnotherNamespaceIsNotFound() {
    var decision = mutator.decide(TestPods.optedIn("server-0", "llama").build(), "batch");

    assertThat(((AdmissionDecision.Refuse) decision).message())
        .startsWith("ModelArtifact 'llama' not found in namespace 'batch'");
  }

  @Test
  void aPodWithoutTheLabelIsLeftAlone() {
    var decision =
        mutator.decide(
            TestPods.plain("web-0")
                .editMetadata()
                .addToAnnotations(PodLabels.ARTIFACTS_ANNOTATION, "llama")
                .endMetadata()
                .build(),
            "serving");

    assertThat(decision).isEqualTo(AdmissionDecision.Admit.unchanged());
  }

  @Test
  void anAlreadyInjectedPodGetsNoPatch() {
    Pod pod = TestPods.optedIn("server-0", "llama").build();
    var first = (AdmissionDecision.Admit) mutator.decide(pod, "serving");
    Pod injected =
        serialization.convertValue(
            JsonPatch.apply(
                serialization.unmarshal(first.jsonPatch(), JsonNode.class),
                serialization.convertValue(pod, JsonNode.class)),
            Pod.class);

    assertThat(mutator.decide(injected, "serving")).isEqualTo(AdmissionDecision.Admit.unchanged());
  }
}
