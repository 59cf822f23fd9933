package io.modelprefetch.operator.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The operator's own identity as the chart will install it: a ServiceAccount bound to the
 * ClusterRole shipped in the operator jar. {@link #clientConfig()} impersonates it, so the operator
 * under test has exactly those permissions.
 */
public final class OperatorServiceAccount {
  public static final String CLUSTER_ROLE_RESOURCE =
      "io/modelprefetch/operator/rbac/operator-clusterrole.yml";
  public static final String NAMESPACE = "modelprefetch-system";
  public static final String NAME = "modelprefetch-operator";
  private final TestCluster cluster;

  private OperatorServiceAccount(TestCluster cluster) {
    this.cluster = cluster;
  }

  /** Installs namespace, ServiceAccount, the shipped ClusterRole and its binding (idempotent). */
  public static OperatorServiceAccount install(TestCluster cluster) {
    KubernetesClient kube = cluster.admin();
    kube.namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
    kube.serviceAccounts()
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(NAMESPACE)
                .endMetadata()
                .build())
        .serverSideApply();
    ClusterRole role = shippedClusterRole(kube);
    kube.rbac().clusterRoles().resource(role).serverSideApply();
    kube.rbac()
        .clusterRoleBindings()
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName(NAME)
                .endMetadata()
                .withNewRoleRef(
                    "rbac.authorization.k8s.io", "ClusterRole", role.getMetadata().getName())
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(NAME)
                .withNamespace(NAMESPACE)
                .endSubject()
                .build())
        .serverSideApply();
    return new OperatorServiceAccount(cluster);
  }

  public static ClusterRole shippedClusterRole(KubernetesClient kube) {
    try (InputStream in =
        OperatorServiceAccount.class.getClassLoader().getResourceAsStream(CLUSTER_ROLE_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            CLUSTER_ROLE_RESOURCE + " is missing from the operator jar");
      }
      return kube.getKubernetesSerialization().unmarshal(in, ClusterRole.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Cluster-admin credentials that act as the operator's ServiceAccount (and nothing more). */
  public Config clientConfig() {
    Config config = cluster.adminConfig();
    config.setImpersonateUsername("system:serviceaccount:" + NAMESPACE + ":" + NAME);
    config.setImpersonateGroups(
        "system:serviceaccounts", "system:serviceaccounts:" + NAMESPACE, "system:authenticated");
    return config;
  }

  /** Operator environment for leader election in the operator's namespace. */
  public static java.util.Map<String, String> leaderElectionEnv(String podName) {
    return java.util.Map.of(
        "MODELPREFETCH_LEADER_ELECTION", "true", "POD_NAMESPACE", NAMESPACE, "POD_NAME", podName);
  }
}
