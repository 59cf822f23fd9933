package io.modelprefetch.operator.webhook;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The MutatingWebhookConfiguration, in code (tests register it with a URL) and as the resource
 * {@value #RESOURCE} (the chart and deploy/ reuse it; a test keeps the two equal).
 *
 * <ul>
 *   <li>objectSelector on {@code modelprefetch.io/inject=true}: other pods never reach us, so an
 *       operator outage cannot slow down or block them;
 *   <li>failurePolicy Ignore: with the operator down, opted-in pods are still admitted (the the
 *       operator's {@code events.NotInjectedPods} reports them) instead of a cluster where no pod
 *       starts;
 *   <li>timeoutSeconds 5: admission is an in-memory lookup plus a diff;
 *   <li>reinvocationPolicy IfNeeded: injection is idempotent ("ensure present"), so when a later
 *       webhook adds containers (service-mesh sidecars) we are called again and mount the model
 *       into those too, at the cost of one more cheap call;
 *   <li>sideEffects None: admission only computes a patch (dry-run safe).
 * </ul>
 */
public final class PodWebhookConfiguration {
  public static final String DEFAULT_NAME = "modelprefetch";
  public static final String WEBHOOK_NAME = "pods.modelprefetch.io";
  public static final String RESOURCE =
      "io/modelprefetch/operator/webhook/mutating-webhook-configuration.yml";
  public static final int TIMEOUT_SECONDS = 5;

  private PodWebhookConfiguration() {}

  /**
   * As deployed: the API server calls the operator's Service; caBundle null until the keeper writes
   * it.
   */
  public static MutatingWebhookConfiguration forService(
      String name, String namespace, String service, int port) {
    return build(
        name,
        new WebhookClientConfigBuilder()
            .withNewService()
            .withNamespace(namespace)
            .withName(service)
            .withPath(WebhookServer.PATH)
            .withPort(port)
            .endService()
            .build());
  }

  /** As in tests: a URL (e.g. {@code https://127.0.0.1:<port>/mutate-pods}) and the CA to trust. */
  public static MutatingWebhookConfiguration forUrl(String name, String url, String caPem) {
    return build(
        name,
        new WebhookClientConfigBuilder()
            .withUrl(url)
            .withCaBundle(
                Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII)))
            .build());
  }

  private static MutatingWebhookConfiguration build(String name, WebhookClientConfig client) {
    return new MutatingWebhookConfigurationBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("app.kubernetes.io/name", "modelprefetch")
        .addToLabels("app.kubernetes.io/component", "webhook")
        .endMetadata()
        .addNewWebhook()
        .withName(WEBHOOK_NAME)
        .withClientConfig(client)
        .addNewRule()
        .withOperations("CREATE")
        .withApiGroups("")
        .withApiVersions("v1")
        .withResources("pods")
        .withScope("Namespaced")
        .endRule()
        .withNewObjectSelector()
        .addToMatchLabels(PodLabels.INJECT_LABEL, "true")
        .endObjectSelector()
        .withFailurePolicy("Ignore")
        .withMatchPolicy("Equivalent")
        .withSideEffects("None")
        .withTimeoutSeconds(TIMEOUT_SECONDS)
        .withReinvocationPolicy("IfNeeded")
        .withAdmissionReviewVersions("v1")
        .endWebhook()
        .build();
  }
}
