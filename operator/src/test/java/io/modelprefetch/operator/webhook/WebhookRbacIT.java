package io.modelprefetch.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.modelprefetch.operator.testing.ApiServerExtension;
import io.modelprefetch.operator.testing.TestCluster;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The webhook and its caBundle keeper run under exactly the shipped webhook-rbac.yml. */
@ExtendWith(ApiServerExtension.class)
class WebhookRbacIT {
  private static final String RBAC = "io/modelprefetch/operator/webhook/webhook-rbac.yml";

  @Test
  void theShippedRulesAreEnoughToServeAndKeepTheCaBundle(TestCluster cluster) throws Exception {
    KubernetesClient admin = cluster.admin();
    String system = cluster.newNamespace("modelprefetch-system", false);
    String ns = cluster.newNamespace("serving", true);
    admin.resource(TestArtifacts.onCreatedClaim(ns, "llama")).create();
    grant(admin, system);
    Config config = admin.getConfiguration();
    Config operatorIdentity =
        new io.fabric8.kubernetes.client.ConfigBuilder(config)
            .withImpersonateUsername("system:serviceaccount:" + system + ":modelprefetch-operator")
            .withImpersonateGroups(
                "system:serviceaccounts",
                "system:serviceaccounts:" + system,
                "system:authenticated")
            .build();

    try (KubernetesClient operator =
        new KubernetesClientBuilder().withConfig(operatorIdentity).build()) {
      RunningWebhook webhook =
          new RunningWebhook(operator, admin, system, "modelprefetch", "modelprefetch-webhook-tls");
      try {
        webhook.register();
        webhook.awaitServing(ns, TestArtifacts.onCreatedClaim(ns, "llama"));

        assertThat(admin.secrets().inNamespace(system).withName("modelprefetch-webhook-tls").get())
            .isNotNull();
      } finally {
        webhook.unregister();
        webhook.close();
      }
    }
  }

  private static void grant(KubernetesClient admin, String system) throws Exception {
    admin
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName("modelprefetch-operator")
                .withNamespace(system)
                .endMetadata()
                .build())
        .create();
    List<HasMetadata> objects;
    try (InputStream in = WebhookRbacIT.class.getClassLoader().getResourceAsStream(RBAC)) {
      objects = admin.load(in).items();
    }
    for (HasMetadata o : objects) {
      if (o.getMetadata().getNamespace() != null) {
        o.getMetadata().setNamespace(system);
      }
      admin.resource(o).serverSideApply();
    }
    admin
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName("modelprefetch-webhook-" + system)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "modelprefetch-webhook")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("modelprefetch-operator")
                .withNamespace(system)
                .endSubject()
                .build())
        .create();
    admin
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName("modelprefetch-webhook-tls")
                .withNamespace(system)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "modelprefetch-webhook-tls")
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName("modelprefetch-operator")
                .withNamespace(system)
                .endSubject()
                .build())
        .create();
  }
}
