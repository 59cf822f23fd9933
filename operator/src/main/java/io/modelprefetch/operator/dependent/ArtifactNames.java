package io.modelprefetch.operator.dependent;

import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.PvcStorage;
import java.util.Map;

/**
 * Names and labels of the objects the operator creates for one artifact. Object names may be 253
 * characters; Job names end up in a label and must stay within 63.
 */
public record ArtifactNames(String namespace, String artifact) {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String OPERATOR = "modelprefetch-operator";

  /** Annotation carrying the artifact name (label values are too short for 253-character names). */
  public static final String ARTIFACT_ANNOTATION = "modelprefetch.io/artifact";

  public static final String GENERATION_LABEL = "modelprefetch.io/generation";
  public static final String SELECTOR = MANAGED_BY + "=" + OPERATOR;
  private static final int JOB_PREFIX_MAX = 40;

  public static ArtifactNames of(ModelArtifact ma) {
    return new ArtifactNames(ma.getMetadata().getNamespace(), ma.getMetadata().getName());
  }

  /** The claim the operator creates for {@code storage.persistentVolumeClaim.create}. */
  public String createdClaim() {
    return artifact + "-model";
  }

  /**
   * The claim the download writes to: the created one or the existing {@code claimName}; null for
   * emptyDir.
   */
  public static String claimOf(ModelArtifact ma) {
    PvcStorage pvc = ma.getSpec().storage().persistentVolumeClaim();
    if (pvc == null) {
      return null;
    }
    return pvc.claimName() != null ? pvc.claimName() : of(ma).createdClaim();
  }

  public String serviceAccount() {
    return artifact + "-downloader";
  }

  public String statusWriterRole() {
    return artifact + "-status-writer";
  }

  /**
   * One Job per generation and pod template, so a spec or image change never edits a running Job.
   */
  public String job(long generation, String templateHash) {
    String prefix =
        artifact.length() > JOB_PREFIX_MAX ? artifact.substring(0, JOB_PREFIX_MAX) : artifact;
    prefix = prefix.replaceAll("[.-]+$", "");
    return prefix + "-g" + generation + "-" + templateHash;
  }

  public Map<String, String> labels() {
    return Map.of(
        MANAGED_BY,
        OPERATOR,
        "app.kubernetes.io/name",
        "modelprefetch",
        "app.kubernetes.io/component",
        "downloader");
  }

  public Map<String, String> annotations() {
    return Map.of(ARTIFACT_ANNOTATION, artifact);
  }
}
