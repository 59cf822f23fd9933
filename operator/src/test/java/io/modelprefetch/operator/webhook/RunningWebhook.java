package io.modelprefetch.operator.webhook;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.operator.config.WebhookConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The webhook as the operator runs it (generated TLS in a Secret, caBundle written by the keeper),
 * registered with the API server by URL on loopback.
 */
final class RunningWebhook implements AutoCloseable {
  static final String IMAGE = "registry.test/modelprefetch:1.2.3";
  final WebhookConfig config;
  final PodWebhook webhook;
  private final KubernetesClient client;

  /**
   * Configuration {@code name}, Secret {@code name-tls}, webhook and registration with the same
   * client.
   */
  RunningWebhook(KubernetesClient client, String systemNamespace, String name) throws Exception {
    this(client, client, systemNamespace, name, name + "-tls");
  }

  /**
   * @param webhookClient what the webhook runs with (e.g. impersonating the operator's
   *     ServiceAccount)
   */
  RunningWebhook(
      KubernetesClient webhookClient,
      KubernetesClient admin,
      String systemNamespace,
      String name,
      String secretName)
      throws Exception {
    this.client = admin;
    this.config =
        new WebhookConfig(
            0,
            new WebhookConfig.Tls(
                "modelprefetch-webhook",
                systemNamespace,
                secretName,
                name,
                Path.of("/nonexistent/modelprefetch-webhook-tls"),
                List.of("127.0.0.1")),
            WebhookConfig.Injection.defaults(IMAGE));
    this.webhook = PodWebhook.start(config, webhookClient, Clock.systemUTC(), "127.0.0.1");
  }

  /**
   * Registers the configuration WITHOUT a caBundle: the keeper must write it before pods get
   * injected.
   */
  void register() {
    MutatingWebhookConfiguration c =
        PodWebhookConfiguration.forUrl(
            config.tls().configurationName(),
            "https://127.0.0.1:" + webhook.server().port() + WebhookServer.PATH,
            "unused");
    c.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(null));
    client.resource(c).create();
  }

  /**
   * Waits until the API server actually calls us: dry-run creations of an opted-in pod (no side
   * effects, sideEffects=None allows it) come back injected.
   */
  void awaitServing(String namespace, ModelArtifact artifact) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              Pod probe = TestPods.optedIn("probe", artifact.getMetadata().getName()).build();
              Pod out = client.pods().inNamespace(namespace).resource(probe).dryRun().create();
              return out.getMetadata().getAnnotations().containsKey(PodLabels.INJECTED_ANNOTATION);
            });
  }

  void unregister() {
    client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .withName(config.tls().configurationName())
        .delete();
  }

  @Override
  public void close() {
    webhook.close();
  }
}
