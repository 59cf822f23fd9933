package io.modelprefetch.operator.config;

import static io.modelprefetch.operator.config.OperatorConfig.integer;

import io.modelprefetch.operator.downloader.DownloaderCommand;
import io.modelprefetch.operator.webhook.PodWebhookConfiguration;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the pod webhook can be configured with, parsed once at start-up from the environment.
 *
 * @param port HTTPS port of {@code /mutate-pods} (the Service's targetPort)
 * @param tls where the serving certificate comes from and who must trust it
 * @param injection what the injected init containers look like
 */
public record WebhookConfig(int port, Tls tls, Injection injection) {

  public WebhookConfig {
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(injection, "injection");
  }

  /**
   * The serving certificate: mounted files ({@code tls.crt}, {@code tls.key} in {@code certDir},
   * e.g. from cert-manager) win; otherwise a CA and certificate are generated, kept in the Secret
   * {@code secretName} and the CA is written into the {@code caBundle} of {@code
   * configurationName}.
   */
  public record Tls(
      String serviceName,
      String namespace,
      String secretName,
      String configurationName,
      Path certDir,
      List<String> extraSans) {
    public Tls {
      extraSans = List.copyOf(extraSans);
    }

    /**
     * The names the API server uses to reach the Service, plus the extra ones (e.g. 127.0.0.1 in
     * tests).
     */
    public List<String> subjectAlternativeNames() {
      var names =
          new java.util.ArrayList<>(
              List.of(
                  serviceName + "." + namespace + ".svc",
                  serviceName + "." + namespace + ".svc.cluster.local"));
      names.addAll(extraSans);
      return List.copyOf(names);
    }
  }

  /**
   * @param image the {@code modelprefetch} CLI image (its entrypoint is the CLI)
   * @param waitTimeout how long {@code modelprefetch wait} waits for a shared artifact before
   *     failing (the kubelet then restarts the init container with back-off)
   * @param headroomPercent extra space of a per-pod emptyDir over the resolved size
   * @param dragonflyProxy the node's Dragonfly proxy for per-pod pulls (may use $(NODE_IP)), or
   *     null
   */
  public record Injection(
      String image,
      Duration waitTimeout,
      ContainerResources waitResources,
      ContainerResources pullResources,
      int headroomPercent,
      String dragonflyProxy) {
    public Injection {
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(waitTimeout, "waitTimeout");
    }

    public static Injection defaults(String image) {
      return new Injection(
          image, Duration.ofHours(2), ContainerResources.WAIT, ContainerResources.PULL, 10, null);
    }
  }

  /**
   * Reads {@code MODELPREFETCH_WEBHOOK_*} variables; {@code POD_NAMESPACE} (downward API) is the
   * namespace of the webhook Service and Secret.
   *
   * @throws IllegalArgumentException with a message naming the variable when a value is invalid
   */
  public static WebhookConfig fromEnv(Map<String, String> env) {
    Injection d =
        Injection.defaults(
            env.getOrDefault("MODELPREFETCH_DOWNLOADER_IMAGE", OperatorConfig.DEFAULT_IMAGE));
    Injection injection =
        new Injection(
            env.getOrDefault("MODELPREFETCH_WEBHOOK_INIT_IMAGE", d.image()),
            duration(env, "MODELPREFETCH_WEBHOOK_WAIT_TIMEOUT", d.waitTimeout()),
            ContainerResources.fromEnv(env, "MODELPREFETCH_WEBHOOK_WAIT", d.waitResources()),
            ContainerResources.fromEnv(env, "MODELPREFETCH_WEBHOOK_PULL", d.pullResources()),
            integer(env, "MODELPREFETCH_WEBHOOK_EMPTYDIR_HEADROOM_PERCENT", d.headroomPercent()),
            DownloaderCommand.dragonflyProxyFromEnv(env));
    Tls tls =
        new Tls(
            env.getOrDefault("MODELPREFETCH_WEBHOOK_SERVICE", "modelprefetch-webhook"),
            env.getOrDefault("POD_NAMESPACE", "modelprefetch"),
            env.getOrDefault("MODELPREFETCH_WEBHOOK_SECRET", "modelprefetch-webhook-tls"),
            env.getOrDefault(
                "MODELPREFETCH_WEBHOOK_CONFIGURATION", PodWebhookConfiguration.DEFAULT_NAME),
            Path.of(
                env.getOrDefault(
                    "MODELPREFETCH_WEBHOOK_CERT_DIR", "/etc/modelprefetch/webhook-tls")),
            Arrays.stream(env.getOrDefault("MODELPREFETCH_WEBHOOK_EXTRA_SANS", "").split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList());
    return new WebhookConfig(integer(env, "MODELPREFETCH_WEBHOOK_PORT", 9443), tls, injection);
  }

  private static Duration duration(Map<String, String> env, String name, Duration fallback) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Duration.parse("PT" + v.strip().toUpperCase(java.util.Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          name + " must be a duration like 90s, 30m or 2h, got '" + v + "'", e);
    }
  }
}
