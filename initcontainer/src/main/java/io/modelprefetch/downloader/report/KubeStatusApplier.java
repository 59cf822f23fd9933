package io.modelprefetch.downloader.report;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.modelprefetch.api.v1alpha1.ModelArtifact;

/**
 * Applies status documents with the fabric8 client: in a pod it authenticates with the pod's
 * service account token (the operator grants get/patch on this one artifact's status), elsewhere
 * with {@code $KUBECONFIG}.
 */
public final class KubeStatusApplier implements StatusApplier, AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final PatchContext apply = new PatchContext.Builder()
      .withPatchType(PatchType.SERVER_SIDE_APPLY)
      .withFieldManager(StatusPatchSink.FIELD_MANAGER)
      .withForce(true)
      .build();

  public KubeStatusApplier(String namespace, String name) {
    this.client = new KubernetesClientBuilder().build();
    this.namespace = namespace;
    this.name = name;
  }

  @Override
  public void apply(String applyDocument) {
    client.genericKubernetesResources(ModelArtifact.GROUP + "/" + ModelArtifact.VERSION, "ModelArtifact")
        .inNamespace(namespace)
        .withName(name)
        .subresource("status")
        .patch(apply, applyDocument);
  }

  @Override
  public void close() {
    client.close();
  }

}
