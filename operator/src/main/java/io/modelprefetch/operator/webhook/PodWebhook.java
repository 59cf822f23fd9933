package io.modelprefetch.operator.webhook;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelprefetch.operator.config.WebhookConfig;
import io.modelprefetch.operator.tls.WebhookTls;
import java.io.IOException;
import java.time.Clock;

/**
 * The pod-mutating webhook as one unit for the operator's bootstrap: TLS (mounted or generated,
 * caBundle kept current), the artifact cache, the mutator and the HTTPS server. Every replica
 * serves it (no leader election needed: admission is stateless).
 */
public final class PodWebhook implements AutoCloseable {
  private final WebhookTls tls;
  private final ClusterArtifactLookup artifacts;
  private final WebhookServer server;

  private PodWebhook(WebhookTls tls, ClusterArtifactLookup artifacts, WebhookServer server) {
    this.tls = tls;
    this.artifacts = artifacts;
    this.server = server;
  }

  /** Obtains TLS, starts the artifact cache and serves on {@code 0.0.0.0:config.port()}. */
  public static PodWebhook start(WebhookConfig config, KubernetesClient client, Clock clock)
      throws IOException {
    return start(config, client, clock, "0.0.0.0");
  }

  public static PodWebhook start(
      WebhookConfig config, KubernetesClient client, Clock clock, String bindAddress)
      throws IOException {
    WebhookTls tls = WebhookTls.start(config.tls(), client, clock);
    ClusterArtifactLookup artifacts = new ClusterArtifactLookup(client).start();
    try {
      return new PodWebhook(
          tls,
          artifacts,
          new WebhookServer(
              bindAddress, config.port(), tls.sslContext(), handler(config, artifacts, client)));
    } catch (IOException | RuntimeException e) {
      artifacts.close();
      tls.close();
      throw e;
    }
  }

  /** The admission handler alone (what the server serves), for tests and the latency bench. */
  public static AdmissionReviewHandler handler(
      WebhookConfig config, ArtifactLookup artifacts, KubernetesClient client) {
    var serialization = client.getKubernetesSerialization();
    PodMutator mutator =
        new PodMutator(
            new ArtifactResolver(artifacts, config.injection().headroomPercent()),
            new PodInjector(new InjectedContainers(config.injection())),
            new PodPatch(serialization));
    return new AdmissionReviewHandler(mutator, serialization);
  }

  public WebhookServer server() {
    return server;
  }

  /** PEM of the CA the API server must trust (null with mounted certificates lacking ca.crt). */
  public String caPem() {
    return tls.bundle().caPem();
  }

  @Override
  public void close() {
    server.close();
    artifacts.close();
    tls.close();
  }
}
