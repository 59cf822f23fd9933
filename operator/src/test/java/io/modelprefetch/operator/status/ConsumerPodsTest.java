package io.modelprefetch.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.modelprefetch.api.v1alpha1.Consumers;
import io.modelprefetch.operator.webhook.PodLabels;
import io.modelprefetch.operator.webhook.TestPods;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsumerPodsTest {

  @Test
  void podsAreCountedByTheirInitContainerForTheArtifact() {
    List<Pod> pods =
        List.of(
            injected("waiting-0", "llama", null),
            injected("waiting-1", "llama,bge", 1),
            injected("ready-0", "llama", 0),
            notInjected("not-injected-0", "llama"));

    assertThat(ConsumerPods.count("serving", "llama", pods)).isEqualTo(new Consumers(2, 1, 1));
  }

  @Test
  void aReadyPodHasTheFilesEvenWithoutInitContainerStatuses() {
    Pod ready =
        new PodBuilder(injected("ready-0", "llama=/mnt/llama", null))
            .editStatus()
            .withInitContainerStatuses(List.of())
            .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True").build())
            .endStatus()
            .build();

    assertThat(ConsumerPods.count("serving", "llama", List.of(ready)))
        .isEqualTo(new Consumers(0, 1, 0));
  }

  @Test
  void otherArtifactsNamespacesAndFinishedPodsDoNotCount() {
    List<Pod> pods =
        List.of(
            injected("other-artifact", "bge", 0),
            new PodBuilder(injected("other-namespace", "llama", 0))
                .editMetadata()
                .withNamespace("batch")
                .endMetadata()
                .build(),
            new PodBuilder(injected("finished", "llama", 0))
                .editStatus()
                .withPhase("Succeeded")
                .endStatus()
                .build(),
            new PodBuilder(injected("unlabelled", "llama", 0))
                .editMetadata()
                .withLabels(Map.of())
                .endMetadata()
                .build());

    assertThat(ConsumerPods.count("serving", "llama", pods)).isEqualTo(new Consumers(0, 0, 0));
  }

  @Test
  void listsTheNotInjectedConsumersOfTheArtifactOnly() {
    List<Pod> pods =
        List.of(
            notInjected("not-injected-0", "llama"),
            notInjected("not-injected-bge", "bge"),
            injected("ready-0", "llama", 0));

    assertThat(ConsumerPods.notInjected("serving", "llama", pods))
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("not-injected-0");
  }

  private static Pod notInjected(String name, String artifacts) {
    return TestPods.optedIn(name, artifacts)
        .editMetadata()
        .withNamespace("serving")
        .endMetadata()
        .build();
  }

  /**
   * An injected pod whose mp-wait-llama container exited with {@code exitCode} (null: still
   * running).
   */
  private static Pod injected(String name, String artifacts, Integer exitCode) {
    var status = new ContainerStatusBuilder().withName("mp-wait-llama");
    if (exitCode == null) {
      status.withNewState().withNewRunning().endRunning().endState();
    } else {
      status.withNewState().withNewTerminated().withExitCode(exitCode).endTerminated().endState();
    }
    return TestPods.optedIn(name, artifacts)
        .editMetadata()
        .withNamespace("serving")
        .addToAnnotations(PodLabels.INJECTED_ANNOTATION, artifacts)
        .endMetadata()
        .withNewStatus()
        .withPhase("Pending")
        .withInitContainerStatuses(status.build())
        .endStatus()
        .build();
  }
}
