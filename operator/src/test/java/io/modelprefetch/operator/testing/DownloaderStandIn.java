package io.modelprefetch.operator.testing;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.ModelArtifactStatus;
import io.modelprefetch.api.v1alpha1.Phase;
import io.modelprefetch.api.v1alpha1.Progress;
import io.modelprefetch.api.v1alpha1.Resolved;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Applies progress the way {@code modelprefetch pull --status-artifact} does: the {@code crds}
 * status records, serialised, under the downloader's field manager.
 */
public final class DownloaderStandIn {
  private final KubernetesClient client;

  public DownloaderStandIn(KubernetesClient client) {
    this.client = client;
  }

  /** A report while downloading. */
  public void progress(
      String ns, String name, long done, long total, int filesDone, int filesTotal) {
    progress(ns, name, Phase.Downloading, done, total, filesDone, filesTotal);
  }

  public void progress(
      String ns, String name, Phase phase, long done, long total, int filesDone, int filesTotal) {
    ModelArtifact doc = new ModelArtifact();
    doc.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    Progress progress =
        new Progress(
            phase,
            done,
            total,
            filesDone,
            filesTotal,
            1000L,
            null,
            (total == 0 ? 100 : done * 100 / total) + "%",
            "1000 B/s",
            null,
            Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS).toString());
    doc.setStatus(
        new ModelArtifactStatus(
            null,
            null,
            null,
            new Resolved(null, filesTotal, total, total + " B"),
            progress,
            null,
            null,
            null,
            null,
            null));
    client
        .resources(ModelArtifact.class)
        .inNamespace(ns)
        .withName(name)
        .subresource("status")
        .patch(
            new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager("modelprefetch-downloader")
                .withForce(true)
                .build(),
            client.getKubernetesSerialization().asJson(doc));
  }
}
