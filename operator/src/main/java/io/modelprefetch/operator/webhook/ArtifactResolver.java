package io.modelprefetch.operator.webhook;

import io.fabric8.kubernetes.api.model.Quantity;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.ModelArtifactStatus;
import io.modelprefetch.api.v1alpha1.Phase;
import io.modelprefetch.api.v1alpha1.Resolved;
import io.modelprefetch.operator.dependent.ArtifactNames;
import java.util.ArrayList;
import java.util.List;

/**
 * Matches annotation entries to ModelArtifacts; unknown artifacts are refused, doubtful ones warned
 * about.
 */
public final class ArtifactResolver {
  private static final long MIB = 1024 * 1024;
  private static final long MIN_HEADROOM = 256 * MIB;
  private final ArtifactLookup lookup;
  private final int headroomPercent;

  public ArtifactResolver(ArtifactLookup lookup, int headroomPercent) {
    this.lookup = lookup;
    this.headroomPercent = headroomPercent;
  }

  /** The artifacts to inject and the warnings kubectl shows the user. */
  public record Resolution(List<ResolvedArtifact> artifacts, List<String> warnings) {
    public Resolution {
      artifacts = List.copyOf(artifacts);
      warnings = List.copyOf(warnings);
    }
  }

  public Resolution resolve(String namespace, List<ArtifactReference> refs) {
    List<ResolvedArtifact> artifacts = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (ArtifactReference ref : refs) {
      ModelArtifact ma =
          lookup
              .find(namespace, ref.name())
              .orElseThrow(
                  () ->
                      new AdmissionRefusal(
                          "ModelArtifact '"
                              + ref.name()
                              + "' not found in namespace '"
                              + namespace
                              + "' (annotation "
                              + PodLabels.ARTIFACTS_ANNOTATION
                              + "); create it first or correct the name"));
      artifacts.add(resolve(ma, ref, warnings));
    }
    return new Resolution(artifacts, warnings);
  }

  private ResolvedArtifact resolve(ModelArtifact ma, ArtifactReference ref, List<String> warnings) {
    ModelArtifactStatus status = ma.getStatus();
    if (status != null && status.phase() == Phase.Failed) {
      warnings.add(
          "ModelArtifact '"
              + ref.name()
              + "' is Failed"
              + (status.message() == null ? "" : ": " + status.message())
              + "; the pod waits in its init container until the artifact is Ready");
    }
    String claim = ArtifactNames.claimOf(ma);
    if (claim != null) {
      return new ResolvedArtifact.SharedClaim(ref, claim, ma.getSpec().hfCache());
    }
    Resolved resolved = status == null ? null : status.resolved();
    String uri = ma.getSpec().source().uri();
    String revision = null;
    if (ma.getSpec().source().pinsRevision()) {
      revision =
          resolved != null && resolved.revision() != null
              ? resolved.revision()
              : ma.getSpec().source().revision();
      if (resolved == null || resolved.revision() == null) {
        warnings.add(
            "ModelArtifact '"
                + ref.name()
                + "' has no resolved revision yet; this pod resolves '"
                + (revision == null ? (uri.startsWith("oci://") ? "its tag" : "main") : revision)
                + "' itself, so replicas may get different commits");
      }
    }
    return new ResolvedArtifact.PerPodDownload(
        ref,
        ma.getSpec().source(),
        revision,
        sizeLimit(ma, resolved, warnings),
        ma.getSpec().hfCache());
  }

  private Quantity sizeLimit(ModelArtifact ma, Resolved resolved, List<String> warnings) {
    String explicit = ma.getSpec().storage().emptyDir().sizeLimit();
    if (explicit != null) {
      return new Quantity(explicit);
    }
    if (resolved == null || resolved.totalBytes() == null) {
      warnings.add(
          "ModelArtifact '"
              + ma.getMetadata().getName()
              + "' has no resolved size yet; its emptyDir"
              + " gets no size limit (set storage.emptyDir.sizeLimit to bound it)");
      return null;
    }
    long total = resolved.totalBytes();
    long headroom = Math.max(MIN_HEADROOM, total / 100 * headroomPercent);
    long mib = Math.ceilDiv(total + headroom, MIB);
    return new Quantity(mib + "Mi");
  }
}
