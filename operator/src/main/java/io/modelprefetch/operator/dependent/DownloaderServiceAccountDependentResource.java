package io.modelprefetch.operator.dependent;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.modelprefetch.api.v1alpha1.ModelArtifact;

/** The identity of one artifact's download pods; it may only patch that artifact's status. */
@KubernetesDependent(informer = @Informer(labelSelector = ArtifactNames.SELECTOR))
public class DownloaderServiceAccountDependentResource
    extends CRUDKubernetesDependentResource<ServiceAccount, ModelArtifact> {

  public DownloaderServiceAccountDependentResource() {
    super(ServiceAccount.class);
  }

  @Override
  protected ServiceAccount desired(ModelArtifact ma, Context<ModelArtifact> context) {
    ArtifactNames names = ArtifactNames.of(ma);
    return new ServiceAccountBuilder()
        .withNewMetadata()
        .withName(names.serviceAccount())
        .withNamespace(names.namespace())
        .withLabels(names.labels())
        .endMetadata()
        .build();
  }
}
