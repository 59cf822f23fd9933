package io.modelprefetch.operator.dependent;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.Resolved;
import java.math.BigDecimal;
import java.util.Optional;

/** Whether the artifact's volume can take the download. */
public sealed interface StorageVerdict {

  /**
   * The claim exists and, as far as we know, is big enough. {@code capacityBytes} is null when
   * unknown. An unbound claim still takes the download (with WaitForFirstConsumer it binds when the
   * download pod is scheduled), but the storage is not ready until it is bound.
   */
  record Usable(String claim, Long capacityBytes, boolean bound) implements StorageVerdict {}

  /** The claim does not exist (yet, or someone deleted the named one). */
  record Missing(String claim) implements StorageVerdict {}

  /** The resolved files do not fit: starting (again) would only fail on a full volume. */
  record TooSmall(String claim, long capacityBytes, long neededBytes) implements StorageVerdict {}

  /** {@code storage.emptyDir}: consuming pods download for themselves; no shared download. */
  record PerPod() implements StorageVerdict {}

  /**
   * Compares the claim's capacity (bound capacity, else the request) with the resolved size the
   * downloader reported; before the first resolution the size is unknown and the download starts
   * (the downloader itself checks free space before fetching a byte).
   */
  static StorageVerdict evaluate(ModelArtifact ma, Optional<PersistentVolumeClaim> claim) {
    String name = ArtifactNames.claimOf(ma);
    if (name == null) {
      return new PerPod();
    }
    if (claim.isEmpty()) {
      return new Missing(name);
    }
    Long capacity = capacity(claim.get());
    Resolved resolved = ma.getStatus() == null ? null : ma.getStatus().resolved();
    Long needed = resolved == null ? null : resolved.totalBytes();
    if (capacity != null && needed != null && needed > capacity) {
      return new TooSmall(name, capacity, needed);
    }
    return new Usable(name, capacity, bound(claim.get()));
  }

  private static boolean bound(PersistentVolumeClaim pvc) {
    return pvc.getStatus() != null && "Bound".equals(pvc.getStatus().getPhase());
  }

  private static Long capacity(PersistentVolumeClaim pvc) {
    Quantity q = null;
    if (pvc.getStatus() != null && pvc.getStatus().getCapacity() != null) {
      q = pvc.getStatus().getCapacity().get("storage");
    }
    if (q == null
        && pvc.getSpec() != null
        && pvc.getSpec().getResources() != null
        && pvc.getSpec().getResources().getRequests() != null) {
      q = pvc.getSpec().getResources().getRequests().get("storage");
    }
    if (q == null) {
      return null;
    }
    BigDecimal bytes = Quantity.getAmountInBytes(q);
    return bytes.longValue();
  }
}
