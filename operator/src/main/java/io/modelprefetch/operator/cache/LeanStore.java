package io.modelprefetch.operator.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.function.UnaryOperator;

/**
 * An informer cache that keeps objects without {@code metadata.managedFields}: the server-side
 * apply bookkeeping is the largest part of a cached object (measured by {@code
 * bench/operator-scale.sh}: most of the operator's live heap at 1,000 artifacts) and nothing reads
 * it from these caches. Not for the dependents JOSDK compares by server-side apply (claim, service
 * account, role, role binding): their matcher needs it. The Job's match does not (its name encodes
 * its template).
 */
public class LeanStore<R extends HasMetadata> extends TransformingItemStore<R> {
  public LeanStore() {
    this(UnaryOperator.identity());
  }

  /** Also drops what {@code prune} removes (fields no reader of this cache needs). */
  protected LeanStore(UnaryOperator<R> prune) {
    super(resource -> prune.apply(withoutManagedFields(resource)));
  }

  private static <R extends HasMetadata> R withoutManagedFields(R resource) {
    resource.getMetadata().setManagedFields(null);
    return resource;
  }
}
