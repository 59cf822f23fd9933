package io.modelprefetch.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.operator.testing.ApiServerExtension;
import io.modelprefetch.operator.testing.TestCluster;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/samples/ stay valid: the API server (CRD schema and CEL rules) accepts every one of them.
 */
@ExtendWith(ApiServerExtension.class)
class SamplesIT {
  private static final Path SAMPLES = Repo.DEPLOY.resolve("samples");

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "modelartifact-hf.yaml",
        "modelartifact-s3.yaml",
        "modelartifact-https.yaml",
        "modelartifact-oci.yaml",
        "modelartifact-hf-cache.yaml"
      })
  void eachModelArtifactSampleIsAccepted(String sample, TestCluster cluster) {
    String ns = cluster.newNamespace("samples");
    List<HasMetadata> applied = apply(cluster.admin(), ns, sample, false);

    assertThat(artifacts(cluster.admin(), applied))
        .singleElement()
        .satisfies(ma -> assertThat(ma.getSpec().source().uri()).isNotBlank());
  }

  @Test
  void theS3SampleNamesTheSecretItShips(TestCluster cluster) {
    List<HasMetadata> applied =
        apply(cluster.admin(), cluster.newNamespace("samples"), "modelartifact-s3.yaml", false);

    String secret =
        applied.stream()
            .filter(h -> h.getKind().equals("Secret"))
            .findFirst()
            .orElseThrow()
            .getMetadata()
            .getName();
    assertThat(artifacts(cluster.admin(), applied))
        .singleElement()
        .satisfies(ma -> assertThat(ma.getSpec().source().credentialsSecret()).isEqualTo(secret));
  }

  @Test
  void theVllmDeploymentOptsInAndNamesTheHfSample(TestCluster cluster) {
    KubernetesClient kube = cluster.admin();
    String ns = cluster.newNamespace("samples");
    String artifact =
        apply(kube, ns, "modelartifact-hf.yaml", false).getFirst().getMetadata().getName();

    Deployment vllm =
        kube.getKubernetesSerialization()
            .convertValue(
                apply(kube, ns, "vllm-deployment.yaml", true).getFirst(), Deployment.class);

    assertThat(vllm.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("modelprefetch.io/inject", "true");
    assertThat(vllm.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("modelprefetch.io/artifacts", artifact);
  }

  @Test
  void theApiServerRefusesTheHfCacheLayoutForAnotherScheme(TestCluster cluster) {
    String yaml =
        Repo.read(SAMPLES.resolve("modelartifact-oci.yaml"))
            .replace("spec:\n", "spec:\n  layout: hf-cache\n");
    KubernetesClient kube = cluster.admin();
    String ns = cluster.newNamespace("samples");
    assertThatThrownBy(
            () ->
                kube.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                    .items()
                    .forEach(item -> kube.resource(item).inNamespace(ns).serverSideApply()))
        .hasMessageContaining("layout hf-cache needs an hf:// source");
  }

  private static List<ModelArtifact> artifacts(KubernetesClient kube, List<HasMetadata> applied) {
    return applied.stream()
        .filter(h -> h.getKind().equals("ModelArtifact"))
        .map(h -> kube.getKubernetesSerialization().convertValue(h, ModelArtifact.class))
        .toList();
  }

  private static List<HasMetadata> apply(
      KubernetesClient kube, String ns, String sample, boolean dryRun) {
    byte[] yaml = Repo.read(SAMPLES.resolve(sample)).getBytes(StandardCharsets.UTF_8);
    return kube.load(new ByteArrayInputStream(yaml)).items().stream()
        .map(
            item -> {
              var resource = kube.resource(item).inNamespace(ns);
              return (HasMetadata)
                  (dryRun ? resource.dryRun().serverSideApply() : resource.serverSideApply());
            })
        .toList();
  }
}
