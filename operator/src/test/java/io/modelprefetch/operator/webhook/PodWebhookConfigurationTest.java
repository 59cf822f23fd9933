package io.modelprefetch.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class PodWebhookConfigurationTest {

  @Test
  void theShippedYamlIsWhatTheBuilderBuilds() throws Exception {
    MutatingWebhookConfiguration shipped;
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream(PodWebhookConfiguration.RESOURCE)) {
      shipped = new KubernetesSerialization().unmarshal(in, MutatingWebhookConfiguration.class);
    }

    assertThat(shipped)
        .isEqualTo(
            PodWebhookConfiguration.forService(
                "modelprefetch", "modelprefetch", "modelprefetch-webhook", 443));
  }

  @Test
  void onlyOptedInPodCreationsReachTheWebhookAndAnOutageAdmitsThem() {
    MutatingWebhook w =
        PodWebhookConfiguration.forUrl("t", "https://127.0.0.1:1/mutate-pods", "pem")
            .getWebhooks()
            .getFirst();

    assertThat(w.getObjectSelector().getMatchLabels())
        .containsExactly(java.util.Map.entry("modelprefetch.io/inject", "true"));
    assertThat(w.getRules().getFirst().getOperations()).containsExactly("CREATE");
    assertThat(w.getRules().getFirst().getResources()).containsExactly("pods");
    assertThat(w.getFailurePolicy()).isEqualTo("Ignore");
    assertThat(w.getTimeoutSeconds()).isLessThanOrEqualTo(5);
    assertThat(w.getSideEffects()).isEqualTo("None");
    assertThat(w.getReinvocationPolicy()).isEqualTo("IfNeeded");
  }
}
