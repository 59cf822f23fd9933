package io.modelprefetch.operator.dependent;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import java.util.Set;

/**
 * An artifact's download pods, from their own event source: the reconciler also watches consumer
 * pods, so {@code context.getSecondaryResources(Pod.class)} would mix the two.
 */
public final class DownloadPods {
  public static final String EVENT_SOURCE = "download-pods";

  private DownloadPods() {}

  public static Set<Pod> of(ModelArtifact ma, Context<ModelArtifact> context) {
    return context
        .eventSourceRetriever()
        .getEventSourceFor(Pod.class, EVENT_SOURCE)
        .getSecondaryResources(ma);
  }
}
