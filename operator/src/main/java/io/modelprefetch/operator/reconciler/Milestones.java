package io.modelprefetch.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.modelprefetch.api.v1alpha1.Consumers;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.ModelArtifactStatus;
import io.modelprefetch.api.v1alpha1.Phase;
import io.modelprefetch.operator.events.ArtifactEvents;
import io.modelprefetch.operator.events.NotInjectedPods;
import io.modelprefetch.operator.metrics.ArtifactMetrics;
import io.modelprefetch.operator.status.ModelArtifactStatusAggregator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Phase transitions become Events and metrics exactly once: the previous phase comes from the
 * stored status, so an operator restart does not repeat them. Each consumer pod admitted without
 * injection becomes one Warning on the artifact.
 */
final class Milestones {
  private final ArtifactEvents events;
  private final ArtifactMetrics metrics;

  Milestones(ArtifactEvents events, ArtifactMetrics metrics) {
    this.events = events;
    this.metrics = metrics;
  }

  /**
   * Each milestone is recorded once per Job attempt: its Event is named after the Job (its UID, or
   * its name before it exists), the attempt and the reason, so a reconcile that still sees the
   * previous status (its own patch not yet in the cache) or an operator restart cannot record it
   * twice.
   */
  void report(
      ModelArtifact ma, String job, ModelArtifactStatus previous, ModelArtifactStatus next) {
    metrics.observe(ma, next, ma.getStatus() == null ? null : ma.getStatus().progress());
    Phase before = previous == null ? null : previous.phase();
    boolean newGeneration =
        previous == null || !next.observedGeneration().equals(previous.observedGeneration());
    if (before == next.phase() && !newGeneration) {
      return;
    }
    switch (next.phase()) {
      case Resolving, Downloading -> {
        if (before != Phase.Resolving && before != Phase.Downloading && before != Phase.Verifying) {
          events.normalOnce(
              ma, key("DownloadStarted", job, next), "DownloadStarted", next.message());
        }
      }
      case Ready -> {
        events.normalOnce(ma, key("Ready", job, next), "Ready", next.message());
        if (next.startedAt() != null && next.completedAt() != null) {
          metrics.downloadSucceeded(
              Duration.between(Instant.parse(next.startedAt()), Instant.parse(next.completedAt())));
        }
      }
      case Failed -> {
        String reason =
            next.conditions().stream()
                .filter(c -> ModelArtifactStatusAggregator.READY.equals(c.getType()))
                .map(c -> c.getReason())
                .findFirst()
                .orElse("DownloadFailed");
        events.warningOnce(ma, key(reason, job, next), reason, next.message());
        metrics.downloadFailed(reason);
      }
      default -> {}
    }
  }

  /** A DNS label naming one milestone of one attempt of one Job. */
  static String key(String reason, String job, ModelArtifactStatus next) {
    String attempt = job + "#" + next.attempts() + "#" + reason;
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(attempt.getBytes(StandardCharsets.UTF_8));
      return reason.toLowerCase(Locale.ROOT) + "-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /**
   * Looks at the not-injected consumers only when their count changed (not on every progress
   * reconcile); the Event is named after the pod's UID, so each pod is reported once.
   */
  void reportNotInjected(
      ModelArtifact ma,
      ModelArtifactStatus previous,
      ModelArtifactStatus next,
      List<Pod> notInjected) {
    Integer before =
        previous == null || previous.consumers() == null
            ? null
            : previous.consumers().notInjected();
    Consumers now = next.consumers();
    if (notInjected.isEmpty() || now == null || Objects.equals(before, now.notInjected())) {
      return;
    }
    for (Pod pod : notInjected) {
      events.warningOnce(
          ma,
          "not-injected." + pod.getMetadata().getUid(),
          NotInjectedPods.REASON,
          "pod "
              + pod.getMetadata().getName()
              + " was admitted without modelprefetch injection (the webhook was unreachable): this"
              + " model is not mounted in it. Delete the pod (or rollout-restart its workload)");
    }
  }
}
