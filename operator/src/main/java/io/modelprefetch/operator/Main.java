package io.modelprefetch.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.modelprefetch.operator.config.OperatorConfig;
import io.modelprefetch.operator.config.WebhookConfig;
import io.modelprefetch.operator.webhook.PodWebhook;
import io.modelprefetch.operator.wiring.Bootstrap;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The operator process: configuration from the environment, {@link Bootstrap}, and the pod webhook.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    OperatorConfig config;
    WebhookConfig webhookConfig;
    try {
      config = OperatorConfig.fromEnv(System.getenv());
      webhookConfig = WebhookConfig.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AtomicBoolean shuttingDown = new AtomicBoolean();
    // Another replica may already reconcile: end the process (never from inside a shutdown hook).
    Runnable lostLeadership =
        () -> {
          if (!shuttingDown.get()) {
            System.err.println("lost leadership; exiting");
            System.exit(1);
          }
        };
    Bootstrap.Running running =
        Bootstrap.start(config, client, registry, Clock.systemUTC(), lostLeadership);
    // Every replica serves admission (no leader needed); the leader reports pods admitted without
    // it.
    PodWebhook webhook = PodWebhook.start(webhookConfig, client, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .unstarted(
                    () -> {
                      shuttingDown.set(true);
                      webhook.close();
                      running.close();
                      client.close();
                      stopped.countDown();
                    }));
    stopped.await();
  }
}
