package io.modelprefetch.operator.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Applies progress the way {@code modelprefetch pull --status-artifact} does (same field manager). */
public final class DownloaderStandIn {
  private final KubernetesClient client;

  public DownloaderStandIn(KubernetesClient client) {
    this.client = client;
  }

  public void progress(String ns, String name, long done, long total, int filesDone, int filesTotal) {
    String doc = """
        {"apiVersion":"modelprefetch.io/v1alpha1","kind":"ModelArtifact","metadata":{"name":"%s","namespace":"%s"},
         "status":{"resolved":{"files":%d,"totalBytes":%d,"size":"%d B"},
                   "progress":{"bytesDone":%d,"bytesTotal":%d,"filesDone":%d,"filesTotal":%d,"bytesPerSecond":1000,
                               "percent":"%d%%","speed":"1000 B/s","updatedAt":"%s"}}}
        """.formatted(name, ns, filesTotal, total, total, done, total, filesDone, filesTotal,
        total == 0 ? 100 : done * 100 / total, Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS));
    client.resources(ModelArtifact.class).inNamespace(ns).withName(name).subresource("status")
        .patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
            .withFieldManager("modelprefetch-downloader").withForce(true).build(), doc);
  }
}
