package io.modelprefetch.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsumersTest {

  @Test
  void podsAreCountedByTheirInitContainerForTheArtifact() {
    List<Pod> pods = List.of(
        injected("waiting-0", "llama", null),
        injected("waiting-1", "llama,bge", 1),
        injected("ready-0", "llama", 0),
        TestPods.optedIn("not-injected-0", "llama").editMetadata().withNamespace("serving").endMetadata().build());

    assertThat(Consumers.of("serving", "llama", pods)).isEqualTo(new Consumers(2, 1, 1));
  }

  @Test
  void otherArtifactsNamespacesAndFinishedPodsDoNotCount() {
    List<Pod> pods = List.of(
        injected("other-artifact", "bge", 0),
        new PodBuilder(injected("other-namespace", "llama", 0)).editMetadata().withNamespace("batch").endMetadata().build(),
        new PodBuilder(injected("finished", "llama", 0)).editStatus().withPhase("Succeeded").endStatus().build(),
        new PodBuilder(injected("unlabelled", "llama", 0)).editMetadata().withLabels(java.util.Map.of()).endMetadata().build());

    assertThat(Consumers.of("serving", "llama", pods)).isEqualTo(new Consumers(0, 0, 0));
  }

  /** An injected pod whose mp-wait-llama container exited with {@code exitCode} (null: still running). */
  private static Pod injected(String name, String artifacts, Integer exitCode) {
    var status = new ContainerStatusBuilder().withName("mp-wait-llama");
    if (exitCode == null) {
      status.withNewState().withNewRunning().endRunning().endState();
    } else {
      status.withNewState().withNewTerminated().withExitCode(exitCode).endTerminated().endState();
    }
    return TestPods.optedIn(name, artifacts)
        .editMetadata().withNamespace("serving").addToAnnotations(PodLabels.INJECTED_ANNOTATION, artifacts).endMetadata()
        .withNewStatus().withPhase("Pending").withInitContainerStatuses(status.build()).endStatus()
        .build();
  }
}
