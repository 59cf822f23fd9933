package io.modelprefetch.operator.webhook;

import io.modelprefetch.api.v1alpha1.ModelArtifact;
import java.util.Optional;

/** Finds a ModelArtifact by namespace and name (the API server in production, a map in tests). */
@FunctionalInterface
public interface ArtifactLookup {
  Optional<ModelArtifact> find(String namespace, String name);
}
