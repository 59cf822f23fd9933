package io.modelprefetch.operator.webhook;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import java.util.List;
import java.util.Map;

/** Decides about one pod CREATE: parse the annotation, resolve the artifacts, inject, diff. */
public final class PodMutator {
  private final ArtifactResolver resolver;
  private final PodInjector injector;
  private final PodPatch patch;

  public PodMutator(ArtifactResolver resolver, PodInjector injector, PodPatch patch) {
    this.resolver = resolver;
    this.injector = injector;
    this.patch = patch;
  }

  public AdmissionDecision decide(AdmissionRequest request) {
    if (!"CREATE".equals(request.getOperation()) || !(request.getObject() instanceof Pod pod)) {
      return AdmissionDecision.Admit.unchanged();
    }
    return decide(pod, request.getNamespace());
  }

  /**
   * @param namespace the request's namespace (a pod being created may not carry one yet)
   */
  public AdmissionDecision decide(Pod pod, String namespace) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    if (labels == null || !"true".equals(labels.get(PodLabels.INJECT_LABEL))) {
      return AdmissionDecision.Admit.unchanged();
    }
    Map<String, String> annotations = pod.getMetadata().getAnnotations();
    try {
      List<ArtifactReference> refs =
          ArtifactsAnnotation.parse(
              annotations == null ? null : annotations.get(PodLabels.ARTIFACTS_ANNOTATION),
              namespace);
      ArtifactResolver.Resolution resolution = resolver.resolve(namespace, refs);
      Pod injected = injector.inject(pod, resolution.artifacts());
      return new AdmissionDecision.Admit(patch.between(pod, injected), resolution.warnings());
    } catch (AdmissionRefusal e) {
      return new AdmissionDecision.Refuse(e.getMessage());
    }
  }
}
