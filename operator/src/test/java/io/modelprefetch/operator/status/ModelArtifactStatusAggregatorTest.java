package io.modelprefetch.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.modelprefetch.api.v1alpha1.Consumers;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.ModelArtifactStatus;
import io.modelprefetch.api.v1alpha1.Phase;
import io.modelprefetch.api.v1alpha1.Progress;
import io.modelprefetch.api.v1alpha1.Resolved;
import io.modelprefetch.operator.dependent.StorageVerdict;
import io.modelprefetch.operator.testing.Artifacts;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ModelArtifactStatusAggregatorTest {
  private static final String T0 = "2026-01-01T00:00:00Z";
  private static final StorageVerdict USABLE =
      new StorageVerdict.Usable("llama-model", 1L << 30, true);
  private static final Consumers NO_CONSUMERS = new Consumers(0, 0, 0);

  private static ModelArtifactStatusAggregator at(String time) {
    return new ModelArtifactStatusAggregator(Clock.fixed(Instant.parse(time), ZoneOffset.UTC));
  }

  private static ModelArtifact artifact(ModelArtifactStatus status) {
    ModelArtifact ma = Artifacts.hf("serving", "llama").build();
    ma.getMetadata().setGeneration(2L);
    ma.setStatus(status);
    return ma;
  }

  private static Progress progress(
      long done, long total, int filesDone, int filesTotal, String updatedAt) {
    return progress(Phase.Downloading, done, total, filesDone, filesTotal, updatedAt);
  }

  private static Progress progress(
      Phase phase, long done, long total, int filesDone, int filesTotal, String updatedAt) {
    return new Progress(
        phase, done, total, filesDone, filesTotal, 100L, 1L, "x%", "100 B/s", "1s", updatedAt);
  }

  @Test
  void keepsLastTransitionTimeWhileAConditionsStatusStaysTheSame() {
    ModelArtifactStatus first =
        at(T0).aggregate(artifact(null), USABLE, new DownloadState.Running(T0, 1), NO_CONSUMERS);

    ModelArtifactStatus later =
        at("2026-01-01T00:05:00Z")
            .aggregate(
                artifact(first),
                USABLE,
                new DownloadState.Succeeded(T0, "2026-01-01T00:05:00Z", 1),
                NO_CONSUMERS);

    assertThat(condition(later, "StorageReady").getLastTransitionTime()).isEqualTo(T0);
    assertThat(condition(later, "Ready").getLastTransitionTime()).isEqualTo("2026-01-01T00:05:00Z");
    assertThat(later.conditions())
        .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(2));
  }

  @Test
  void progressOfAnEarlierJobDoesNotCountForTheCurrentOne() {
    ModelArtifactStatus old =
        new ModelArtifactStatus(
            Phase.Ready,
            null,
            1L,
            null,
            progress(10, 10, 1, 1, "2025-12-31T23:00:00Z"),
            null,
            null,
            1,
            null,
            null);

    assertThat(
            at(T0)
                .aggregate(artifact(old), USABLE, new DownloadState.Running(T0, 1), NO_CONSUMERS)
                .phase())
        .isEqualTo(Phase.Resolving);
  }

  @Test
  void thePhaseTheDownloaderReportsIsThePhase() {
    ModelArtifactStatus s =
        new ModelArtifactStatus(
            null,
            null,
            null,
            null,
            progress(Phase.Verifying, 10, 10, 1, 2, "2026-01-01T00:00:05Z"),
            null,
            null,
            null,
            null,
            null);

    ModelArtifactStatus next =
        at(T0).aggregate(artifact(s), USABLE, new DownloadState.Running(T0, 1), NO_CONSUMERS);

    assertThat(next.phase()).isEqualTo(Phase.Verifying);
    assertThat(next.message()).isEqualTo("verifying 2 files");
  }

  @Test
  void countersAloneDoNotMakeAPhase() {
    ModelArtifactStatus s =
        new ModelArtifactStatus(
            null,
            null,
            null,
            null,
            progress(Phase.Downloading, 10, 10, 1, 2, "2026-01-01T00:00:05Z"),
            null,
            null,
            null,
            null,
            null);

    assertThat(
            at(T0)
                .aggregate(artifact(s), USABLE, new DownloadState.Running(T0, 1), NO_CONSUMERS)
                .phase())
        .isEqualTo(Phase.Downloading);
  }

  @Test
  void anUnboundClaimTakesTheDownloadButIsNotReadyStorage() {
    StorageVerdict pending = new StorageVerdict.Usable("llama-model", 1L << 30, false);

    ModelArtifactStatus next =
        at(T0).aggregate(artifact(null), pending, new DownloadState.NotStarted(true), NO_CONSUMERS);

    assertThat(next.phase()).isEqualTo(Phase.Pending);
    assertThat(condition(next, "StorageReady").getStatus()).isEqualTo("False");
    assertThat(condition(next, "StorageReady").getReason()).isEqualTo("ClaimPending");
    assertThat(condition(next, "StorageReady").getMessage())
        .startsWith("PersistentVolumeClaim llama-model is not bound");
  }

  @Test
  void aClaimSmallerThanTheResolvedFilesFailsWithInsufficientCapacity() {
    ModelArtifactStatus s =
        new ModelArtifactStatus(
            null,
            null,
            null,
            new Resolved(null, 3, 5L << 30, "5.0 GiB"),
            null,
            null,
            null,
            null,
            null,
            null);

    ModelArtifactStatus next =
        at(T0)
            .aggregate(
                artifact(s),
                new StorageVerdict.TooSmall("llama-model", 1L << 30, 5L << 30),
                new DownloadState.NotStarted(false),
                NO_CONSUMERS);

    assertThat(next.phase()).isEqualTo(Phase.Failed);
    assertThat(condition(next, "StorageReady").getReason()).isEqualTo("InsufficientCapacity");
    assertThat(next.message())
        .isEqualTo(
            "PersistentVolumeClaim llama-model holds 1.0 GiB but the files need 5.0 GiB: give the"
                + " artifact a bigger claim");
  }

  @Test
  void leavesTheDownloadersFieldsOutOfTheOperatorsPatch() {
    ModelArtifactStatus s =
        new ModelArtifactStatus(
            null,
            null,
            null,
            new Resolved("abc", 1, 1L, "1 B"),
            progress(1, 1, 1, 1, T0),
            null,
            null,
            null,
            null,
            null);

    ModelArtifactStatus next =
        at(T0).aggregate(artifact(s), USABLE, new DownloadState.Succeeded(T0, T0, 1), NO_CONSUMERS);

    assertThat(next.progress()).isNull();
    assertThat(next.resolved()).isNull();
    assertThat(next.message()).isEqualTo("1 files, 1 B at revision abc, verified");
  }

  @Test
  void reportsTheConsumersItIsGivenAndComparesThemAsOperatorOwned() {
    Consumers consumers = new Consumers(1, 2, 1);

    ModelArtifactStatus next =
        at(T0).aggregate(artifact(null), USABLE, new DownloadState.Running(T0, 1), consumers);

    assertThat(next.consumers()).isEqualTo(consumers);
    assertThat(ModelArtifactStatusAggregator.owned(next).consumers()).isEqualTo(consumers);
  }

  @Test
  void aFailedReconcileKeepsWhatWasReportedAndSaysWhyInOneLine() {
    ModelArtifactStatus ready =
        at(T0)
            .aggregate(
                artifact(null), USABLE, new DownloadState.Succeeded(T0, T0, 1), NO_CONSUMERS);

    ModelArtifactStatus failed =
        at("2026-01-01T00:01:00Z")
            .reconcileError(
                artifact(ready),
                new IllegalStateException("Failure executing: POST roles.\nMessage: forbidden"));

    assertThat(failed.phase()).isEqualTo(Phase.Ready);
    assertThat(failed.message())
        .isEqualTo(
            "reconciling failed, retrying: Failure executing: POST roles. Message: forbidden");
    assertThat(condition(failed, "Reconciled"))
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("ReconcileError");
              assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T00:01:00Z");
            });
    assertThat(condition(failed, "Ready").getStatus()).isEqualTo("True");
    assertThat(
            at(T0)
                .aggregate(
                    artifact(failed), USABLE, new DownloadState.Succeeded(T0, T0, 1), NO_CONSUMERS)
                .conditions())
        .extracting(Condition::getType)
        .doesNotContain("Reconciled");
  }

  private static Condition condition(ModelArtifactStatus s, String type) {
    return s.conditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }
}
