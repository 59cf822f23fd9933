package io.modelprefetch.operator.dependent;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.PvcStorage;

/** The operator creates a claim only for {@code storage.persistentVolumeClaim.create}. */
public class CreatesClaimCondition implements Condition<PersistentVolumeClaim, ModelArtifact> {
  @Override
  public boolean isMet(
      DependentResource<PersistentVolumeClaim, ModelArtifact> dependent,
      ModelArtifact ma,
      Context<ModelArtifact> context) {
    PvcStorage pvc = ma.getSpec().storage().persistentVolumeClaim();
    return pvc != null && pvc.create() != null;
  }
}
