package io.modelprefetch.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookConfigTest {

  @Test
  void defaultsServeOn9443WithServiceNamesAsSans() {
    WebhookConfig c = WebhookConfig.fromEnv(Map.of("POD_NAMESPACE", "mp-system"));

    assertThat(c.port()).isEqualTo(9443);
    assertThat(c.tls().subjectAlternativeNames())
        .containsExactly(
            "modelprefetch-webhook.mp-system.svc",
            "modelprefetch-webhook.mp-system.svc.cluster.local");
    assertThat(c.tls().certDir()).isEqualTo(Path.of("/etc/modelprefetch/webhook-tls"));
    assertThat(c.injection().image()).isEqualTo(OperatorConfig.DEFAULT_IMAGE);
    assertThat(c.injection().waitTimeout()).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void variablesOverrideDefaults() {
    WebhookConfig c =
        WebhookConfig.fromEnv(
            Map.of(
                "MODELPREFETCH_DOWNLOADER_IMAGE", "registry.test/mp:9",
                "MODELPREFETCH_WEBHOOK_WAIT_TIMEOUT", "30m",
                "MODELPREFETCH_WEBHOOK_EXTRA_SANS", "127.0.0.1, webhook.test",
                "MODELPREFETCH_WEBHOOK_PORT", "8443"));

    assertThat(c.injection().image()).isEqualTo("registry.test/mp:9");
    assertThat(c.injection().waitTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(c.tls().extraSans()).isEqualTo(List.of("127.0.0.1", "webhook.test"));
    assertThat(c.port()).isEqualTo(8443);
  }

  @Test
  void invalidValuesNameTheVariable() {
    assertThatThrownBy(
            () -> WebhookConfig.fromEnv(Map.of("MODELPREFETCH_WEBHOOK_WAIT_TIMEOUT", "soon")))
        .hasMessage(
            "MODELPREFETCH_WEBHOOK_WAIT_TIMEOUT must be a duration like 90s, 30m or 2h, got"
                + " 'soon'");
    assertThatThrownBy(() -> WebhookConfig.fromEnv(Map.of("MODELPREFETCH_WEBHOOK_PORT", "https")))
        .hasMessage("MODELPREFETCH_WEBHOOK_PORT must be an integer, got 'https'");
  }
}
