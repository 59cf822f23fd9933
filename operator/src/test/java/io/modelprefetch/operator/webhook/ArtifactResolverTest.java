package io.modelprefetch.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.modelprefetch.api.v1alpha1.EmptyDirStorage;
import io.modelprefetch.api.v1alpha1.ModelArtifactStatus;
import io.modelprefetch.api.v1alpha1.Phase;
import io.modelprefetch.api.v1alpha1.Storage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArtifactResolverTest {
  private static final long GIB = 1L << 30;

  @Test
  void aCreatedClaimIsNamedAsTheOperatorNamesIt() {
    var r =
        resolve(new TestArtifacts().add(TestArtifacts.onCreatedClaim("serving", "llama")), "llama");

    assertThat(r.artifacts())
        .containsExactly(new ResolvedArtifact.SharedClaim(ref("llama"), "llama-model"));
  }

  @Test
  void anExistingClaimIsUsedAsIs() {
    var r =
        resolve(
            new TestArtifacts()
                .add(TestArtifacts.onExistingClaim("serving", "llama", "shared-models")),
            "llama");

    assertThat(r.artifacts())
        .containsExactly(new ResolvedArtifact.SharedClaim(ref("llama"), "shared-models"));
  }

  @Test
  void anEmptyDirIsTheResolvedSizePlusHeadroom() {
    var r =
        resolve(
            new TestArtifacts()
                .add(TestArtifacts.perPod("serving", "llama", TestArtifacts.hf(null), 16 * GIB)),
            "llama");

    var download = (ResolvedArtifact.PerPodDownload) r.artifacts().getFirst();
    assertThat(download.revision()).isEqualTo(TestArtifacts.COMMIT);
    // 16 GiB + 10 % = 17.6 GiB = 18022.4 MiB, rounded up
    assertThat(download.sizeLimit()).isEqualTo(new Quantity("18023Mi"));
  }

  @Test
  void smallModelsGetAtLeast256MiOfHeadroom() {
    var r =
        resolve(
            new TestArtifacts()
                .add(TestArtifacts.perPod("serving", "tiny", TestArtifacts.hf(null), 1024 * 1024)),
            "tiny");

    assertThat(((ResolvedArtifact.PerPodDownload) r.artifacts().getFirst()).sizeLimit())
        .isEqualTo(new Quantity("257Mi"));
  }

  @Test
  void anExplicitSizeLimitWins() {
    var ma =
        TestArtifacts.artifact(
            "serving",
            "llama",
            TestArtifacts.hf(null),
            new Storage(null, new EmptyDirStorage("50Gi")));

    var r = resolve(new TestArtifacts().add(ma), "llama");

    assertThat(((ResolvedArtifact.PerPodDownload) r.artifacts().getFirst()).sizeLimit())
        .isEqualTo(new Quantity("50Gi"));
  }

  @Test
  void anUnresolvedPerPodArtifactUsesTheSpecRevisionAndWarns() {
    var ma =
        TestArtifacts.artifact(
            "serving",
            "llama",
            TestArtifacts.hf(null),
            new Storage(null, new EmptyDirStorage(null)));

    var r = resolve(new TestArtifacts().add(ma), "llama");

    var download = (ResolvedArtifact.PerPodDownload) r.artifacts().getFirst();
    assertThat(download.revision()).isEqualTo("main");
    assertThat(download.sizeLimit()).isNull();
    assertThat(r.warnings())
        .containsExactly(
            "ModelArtifact 'llama' has no resolved revision yet; this pod resolves 'main' itself,"
                + " so replicas may get different commits",
            "ModelArtifact 'llama' has no resolved size yet; its emptyDir gets no size limit (set"
                + " storage.emptyDir.sizeLimit to bound it)");
  }

  @Test
  void aFailedArtifactIsInjectedWithAWarning() {
    var ma = TestArtifacts.onCreatedClaim("serving", "llama");
    ma.setStatus(
        new ModelArtifactStatus(
            Phase.Failed, List.of(), 1L, null, null, null, null, 3, "source error: 404", null));

    var r = resolve(new TestArtifacts().add(ma), "llama");

    assertThat(r.artifacts()).hasSize(1);
    assertThat(r.warnings())
        .containsExactly(
            "ModelArtifact 'llama' is Failed: source error: 404; the pod waits in its"
                + " init container until the artifact is Ready");
  }

  private static ArtifactResolver.Resolution resolve(TestArtifacts artifacts, String name) {
    return new ArtifactResolver(artifacts, 10).resolve("serving", List.of(ref(name)));
  }

  private static ArtifactReference ref(String name) {
    return new ArtifactReference(name, "/models/" + name);
  }
}
