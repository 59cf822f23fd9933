package io.modelprefetch.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.modelprefetch.api.v1alpha1.ModelArtifactStatus;
import io.modelprefetch.api.v1alpha1.Phase;
import io.modelprefetch.api.v1alpha1.Progress;
import io.modelprefetch.operator.metrics.ArtifactMetrics;
import io.modelprefetch.operator.testing.Artifacts;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every series the dashboard queries is one the operator exports (names taken from a real scrape).
 */
class DashboardMetricsTest {
  private static final Pattern METRIC =
      Pattern.compile("\\b(modelprefetch_[a-z_]+|operator_sdk_[a-z_]+)");

  @Test
  void everyMetricInTheDashboardIsExportedByTheOperator() {
    Set<String> used = metricsUsedBy(Repo.read(Repo.CHART.resolve("files/grafana-dashboard.json")));
    assertThat(used).as("the dashboard queries modelprefetch metrics").isNotEmpty();
    assertThat(exported()).containsAll(used);
  }

  @Test
  void theDashboardCoversInFlightThroughputProgressTimeToReadyAndFailures() {
    Set<String> used = metricsUsedBy(Repo.read(Repo.CHART.resolve("files/grafana-dashboard.json")));
    assertThat(used)
        .contains(
            "modelprefetch_artifact_phase",
            "modelprefetch_artifact_downloaded_bytes",
            "modelprefetch_artifact_size_bytes",
            "modelprefetch_download_duration_seconds_bucket",
            "modelprefetch_download_failures_total");
  }

  private static Set<String> metricsUsedBy(String dashboard) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(dashboard);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /**
   * Series names of a scrape after the operator's metrics saw an artifact, a success and a failure.
   */
  private static Set<String> exported() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ArtifactMetrics metrics = new ArtifactMetrics(registry);
    Progress progress =
        new Progress(Phase.Downloading, 10L, 100L, 0, 2, 5L, 18L, "10%", "5 B/s", "18s", null);
    metrics.observe(
        Artifacts.hf("ns", "llama").build(),
        new ModelArtifactStatus(
            Phase.Downloading, null, 1L, null, progress, null, null, 1, null, null),
        progress);
    metrics.downloadSucceeded(Duration.ofSeconds(42));
    metrics.downloadFailed("VerificationFailed");
    Set<String> names = new TreeSet<>();
    for (String line : registry.scrape().split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }
}
