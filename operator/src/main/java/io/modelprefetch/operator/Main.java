package io.modelprefetch.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.modelprefetch.operator.config.OperatorConfig;
import io.modelprefetch.operator.wiring.Bootstrap;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/** The operator process: configuration from the environment, then {@link Bootstrap}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    OperatorConfig config;
    try {
      config = OperatorConfig.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Bootstrap.Running running = Bootstrap.start(config, client, registry, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
      running.close();
      client.close();
      stopped.countDown();
    }));
    stopped.await();
  }
}
