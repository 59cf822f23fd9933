package io.modelprefetch.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.ModelArtifactStatus;
import io.modelprefetch.api.v1alpha1.Phase;
import io.modelprefetch.operator.events.ArtifactEvents;
import io.modelprefetch.operator.metrics.ArtifactMetrics;
import io.modelprefetch.operator.testing.ApiServerExtension;
import io.modelprefetch.operator.testing.Artifacts;
import io.modelprefetch.operator.testing.TestCluster;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Milestone Events against a real API server: one per Job attempt, whatever the reconciles see. */
@ExtendWith(ApiServerExtension.class)
class MilestonesIT {
  private final KubernetesClient kube;
  private final String ns;
  private final ModelArtifact ma;
  private final Milestones milestones;

  MilestonesIT(TestCluster cluster) {
    kube = cluster.admin();
    ns = cluster.newNamespace("milestones");
    ma = kube.resource(Artifacts.hf(ns, "llama").build()).create();
    milestones =
        new Milestones(
            new ArtifactEvents(kube, Clock.systemUTC(), "test"),
            new ArtifactMetrics(new SimpleMeterRegistry()));
  }

  @Test
  void aReconcileThatStillSeesThePreviousStatusDoesNotRecordDownloadStartedTwice() {
    ModelArtifactStatus pending = status(Phase.Pending, null);
    ModelArtifactStatus resolving = status(Phase.Resolving, 1);

    milestones.report(ma, "job-uid-1", pending, resolving);
    milestones.report(ma, "job-uid-1", pending, resolving);
    milestones.report(ma, "job-uid-1", pending, status(Phase.Downloading, 1));

    assertThat(reasons()).containsExactly("DownloadStarted");
  }

  @Test
  void theNextAttemptOrJobIsANewMilestone() {
    milestones.report(ma, "job-uid-1", status(Phase.Pending, null), status(Phase.Resolving, 1));
    milestones.report(ma, "job-uid-1", status(Phase.Pending, 1), status(Phase.Resolving, 2));
    milestones.report(ma, "job-uid-2", status(Phase.Pending, null), status(Phase.Resolving, 1));

    assertThat(reasons()).containsExactly("DownloadStarted", "DownloadStarted", "DownloadStarted");
  }

  private static ModelArtifactStatus status(Phase phase, Integer attempts) {
    return new ModelArtifactStatus(
        phase, List.of(), 1L, null, null, null, null, attempts, "resolving", null);
  }

  private List<String> reasons() {
    return kube.v1().events().inNamespace(ns).list().getItems().stream()
        .map(Event::getReason)
        .toList();
  }
}
