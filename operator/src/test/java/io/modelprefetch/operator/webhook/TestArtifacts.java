package io.modelprefetch.operator.webhook;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.modelprefetch.api.v1alpha1.EmptyDirStorage;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.ModelArtifactSpec;
import io.modelprefetch.api.v1alpha1.ModelArtifactStatus;
import io.modelprefetch.api.v1alpha1.Phase;
import io.modelprefetch.api.v1alpha1.PvcStorage;
import io.modelprefetch.api.v1alpha1.PvcTemplate;
import io.modelprefetch.api.v1alpha1.Resolved;
import io.modelprefetch.api.v1alpha1.Source;
import io.modelprefetch.api.v1alpha1.Storage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** ModelArtifacts for tests, and an in-memory {@link ArtifactLookup}. */
public final class TestArtifacts implements ArtifactLookup {
  public static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
  private final Map<String, ModelArtifact> byKey = new HashMap<>();

  public TestArtifacts add(ModelArtifact ma) {
    byKey.put(ma.getMetadata().getNamespace() + "/" + ma.getMetadata().getName(), ma);
    return this;
  }

  @Override
  public Optional<ModelArtifact> find(String namespace, String name) {
    return Optional.ofNullable(byKey.get(namespace + "/" + name));
  }

  /** On a claim the operator creates ({@code <name>-model}). */
  public static ModelArtifact onCreatedClaim(String namespace, String name) {
    return artifact(
        namespace,
        name,
        hf(null),
        new Storage(new PvcStorage(null, new PvcTemplate("40Gi", null, null), null), null));
  }

  public static ModelArtifact onExistingClaim(String namespace, String name, String claim) {
    return artifact(
        namespace, name, hf(null), new Storage(new PvcStorage(claim, null, null), null));
  }

  /** emptyDir storage, resolved to {@link #COMMIT} with {@code totalBytes}. */
  public static ModelArtifact perPod(
      String namespace, String name, Source source, long totalBytes) {
    ModelArtifact ma =
        artifact(namespace, name, source, new Storage(null, new EmptyDirStorage(null)));
    ma.setStatus(
        new ModelArtifactStatus(
            Phase.Pending,
            List.of(),
            1L,
            new Resolved(COMMIT, 3, totalBytes, null),
            null,
            null,
            null,
            null,
            null,
            null));
    return ma;
  }

  public static Source hf(String credentialsSecret) {
    return new Source(
        "hf://meta-llama/Llama-3.1-8B-Instruct",
        "main",
        List.of("*.safetensors", "*.json"),
        List.of("original/*"),
        credentialsSecret,
        null,
        null,
        null);
  }

  public static ModelArtifact artifact(
      String namespace, String name, Source source, Storage storage) {
    ModelArtifact ma = new ModelArtifact();
    ma.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    ma.setSpec(new ModelArtifactSpec(source, storage));
    return ma;
  }
}
