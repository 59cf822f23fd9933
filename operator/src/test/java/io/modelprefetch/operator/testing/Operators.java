package io.modelprefetch.operator.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.modelprefetch.operator.config.OperatorConfig;
import io.modelprefetch.operator.wiring.Bootstrap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Starts the operator in-process, wired exactly as {@code Main} does, against the test cluster. */
public final class Operators implements AutoCloseable {
  public static final String IMAGE = "registry.test/modelprefetch:test";
  private final KubernetesClient client;
  private final Bootstrap.Running running;

  private Operators(KubernetesClient client, Bootstrap.Running running) {
    this.client = client;
    this.running = running;
  }

  /** As cluster admin, without leader election. */
  public static Operators start(TestCluster cluster) {
    return start(cluster.adminConfig(), Map.of("MODELPREFETCH_LEADER_ELECTION", "false"));
  }

  /** With the given client config and environment (parsed by {@link OperatorConfig#fromEnv}). */
  public static Operators start(Config clientConfig, Map<String, String> env) {
    Map<String, String> withDefaults =
        new java.util.HashMap<>(
            Map.of("MODELPREFETCH_DOWNLOADER_IMAGE", IMAGE, "MODELPREFETCH_HTTP_PORT", "0"));
    withDefaults.putAll(env);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig).build();
    try {
      return new Operators(
          client,
          Bootstrap.start(
              OperatorConfig.fromEnv(withDefaults),
              client,
              new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
              Clock.systemUTC(),
              () -> {}));
    } catch (IOException e) {
      client.close();
      throw new UncheckedIOException(e);
    }
  }

  public String get(String path) {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.http().port() + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() + "\n" + r.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    running.close();
    client.close();
  }
}
