package io.modelprefetch.operator.dependent;

import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.modelprefetch.api.v1alpha1.ModelArtifact;

/** get/patch on the status of this one artifact (resourceNames), nothing else. */
@KubernetesDependent(informer = @Informer(labelSelector = ArtifactNames.SELECTOR))
public class StatusWriterRoleDependentResource
    extends CRUDKubernetesDependentResource<Role, ModelArtifact> {

  public StatusWriterRoleDependentResource() {
    super(Role.class);
  }

  @Override
  protected Role desired(ModelArtifact ma, Context<ModelArtifact> context) {
    ArtifactNames names = ArtifactNames.of(ma);
    return new RoleBuilder()
        .withNewMetadata()
        .withName(names.statusWriterRole())
        .withNamespace(names.namespace())
        .withLabels(names.labels())
        .endMetadata()
        .withRules(
            new PolicyRuleBuilder()
                .withApiGroups(ModelArtifact.GROUP)
                .withResources("modelartifacts/status")
                .withResourceNames(names.artifact())
                .withVerbs("get", "patch")
                .build())
        .build();
  }
}
