package io.modelprefetch.operator.wiring;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.monitoring.AggregatedMetrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.modelprefetch.operator.cache.LeanStore;
import io.modelprefetch.operator.config.OperatorConfig;
import io.modelprefetch.operator.dependent.DownloadJobDependentResource;
import io.modelprefetch.operator.dependent.DownloadJobs;
import io.modelprefetch.operator.dependent.DownloadPodTemplate;
import io.modelprefetch.operator.dependent.DownloaderServiceAccountDependentResource;
import io.modelprefetch.operator.dependent.ModelClaimDependentResource;
import io.modelprefetch.operator.dependent.StatusWriterRoleBindingDependentResource;
import io.modelprefetch.operator.dependent.StatusWriterRoleDependentResource;
import io.modelprefetch.operator.events.ArtifactEvents;
import io.modelprefetch.operator.events.NotInjectedPods;
import io.modelprefetch.operator.metrics.ArtifactMetrics;
import io.modelprefetch.operator.metrics.OperatorHttpServer;
import io.modelprefetch.operator.reconciler.ModelArtifactReconciler;
import io.modelprefetch.operator.status.ModelArtifactStatusAggregator;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Builds every collaborator from the config and passes them by constructor; the only wiring there
 * is.
 */
public final class Bootstrap {
  private static final Duration RECONCILE_TERMINATION = Duration.ofSeconds(10);

  private Bootstrap() {}

  /** A started operator and its HTTP endpoints. */
  public record Running(Operator operator, OperatorHttpServer http) implements AutoCloseable {
    @Override
    public void close() {
      http.close();
      operator.stop();
    }
  }

  /**
   * Starts reconciling (once leader, when leader election is on) and serves HTTP.
   *
   * @param onLostLeadership runs when this replica stops leading; {@code Main} exits the process so
   *     that two replicas never reconcile at once, tests do nothing
   */
  public static Running start(
      OperatorConfig config,
      KubernetesClient client,
      PrometheusMeterRegistry registry,
      Clock clock,
      Runnable onLostLeadership)
      throws IOException {
    DownloadJobs jobs = new DownloadJobs(new DownloadPodTemplate(config), config);
    ArtifactMetrics artifactMetrics = new ArtifactMetrics(registry);
    String identity =
        config.leaderElection() == null
            ? "modelprefetch-operator"
            : config.leaderElection().identity();
    var reconciler =
        new ModelArtifactReconciler(
            jobs,
            new ModelArtifactStatusAggregator(clock),
            new ArtifactEvents(client, clock, identity),
            artifactMetrics,
            new NotInjectedPods(client, clock));
    var dependents =
        new WiredDependentFactory(
            List.of(
                new ModelClaimDependentResource(),
                new DownloaderServiceAccountDependentResource(),
                new StatusWriterRoleDependentResource(),
                new StatusWriterRoleBindingDependentResource(),
                new DownloadJobDependentResource(jobs)));
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  // On stop, reconciles in flight finish (JOSDK's default, zero, interrupts them
                  // mid-request).
                  .withReconciliationTerminationTimeout(RECONCILE_TERMINATION)
                  .withDependentResourceFactory(dependents)
                  .withMetrics(
                      new AggregatedMetrics(
                          List.of(
                              MicrometerMetrics.withoutPerResourceMetrics(registry),
                              artifactMetrics)));
              if (config.leaderElection() != null) {
                var le = config.leaderElection();
                o.withLeaderElectionConfiguration(
                    new LeaderElectionConfiguration(
                        le.leaseName(),
                        le.leaseNamespace(),
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                        le.identity(),
                        new LeaderCallbacks(() -> {}, onLostLeadership, leader -> {}),
                        false));
              }
            });
    operator.register(
        reconciler,
        c -> {
          if (config.namespaces().isEmpty()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(config.namespaces());
          }
          c.withReconciliationMaxInterval(config.resyncInterval());
          c.withItemStore(new LeanStore<>());
        });
    OperatorHttpServer http =
        new OperatorHttpServer(config.httpPort(), registry, () -> ready(operator));
    operator.start();
    return new Running(operator, http);
  }

  private static boolean ready(Operator operator) {
    var info = operator.getRuntimeInfo();
    return info.isStarted() && info.allEventSourcesAreHealthy();
  }
}
