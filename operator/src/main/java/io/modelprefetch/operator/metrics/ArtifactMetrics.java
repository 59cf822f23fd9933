package io.modelprefetch.operator.metrics;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.ModelArtifactStatus;
import io.modelprefetch.api.v1alpha1.Phase;
import io.modelprefetch.api.v1alpha1.Progress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Per-artifact gauges (bytes done and total, phase as a state set), a download-duration histogram
 * and a failure counter. Plugged into JOSDK as a {@link Metrics} only to hear when an artifact is
 * gone ({@link #cleanupDoneFor}), so its series disappear with it.
 */
public final class ArtifactMetrics implements Metrics {
  private final MeterRegistry registry;
  private final Map<ResourceID, ArtifactGauges> gauges = new ConcurrentHashMap<>();
  private final Timer duration;

  public ArtifactMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.duration =
        Timer.builder("modelprefetch.download.duration")
            .description("wall-clock time from the start of a download Job to a verified model")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofSeconds(1))
            .maximumExpectedValue(Duration.ofHours(12))
            .register(registry);
  }

  /** Updates the gauges of one artifact from its (new) status. */
  public void observe(ModelArtifact ma, ModelArtifactStatus status, Progress progress) {
    ArtifactGauges g = gauges.computeIfAbsent(ResourceID.fromResource(ma), this::register);
    if (progress != null) {
      g.bytesDone.set(orZero(progress.bytesDone()));
      g.bytesTotal.set(orZero(progress.bytesTotal()));
      g.fromPeers.set(orZero(progress.bytesFromPeers()));
      g.fromOrigin.set(orZero(progress.bytesFromOrigin()));
    }
    g.phase.set(status.phase());
  }

  public void downloadSucceeded(Duration took) {
    duration.record(took);
  }

  public void downloadFailed(String reason) {
    Counter.builder("modelprefetch.download.failures")
        .description("downloads that ended in phase Failed, by reason")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  @Override
  public void cleanupDoneFor(ResourceID resourceID, Map<String, Object> metadata) {
    ArtifactGauges g = gauges.remove(resourceID);
    if (g != null) {
      g.meters.forEach(registry::remove);
    }
  }

  private ArtifactGauges register(ResourceID id) {
    ArtifactGauges g = new ArtifactGauges();
    Tags tags = Tags.of("namespace", id.getNamespace().orElse(""), "name", id.getName());
    g.meters.add(
        Gauge.builder("modelprefetch.artifact.downloaded", g.bytesDone, AtomicLong::get)
            .description("bytes on the volume for the current download")
            .baseUnit("bytes")
            .tags(tags)
            .register(registry));
    g.meters.add(
        Gauge.builder("modelprefetch.artifact.size", g.bytesTotal, AtomicLong::get)
            .description("bytes of all files of the resolved revision")
            .baseUnit("bytes")
            .tags(tags)
            .register(registry));
    g.meters.add(
        Gauge.builder("modelprefetch.artifact.from.peers", g.fromPeers, AtomicLong::get)
            .description(
                "bytes of the current download that came from other nodes through Dragonfly (0"
                    + " without Dragonfly)")
            .baseUnit("bytes")
            .tags(tags)
            .register(registry));
    g.meters.add(
        Gauge.builder("modelprefetch.artifact.from.origin", g.fromOrigin, AtomicLong::get)
            .description(
                "bytes of the current download its node fetched from the origin through Dragonfly"
                    + " or on fallback (0 without Dragonfly)")
            .baseUnit("bytes")
            .tags(tags)
            .register(registry));
    for (Phase p : Phase.values()) {
      g.meters.add(
          Gauge.builder("modelprefetch.artifact.phase", g.phase, ref -> ref.get() == p ? 1 : 0)
              .description("1 for the artifact's current phase, 0 for the others")
              .tags(tags)
              .tag("phase", p.name())
              .register(registry));
    }
    return g;
  }

  private static long orZero(Long n) {
    return n == null ? 0 : n;
  }

  private static final class ArtifactGauges {
    final AtomicLong bytesDone = new AtomicLong();
    final AtomicLong bytesTotal = new AtomicLong();
    final AtomicLong fromPeers = new AtomicLong();
    final AtomicLong fromOrigin = new AtomicLong();
    final AtomicReference<Phase> phase = new AtomicReference<>();
    final List<Meter> meters = new ArrayList<>();
  }
}
