package io.modelprefetch.operator.dependent;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import java.util.Optional;

/** Reads the artifact's claim (created or existing) from the claim informer's cache. */
public final class Claims {
  private Claims() {}

  @SuppressWarnings("unchecked")
  public static StorageVerdict verdict(ModelArtifact ma, Context<ModelArtifact> context) {
    String name = ArtifactNames.claimOf(ma);
    if (name == null) {
      return StorageVerdict.evaluate(ma, Optional.empty());
    }
    var source =
        (InformerEventSource<PersistentVolumeClaim, ModelArtifact>)
            context.eventSourceRetriever().getEventSourceFor(PersistentVolumeClaim.class);
    return StorageVerdict.evaluate(
        ma, source.get(new ResourceID(name, ma.getMetadata().getNamespace())));
  }
}
