package io.modelprefetch.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** helm lint and helm template of charts/modelprefetch, no cluster. */
class ChartTemplateTest {
  private static final Map<String, Object> DEFAULTS = Map.of();

  @Test
  void lintsCleanInStrictMode() {
    var result = ChartRenderer.lint();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  void rendersTheOperatorItsIdentityAndTheWebhook() {
    Manifests m = Manifests.parse(ChartRenderer.template(DEFAULTS));
    assertThat(m.kinds())
        .containsExactlyInAnyOrder(
            "ServiceAccount/modelprefetch-operator",
            "ClusterRole/modelprefetch-operator",
            "ClusterRoleBinding/modelprefetch-operator",
            "ClusterRole/modelprefetch-webhook",
            "ClusterRoleBinding/modelprefetch-webhook",
            "Role/modelprefetch-webhook-tls",
            "RoleBinding/modelprefetch-webhook-tls",
            "Service/modelprefetch-webhook",
            "Service/modelprefetch-metrics",
            "Deployment/modelprefetch-operator",
            "MutatingWebhookConfiguration/modelprefetch");
  }

  @Test
  void theOperatorRunsRestrictedWithAWritableTmpOnly() {
    JsonNode pod = deployment(DEFAULTS).path("spec").path("template").path("spec");
    JsonNode container = pod.path("containers").get(0);
    assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText())
        .isEqualTo("RuntimeDefault");
    JsonNode sc = container.path("securityContext");
    assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(sc.path("allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(sc.path("capabilities").path("drop").get(0).asText()).isEqualTo("ALL");
    assertThat(container.path("volumeMounts").get(0).path("mountPath").asText()).isEqualTo("/tmp");
    assertThat(pod.path("volumes").get(0).has("emptyDir")).isTrue();
    assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/healthz");
    assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
        .isEqualTo("/readyz");
    assertThat(container.path("resources").path("limits").path("memory").asText())
        .isEqualTo("512Mi");
  }

  @Test
  void passesBothImagesAndTheWebhookNamesToTheOperator() {
    Map<String, Object> values =
        Map.of(
            "image.downloader.tag",
            "1.2.3",
            "image.operator.repository",
            "registry.example/op",
            "replicaCount",
            2,
            "watchNamespaces[0]",
            "serving",
            "watchNamespaces[1]",
            "batch");
    JsonNode deployment = deployment(values);
    JsonNode container =
        deployment.path("spec").path("template").path("spec").path("containers").get(0);
    Map<String, String> env = env(container);
    assertThat(container.path("image").asText()).isEqualTo("registry.example/op:0.1.0");
    assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(2);
    assertThat(env)
        .containsEntry(
            "MODELPREFETCH_DOWNLOADER_IMAGE", "ghcr.io/modelprefetch/modelprefetch:1.2.3")
        .containsEntry("MODELPREFETCH_WATCH_NAMESPACES", "serving,batch")
        .containsEntry("MODELPREFETCH_LEADER_ELECTION", "true")
        .containsEntry("MODELPREFETCH_WEBHOOK_SERVICE", "modelprefetch-webhook")
        .containsEntry("MODELPREFETCH_WEBHOOK_SECRET", "modelprefetch-webhook-tls")
        .containsEntry("MODELPREFETCH_WEBHOOK_CONFIGURATION", "modelprefetch")
        .containsKeys("POD_NAMESPACE", "POD_NAME");
  }

  @Test
  void theDragonflyProxyReachesTheOperatorOnlyWhenSet() {
    JsonNode set =
        deployment(Map.of("dragonfly.proxy", "http://$(NODE_IP):4001"))
            .path("spec")
            .path("template")
            .path("spec")
            .path("containers")
            .get(0);
    JsonNode unset =
        deployment(DEFAULTS).path("spec").path("template").path("spec").path("containers").get(0);
    assertThat(env(set)).containsEntry("MODELPREFETCH_DRAGONFLY_PROXY", "http://$(NODE_IP):4001");
    assertThat(env(unset)).doesNotContainKey("MODELPREFETCH_DRAGONFLY_PROXY");
  }

  @Test
  void aDigestPinsTheDownloaderImage() {
    String digest = "sha256:" + "ab".repeat(32);
    JsonNode container =
        deployment(Map.of("image.downloader.digest", digest))
            .path("spec")
            .path("template")
            .path("spec")
            .path("containers")
            .get(0);
    assertThat(env(container))
        .containsEntry(
            "MODELPREFETCH_DOWNLOADER_IMAGE", "ghcr.io/modelprefetch/modelprefetch@" + digest);
  }

  @Test
  void theWebhookOnlySeesOptedInPodsAndNeverBlocksThem() {
    JsonNode webhook =
        Manifests.parse(ChartRenderer.template("mp", "infra", DEFAULTS))
            .get("MutatingWebhookConfiguration", "mp-modelprefetch")
            .path("webhooks")
            .get(0);
    assertThat(webhook.path("failurePolicy").asText()).isEqualTo("Ignore");
    assertThat(
            webhook
                .path("objectSelector")
                .path("matchLabels")
                .path("modelprefetch.io/inject")
                .asText())
        .isEqualTo("true");
    assertThat(webhook.path("clientConfig").path("service").path("name").asText())
        .isEqualTo("mp-modelprefetch-webhook");
    assertThat(webhook.path("clientConfig").path("service").path("namespace").asText())
        .isEqualTo("infra");
  }

  @Test
  void resourceNamesFollowTheReleaseName() {
    Manifests m = Manifests.parse(ChartRenderer.template("mp", "infra", DEFAULTS));
    assertThat(resourceNames(m.get("ClusterRole", "mp-modelprefetch-webhook")))
        .containsExactly("mp-modelprefetch");
    assertThat(resourceNames(m.get("Role", "mp-modelprefetch-webhook-tls")))
        .containsExactly("mp-modelprefetch-webhook-tls");
    assertThat(
            env(
                m.get("Deployment", "mp-modelprefetch-operator")
                    .path("spec")
                    .path("template")
                    .path("spec")
                    .path("containers")
                    .get(0)))
        .containsEntry("MODELPREFETCH_WEBHOOK_CONFIGURATION", "mp-modelprefetch");
  }

  @Test
  void optionalServiceMonitorDashboardAndCertManager() {
    Map<String, Object> values =
        new HashMap<>(
            Map.of(
                "metrics.serviceMonitor.enabled",
                true,
                "dashboard.enabled",
                true,
                "webhook.certManager.enabled",
                true,
                "webhook.certManager.issuerRef.name",
                "selfsigned"));
    Manifests m = Manifests.parse(ChartRenderer.template(values));
    assertThat(
            m.get("ServiceMonitor", "modelprefetch")
                .path("spec")
                .path("endpoints")
                .get(0)
                .path("port")
                .asText())
        .isEqualTo("http-metrics");
    JsonNode dashboard = m.get("ConfigMap", "modelprefetch-dashboard");
    assertThat(dashboard.path("metadata").path("labels").path("grafana_dashboard").asText())
        .isEqualTo("1");
    assertThat(dashboard.path("data").path("modelprefetch.json").asText())
        .isEqualTo(Repo.read(Repo.CHART.resolve("files/grafana-dashboard.json")).strip());
    assertThat(
            m.get("Certificate", "modelprefetch-webhook").path("spec").path("secretName").asText())
        .isEqualTo("modelprefetch-webhook-cert");
    assertThat(
            m.get("MutatingWebhookConfiguration", "modelprefetch")
                .path("metadata")
                .path("annotations")
                .path("cert-manager.io/inject-ca-from")
                .asText())
        .isEqualTo("modelprefetch/modelprefetch-webhook");
    JsonNode pod =
        m.get("Deployment", "modelprefetch-operator").path("spec").path("template").path("spec");
    assertThat(pod.path("volumes").toString()).contains("modelprefetch-webhook-cert");
  }

  @Test
  void theSchemaRejectsInvalidValues() {
    assertThatThrownBy(
            () -> ChartRenderer.template(Map.of("image.operator.pullPolicy", "Sometimes")))
        .hasMessageContaining("pullPolicy");
    assertThatThrownBy(() -> ChartRenderer.template(Map.of("replicaCount", -1)))
        .hasMessageContaining("replicaCount");
    assertThatThrownBy(() -> ChartRenderer.template(Map.of("webhook.certManager.enabled", true)))
        .hasMessageContaining("name");
    assertThatThrownBy(() -> ChartRenderer.template(Map.of("imageTag", "x")))
        .hasMessageContaining("imageTag");
  }

  private static JsonNode deployment(Map<String, Object> values) {
    return Manifests.parse(ChartRenderer.template(values))
        .get("Deployment", "modelprefetch-operator");
  }

  private static Map<String, String> env(JsonNode container) {
    Map<String, String> env = new HashMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
    return env;
  }

  private static List<String> resourceNames(JsonNode role) {
    return StreamSupport.stream(role.path("rules").spliterator(), false)
        .flatMap(r -> StreamSupport.stream(r.path("resourceNames").spliterator(), false))
        .map(JsonNode::asText)
        .toList();
  }
}
