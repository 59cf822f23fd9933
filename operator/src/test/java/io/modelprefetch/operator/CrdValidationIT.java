package io.modelprefetch.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.modelprefetch.api.v1alpha1.EmptyDirStorage;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.ModelArtifactSpec;
import io.modelprefetch.api.v1alpha1.PvcStorage;
import io.modelprefetch.api.v1alpha1.PvcTemplate;
import io.modelprefetch.api.v1alpha1.Storage;
import io.modelprefetch.operator.testing.ApiServerExtension;
import io.modelprefetch.operator.testing.Artifacts;
import io.modelprefetch.operator.testing.TestCluster;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The API server itself rejects invalid ModelArtifacts, with messages a user can act on. */
@ExtendWith(ApiServerExtension.class)
class CrdValidationIT {
  private TestCluster cluster;
  private String ns;

  @BeforeEach
  void namespace(TestCluster cluster) {
    this.cluster = cluster;
    this.ns = cluster.newNamespace("crd");
  }

  @Test
  void acceptsAValidArtifactAndShortNameResolves() {
    cluster.admin().resource(Artifacts.hf(ns, "ok").include("*.json").build()).create();

    assertThat(
            cluster
                .admin()
                .resources(ModelArtifact.class)
                .inNamespace(ns)
                .withName("ok")
                .get()
                .getSpec()
                .source()
                .include())
        .containsExactly("*.json");
  }

  @Test
  void rejectsBothAClaimAndAnEmptyDir() {
    ModelArtifact ma = Artifacts.hf(ns, "both").build();
    ma.setSpec(
        new ModelArtifactSpec(
            ma.getSpec().source(),
            new Storage(new PvcStorage("models", null, null), new EmptyDirStorage(null))));

    assertRejected(ma, "set exactly one of storage.persistentVolumeClaim or storage.emptyDir");
  }

  @Test
  void rejectsNeitherAClaimNorAnEmptyDir() {
    ModelArtifact ma = Artifacts.hf(ns, "neither").build();
    ma.setSpec(new ModelArtifactSpec(ma.getSpec().source(), new Storage(null, null)));

    assertRejected(ma, "set exactly one of storage.persistentVolumeClaim or storage.emptyDir");
  }

  @Test
  void rejectsAClaimNameTogetherWithCreate() {
    ModelArtifact ma = Artifacts.hf(ns, "claim-and-create").build();
    ma.setSpec(
        new ModelArtifactSpec(
            ma.getSpec().source(),
            new Storage(new PvcStorage("models", new PvcTemplate("1Gi", null, null), null), null)));

    assertRejected(
        ma, "set exactly one of persistentVolumeClaim.claimName or persistentVolumeClaim.create");
  }

  @Test
  void rejectsAnUnknownUriScheme() {
    assertRejected(
        Artifacts.hf(ns, "ftp").uri("ftp://example.com/model.bin").build(), "spec.source.uri");
  }

  @Test
  void rejectsAMalformedClaimSize() {
    assertRejected(
        Artifacts.hf(ns, "size").createdClaim("forty gigs", null).build(),
        "spec.storage.persistentVolumeClaim.create.size");
  }

  private void assertRejected(ModelArtifact ma, String message) {
    assertThatThrownBy(() -> cluster.admin().resource(ma).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(message);
  }
}
