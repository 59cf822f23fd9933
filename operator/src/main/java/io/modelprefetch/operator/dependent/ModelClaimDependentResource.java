package io.modelprefetch.operator.dependent;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.PvcStorage;
import io.modelprefetch.api.v1alpha1.PvcTemplate;
import java.util.List;

/**
 * The claim for {@code storage.persistentVolumeClaim.create}. Deliberately not a {@code
 * GarbageCollected}/{@code Deleter}: the operator never deletes a claim itself. With {@code retain:
 * false} the claim carries an owner reference and Kubernetes deletes it with the artifact; with
 * {@code retain} unset or true it has none and outlives the artifact (models are expensive to fetch
 * again). JOSDK maps it back to its artifact through annotations.
 */
public class ModelClaimDependentResource
    extends KubernetesDependentResource<PersistentVolumeClaim, ModelArtifact>
    implements Creator<PersistentVolumeClaim, ModelArtifact>,
        Updater<PersistentVolumeClaim, ModelArtifact> {

  public ModelClaimDependentResource() {
    super(PersistentVolumeClaim.class);
  }

  @Override
  protected PersistentVolumeClaim desired(ModelArtifact ma, Context<ModelArtifact> context) {
    ArtifactNames names = ArtifactNames.of(ma);
    PvcStorage storage = ma.getSpec().storage().persistentVolumeClaim();
    PvcTemplate create = storage.create();
    List<String> modes =
        create.accessModes() == null || create.accessModes().isEmpty()
            ? List.of("ReadWriteMany")
            : create.accessModes();
    PersistentVolumeClaimBuilder claim =
        new PersistentVolumeClaimBuilder()
            .withNewMetadata()
            .withName(names.createdClaim())
            .withNamespace(names.namespace())
            .withLabels(names.labels())
            .endMetadata()
            .withNewSpec()
            .withAccessModes(modes)
            .withStorageClassName(create.storageClassName())
            .withNewResources()
            .addToRequests("storage", new Quantity(create.size()))
            .endResources()
            .endSpec();
    if (Boolean.FALSE.equals(storage.retain())) {
      claim
          .editMetadata()
          .addNewOwnerReference()
          .withApiVersion(ma.getApiVersion())
          .withKind(ma.getKind())
          .withName(ma.getMetadata().getName())
          .withUid(ma.getMetadata().getUid())
          .withController(true)
          .withBlockOwnerDeletion(false)
          .endOwnerReference()
          .endMetadata();
    }
    return claim.build();
  }
}
