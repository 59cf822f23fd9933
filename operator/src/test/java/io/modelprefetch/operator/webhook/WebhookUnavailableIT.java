package io.modelprefetch.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelprefetch.operator.events.NotInjectedPods;
import io.modelprefetch.operator.testing.ApiServerExtension;
import io.modelprefetch.operator.testing.Operators;
import io.modelprefetch.operator.testing.TestCluster;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * failurePolicy Ignore: with the webhook down, opted-in pods are admitted, and the operator reports
 * them.
 */
@ExtendWith(ApiServerExtension.class)
class WebhookUnavailableIT {

  @Test
  void anOptedInPodIsAdmittedWithoutInjectionAndGetsAWarningEvent(TestCluster cluster)
      throws Exception {
    KubernetesClient client = cluster.admin();
    String system = cluster.newNamespace("modelprefetch-system", false);
    String ns = cluster.newNamespace("serving", true);
    client.resource(TestArtifacts.onCreatedClaim(ns, "llama")).create();
    try (var ignored =
        Operators.start(
            client.getConfiguration(), Map.of("MODELPREFETCH_LEADER_ELECTION", "false"))) {
      RunningWebhook webhook = new RunningWebhook(client, system, "modelprefetch-down");
      try {
        webhook.register();
        webhook.awaitServing(ns, TestArtifacts.onCreatedClaim(ns, "llama"));
        webhook.close();

        Pod pod =
            client
                .pods()
                .inNamespace(ns)
                .resource(TestPods.optedIn("server-0", "llama").build())
                .create();

        assertThat(pod.getSpec().getInitContainers())
            .extracting(Container::getName)
            .containsExactly("setup");
        assertThat(pod.getMetadata().getAnnotations())
            .doesNotContainKey(PodLabels.INJECTED_ANNOTATION);
        Event event =
            await()
                .atMost(Duration.ofSeconds(10))
                .until(
                    () ->
                        client.v1().events().inNamespace(ns).list().getItems().stream()
                            .filter(e -> "server-0".equals(e.getInvolvedObject().getName()))
                            .findFirst()
                            .orElse(null),
                    java.util.Objects::nonNull);
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getReason()).isEqualTo(NotInjectedPods.REASON);
        assertThat(event.getInvolvedObject().getUid()).isEqualTo(pod.getMetadata().getUid());
        assertThat(event.getMessage())
            .startsWith(
                "pod is labelled modelprefetch.io/inject=true but was admitted without"
                    + " modelprefetch injection (the webhook was unreachable; failurePolicy"
                    + " Ignore): artifact(s) llama not mounted");
      } finally {
        webhook.unregister();
        webhook.close();
      }
    }
  }
}
