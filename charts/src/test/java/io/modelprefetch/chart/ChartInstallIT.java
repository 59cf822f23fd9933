package io.modelprefetch.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelprefetch.operator.testing.ApiServerExtension;
import io.modelprefetch.operator.testing.OperatorServiceAccount;
import io.modelprefetch.operator.testing.TestCluster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart's manifests applied server-side to a real kube-apiserver: valid, stored as rendered,
 * least privilege.
 */
@ExtendWith(ApiServerExtension.class)
class ChartInstallIT {
  private static final String WEBHOOK_RBAC = "io/modelprefetch/operator/webhook/webhook-rbac.yml";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void thePlainManifestsInDeployAreAcceptedAndStoredAsRendered(TestCluster cluster) {
    KubernetesClient kube = cluster.admin();
    applyAll(kube, Repo.read(Repo.DEPLOY.resolve("modelartifacts.modelprefetch.io-v1.yml")));
    String manifests = Repo.read(Repo.DEPLOY.resolve("modelprefetch.yaml"));

    List<HasMetadata> applied = applyAll(kube, manifests);

    assertThat(applied)
        .extracting(HasMetadata::getKind)
        .contains(
            "Deployment",
            "ClusterRole",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding",
            "MutatingWebhookConfiguration");
    assertStoredAsRendered(kube, applied, Manifests.parse(manifests));
  }

  @Test
  void aReleaseWithOtherNamesAndOptionsIsAcceptedAndStoredAsRendered(TestCluster cluster) {
    KubernetesClient kube = cluster.admin();
    String ns = cluster.newNamespace("infra");
    String rendered =
        ChartRenderer.template(
            "mp",
            ns,
            Map.of(
                "replicaCount",
                2,
                "dashboard.enabled",
                true,
                "leaderElection.enabled",
                false,
                "watchNamespaces[0]",
                "serving"));

    List<HasMetadata> applied = applyAll(kube, rendered);

    assertThat(applied)
        .extracting(h -> h.getKind() + "/" + h.getMetadata().getName())
        .contains(
            "Deployment/mp-modelprefetch-operator",
            "ConfigMap/mp-modelprefetch-dashboard",
            "MutatingWebhookConfiguration/mp-modelprefetch");
    assertStoredAsRendered(kube, applied, Manifests.parse(rendered));
  }

  @Test
  void theOperatorGetsExactlyTheRulesOfItsOwnRoleFiles(TestCluster cluster) {
    KubernetesClient kube = cluster.admin();
    kube.namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(ChartRenderer.NAMESPACE)
                .endMetadata()
                .build())
        .serverSideApply();
    applyAll(kube, ChartRenderer.template(Map.of()));
    List<HasMetadata> shippedWebhook = kube.load(resource(WEBHOOK_RBAC)).items();

    assertThat(kube.rbac().clusterRoles().withName("modelprefetch-operator").get().getRules())
        .isEqualTo(OperatorServiceAccount.shippedClusterRole(kube).getRules());
    assertThat(kube.rbac().clusterRoles().withName("modelprefetch-webhook").get().getRules())
        .isEqualTo(rulesOf(shippedWebhook, "ClusterRole"));
    assertThat(
            kube.rbac()
                .roles()
                .inNamespace(ChartRenderer.NAMESPACE)
                .withName("modelprefetch-webhook-tls")
                .get()
                .getRules())
        .isEqualTo(rulesOf(shippedWebhook, "Role"));
    assertThat(
            kube.rbac()
                .clusterRoleBindings()
                .withName("modelprefetch-operator")
                .get()
                .getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getName()).isEqualTo("modelprefetch-operator");
              assertThat(s.getNamespace()).isEqualTo(ChartRenderer.NAMESPACE);
            });
  }

  static List<HasMetadata> applyAll(KubernetesClient kube, String yaml) {
    List<HasMetadata> items =
        kube.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
    return items.stream()
        .map(item -> (HasMetadata) kube.resource(item).forceConflicts().serverSideApply())
        .toList();
  }

  private static void assertStoredAsRendered(
      KubernetesClient kube, List<HasMetadata> applied, Manifests rendered) {
    assertThat(applied).hasSameSizeAs(rendered.documents());
    for (HasMetadata item : applied) {
      HasMetadata live = kube.resource(item).get();
      assertThat(live).as(item.getKind() + "/" + item.getMetadata().getName()).isNotNull();
      JsonNode expected = rendered.get(item.getKind(), item.getMetadata().getName());
      Subset.assertContained(
          expected, tree(kube, live), item.getKind() + "/" + item.getMetadata().getName());
    }
  }

  private static JsonNode tree(KubernetesClient kube, HasMetadata live) {
    try {
      return JSON.readTree(kube.getKubernetesSerialization().asJson(live));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<PolicyRule> rulesOf(List<HasMetadata> docs, String kind) {
    return docs.stream()
        .filter(d -> d.getKind().equals(kind))
        .findFirst()
        .map(
            d ->
                switch (d) {
                  case io.fabric8.kubernetes.api.model.rbac.ClusterRole r -> r.getRules();
                  case io.fabric8.kubernetes.api.model.rbac.Role r -> r.getRules();
                  default -> throw new IllegalStateException(kind);
                })
        .orElseThrow();
  }

  private static InputStream resource(String name) {
    InputStream in = ChartInstallIT.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException(name + " is missing from the operator jar");
    }
    return in;
  }
}
