package io.modelprefetch.operator.dependent;

import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.modelprefetch.api.v1alpha1.ModelArtifact;

/** Binds the status-writer Role to the artifact's downloader ServiceAccount. */
@KubernetesDependent(informer = @Informer(labelSelector = ArtifactNames.SELECTOR))
public class StatusWriterRoleBindingDependentResource
    extends CRUDKubernetesDependentResource<RoleBinding, ModelArtifact> {

  public StatusWriterRoleBindingDependentResource() {
    super(RoleBinding.class);
  }

  @Override
  protected RoleBinding desired(ModelArtifact ma, Context<ModelArtifact> context) {
    ArtifactNames names = ArtifactNames.of(ma);
    return new RoleBindingBuilder()
        .withNewMetadata()
        .withName(names.statusWriterRole())
        .withNamespace(names.namespace())
        .withLabels(names.labels())
        .endMetadata()
        .withNewRoleRef("rbac.authorization.k8s.io", "Role", names.statusWriterRole())
        .addNewSubject()
        .withKind("ServiceAccount")
        .withName(names.serviceAccount())
        .withNamespace(names.namespace())
        .endSubject()
        .build();
  }
}
