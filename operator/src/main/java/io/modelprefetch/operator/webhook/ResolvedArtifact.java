package io.modelprefetch.operator.webhook;

import io.fabric8.kubernetes.api.model.Quantity;
import io.modelprefetch.api.v1alpha1.Source;

/** An annotation entry matched to its ModelArtifact: how the pod gets the files. */
public sealed interface ResolvedArtifact {
  ArtifactReference ref();

  /** The files are (being) written to a shared claim by the operator; the pod mounts it and waits. */
  record SharedClaim(ArtifactReference ref, String claimName) implements ResolvedArtifact {}

  /**
   * {@code storage.emptyDir}: the pod downloads the files itself into its own emptyDir.
   *
   * @param revision the pinned revision passed to {@code --revision}; null when there is none to pin
   * @param sizeLimit the emptyDir's limit; null when the size is unknown
   */
  record PerPodDownload(ArtifactReference ref, Source source, String revision, Quantity sizeLimit)
      implements ResolvedArtifact {}
}
