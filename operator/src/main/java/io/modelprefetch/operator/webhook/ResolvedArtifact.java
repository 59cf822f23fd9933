package io.modelprefetch.operator.webhook;

import io.fabric8.kubernetes.api.model.Quantity;
import io.modelprefetch.api.v1alpha1.Source;

/** An annotation entry matched to its ModelArtifact: how the pod gets the files. */
public sealed interface ResolvedArtifact {
  ArtifactReference ref();

  /**
   * Whether the volume is a Hugging Face cache (layout hf-cache): the pod gets HF_HOME pointing at
   * it.
   */
  boolean hfCache();

  /**
   * The files are (being) written to a shared claim by the operator; the pod mounts it and waits.
   */
  record SharedClaim(ArtifactReference ref, String claimName, boolean hfCache)
      implements ResolvedArtifact {
    public SharedClaim(ArtifactReference ref, String claimName) {
      this(ref, claimName, false);
    }
  }

  /**
   * {@code storage.emptyDir}: the pod downloads the files itself into its own emptyDir.
   *
   * @param revision the pinned revision passed to {@code --revision}; null when there is none to
   *     pin
   * @param sizeLimit the emptyDir's limit; null when the size is unknown
   */
  record PerPodDownload(
      ArtifactReference ref, Source source, String revision, Quantity sizeLimit, boolean hfCache)
      implements ResolvedArtifact {
    public PerPodDownload(
        ArtifactReference ref, Source source, String revision, Quantity sizeLimit) {
      this(ref, source, revision, sizeLimit, false);
    }
  }
}
