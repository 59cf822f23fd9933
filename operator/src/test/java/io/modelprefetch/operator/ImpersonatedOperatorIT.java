package io.modelprefetch.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.modelprefetch.api.v1alpha1.Consumers;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.Phase;
import io.modelprefetch.operator.testing.ApiServerExtension;
import io.modelprefetch.operator.testing.Artifacts;
import io.modelprefetch.operator.testing.DownloaderStandIn;
import io.modelprefetch.operator.testing.JobControllerStandIn;
import io.modelprefetch.operator.testing.OperatorServiceAccount;
import io.modelprefetch.operator.testing.Operators;
import io.modelprefetch.operator.testing.OptedInPods;
import io.modelprefetch.operator.testing.TestCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ClusterRole the operator ships is enough for everything it does, leader election included.
 */
@ExtendWith(ApiServerExtension.class)
class ImpersonatedOperatorIT {
  private static final Duration WAIT = Duration.ofSeconds(40);

  @Test
  void theShippedClusterRoleIsSufficientFromCreationToReady(TestCluster cluster) {
    OperatorServiceAccount identity = OperatorServiceAccount.install(cluster);
    KubernetesClient kube = cluster.admin();
    String ns = cluster.newNamespace("rbac");
    try (Operators ignored =
        Operators.start(
            identity.clientConfig(), OperatorServiceAccount.leaderElectionEnv("op-rbac"))) {
      kube.resource(Artifacts.hf(ns, "llama").createdClaim("1Gi", false).build()).create();
      new OptedInPods(kube).notInjected(ns, "missed-0", "llama");

      var job =
          await()
              .atMost(WAIT)
              .until(
                  () -> kube.batch().v1().jobs().inNamespace(ns).list().getItems(),
                  l -> !l.isEmpty())
              .getFirst();
      assertThat(kube.persistentVolumeClaims().inNamespace(ns).withName("llama-model").get())
          .isNotNull();
      assertThat(kube.rbac().roleBindings().inNamespace(ns).withName("llama-status-writer").get())
          .isNotNull();
      JobControllerStandIn jobs = new JobControllerStandIn(kube);
      var pod = jobs.startPod(job);
      new DownloaderStandIn(kube).progress(ns, "llama", 10, 10, 1, 1);
      jobs.finish(job, pod, 0, "{\"status\":\"done\"}");

      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                ModelArtifact ma =
                    kube.resources(ModelArtifact.class).inNamespace(ns).withName("llama").get();
                assertThat(ma.getStatus().phase()).isEqualTo(Phase.Ready);
                assertThat(ma.getStatus().consumers()).isEqualTo(new Consumers(0, 0, 1));
                assertThat(ma.getStatus().conditions())
                    .anySatisfy(
                        c -> {
                          assertThat(c.getType()).isEqualTo("Ready");
                          assertThat(c.getStatus()).isEqualTo("True");
                        });
              });
      assertThat(kube.v1().events().inNamespace(ns).list().getItems())
          .extracting(e -> e.getReason())
          .contains("Ready", "ModelNotInjected");
      assertThat(kube.v1().events().inNamespace(ns).list().getItems())
          .as(
              "the not-injected pod itself gets a Warning too, from the operator's one informer"
                  + " over opted-in pods")
          .anySatisfy(
              e -> {
                assertThat(e.getInvolvedObject().getKind()).isEqualTo("Pod");
                assertThat(e.getInvolvedObject().getName()).isEqualTo("missed-0");
                assertThat(e.getReason()).isEqualTo("ModelNotInjected");
              });
      assertThat(
              kube.leases()
                  .inNamespace(OperatorServiceAccount.NAMESPACE)
                  .withName("modelprefetch-operator")
                  .get()
                  .getSpec()
                  .getHolderIdentity())
          .isEqualTo("op-rbac");
    }
  }

  @Test
  void impersonationReallyRestrictsTheOperator(TestCluster cluster) {
    OperatorServiceAccount identity = OperatorServiceAccount.install(cluster);
    try (KubernetesClient asOperator =
        new KubernetesClientBuilder().withConfig(identity.clientConfig()).build()) {
      assertThatThrownBy(() -> asOperator.secrets().inAnyNamespace().list())
          .isInstanceOf(KubernetesClientException.class)
          .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
    }
  }
}
