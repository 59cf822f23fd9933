package io.modelprefetch.operator.reconciler;

import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.ModelArtifactStatus;
import io.modelprefetch.api.v1alpha1.Phase;
import io.modelprefetch.operator.events.ArtifactEvents;
import io.modelprefetch.operator.metrics.ArtifactMetrics;
import io.modelprefetch.operator.status.ModelArtifactStatusAggregator;
import java.time.Duration;
import java.time.Instant;

/**
 * Phase transitions become Events and metrics exactly once: the previous phase comes from the
 * stored status, so an operator restart does not repeat them.
 */
final class Milestones {
  private final ArtifactEvents events;
  private final ArtifactMetrics metrics;

  Milestones(ArtifactEvents events, ArtifactMetrics metrics) {
    this.events = events;
    this.metrics = metrics;
  }

  void report(ModelArtifact ma, ModelArtifactStatus previous, ModelArtifactStatus next) {
    metrics.observe(ma, next, ma.getStatus() == null ? null : ma.getStatus().progress());
    Phase before = previous == null ? null : previous.phase();
    boolean newGeneration = previous == null || !next.observedGeneration().equals(previous.observedGeneration());
    if (before == next.phase() && !newGeneration) {
      return;
    }
    switch (next.phase()) {
      case Resolving, Downloading -> {
        if (before != Phase.Resolving && before != Phase.Downloading && before != Phase.Verifying) {
          events.normal(ma, "DownloadStarted", next.message());
        }
      }
      case Ready -> {
        events.normal(ma, "Ready", next.message());
        if (next.startedAt() != null && next.completedAt() != null) {
          metrics.downloadSucceeded(Duration.between(Instant.parse(next.startedAt()), Instant.parse(next.completedAt())));
        }
      }
      case Failed -> {
        String reason = next.conditions().stream()
            .filter(c -> ModelArtifactStatusAggregator.READY.equals(c.getType()))
            .map(c -> c.getReason()).findFirst().orElse("DownloadFailed");
        events.warning(ma, reason, next.message());
        metrics.downloadFailed(reason);
      }
      default -> { }
    }
  }
}
