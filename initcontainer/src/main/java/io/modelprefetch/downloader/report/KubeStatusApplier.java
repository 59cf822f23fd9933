package io.modelprefetch.downloader.report;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Applies status documents with the fabric8 client: in a pod it authenticates with the pod's
 * service account token, elsewhere with {@code $KUBECONFIG}. The pod may only get/patch this one
 * artifact's status, so this sends the apply directly (no read of the artifact first).
 */
public final class KubeStatusApplier implements StatusApplier, AutoCloseable {
  private final KubernetesClient client;
  private final PatchContext apply =
      new PatchContext.Builder()
          .withPatchType(PatchType.SERVER_SIDE_APPLY)
          .withFieldManager(StatusPatchSink.FIELD_MANAGER)
          .withForce(true)
          .build();

  public KubeStatusApplier() {
    this.client = new KubernetesClientBuilder().build();
  }

  @Override
  public void apply(String applyDocument) {
    GenericKubernetesResource document =
        client
            .getKubernetesSerialization()
            .unmarshal(applyDocument, GenericKubernetesResource.class);
    client.resource(document).subresource("status").patch(apply);
  }

  @Override
  public void close() {
    client.close();
  }
}
