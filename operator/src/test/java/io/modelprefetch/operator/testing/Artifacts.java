package io.modelprefetch.operator.testing;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.modelprefetch.api.v1alpha1.EmptyDirStorage;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.ModelArtifactSpec;
import io.modelprefetch.api.v1alpha1.PvcStorage;
import io.modelprefetch.api.v1alpha1.PvcTemplate;
import io.modelprefetch.api.v1alpha1.Source;
import io.modelprefetch.api.v1alpha1.Storage;
import java.util.List;

/** Test data: {@code Artifacts.hf("ns", "llama").include("*.json").createdClaim("1Gi").build()}. */
public final class Artifacts {
  private final String namespace;
  private final String name;
  private String uri;
  private String revision;
  private List<String> include;
  private String credentialsSecret;
  private String endpoint;
  private PvcStorage pvc;
  private EmptyDirStorage emptyDir;

  private Artifacts(String namespace, String name, String uri) {
    this.namespace = namespace;
    this.name = name;
    this.uri = uri;
    this.pvc = new PvcStorage(null, new PvcTemplate("1Gi", null, null), null);
  }

  public static Artifacts hf(String namespace, String name) {
    Artifacts a = new Artifacts(namespace, name, "hf://demo/tiny-model");
    a.revision = "main";
    return a;
  }

  public Artifacts uri(String uri) {
    this.uri = uri;
    return this;
  }

  public Artifacts revision(String revision) {
    this.revision = revision;
    return this;
  }

  public Artifacts include(String... globs) {
    this.include = List.of(globs);
    return this;
  }

  public Artifacts credentialsSecret(String secret) {
    this.credentialsSecret = secret;
    return this;
  }

  public Artifacts endpoint(String endpoint) {
    this.endpoint = endpoint;
    return this;
  }

  public Artifacts createdClaim(String size, Boolean retain) {
    this.pvc = new PvcStorage(null, new PvcTemplate(size, "fast", null), retain);
    this.emptyDir = null;
    return this;
  }

  public Artifacts existingClaim(String claimName) {
    this.pvc = new PvcStorage(claimName, null, null);
    this.emptyDir = null;
    return this;
  }

  /**
   * A created 1Gi claim of the default StorageClass mounted ReadWriteOnce (single-node clusters,
   * local-path).
   */
  public Artifacts readWriteOnceClaim() {
    this.pvc = new PvcStorage(null, new PvcTemplate("1Gi", null, List.of("ReadWriteOnce")), null);
    this.emptyDir = null;
    return this;
  }

  public Artifacts emptyDir() {
    this.pvc = null;
    this.emptyDir = new EmptyDirStorage(null);
    return this;
  }

  public ModelArtifact build() {
    ModelArtifact ma = new ModelArtifact();
    ma.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    ma.setSpec(
        new ModelArtifactSpec(
            new Source(uri, revision, include, null, credentialsSecret, endpoint, null, null),
            new Storage(pvc, emptyDir)));
    return ma;
  }
}
