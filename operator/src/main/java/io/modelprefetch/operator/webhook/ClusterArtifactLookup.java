package io.modelprefetch.operator.webhook;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.operator.cache.LeanStore;
import java.util.Optional;

/**
 * Reads artifacts from an informer cache (admission stays fast: no API round trip per pod) and
 * falls back to a GET on a miss, so an artifact created a moment before its pods is still found.
 */
public final class ClusterArtifactLookup implements ArtifactLookup, AutoCloseable {
  private final KubernetesClient client;
  private final SharedIndexInformer<ModelArtifact> informer;

  public ClusterArtifactLookup(KubernetesClient client) {
    this.client = client;
    this.informer =
        client
            .resources(ModelArtifact.class)
            .inAnyNamespace()
            .runnableInformer(0)
            .itemStore(new LeanStore<>());
  }

  /** Starts the cache; lookups before it has synced go to the API server. */
  public ClusterArtifactLookup start() {
    informer.start();
    return this;
  }

  @Override
  public Optional<ModelArtifact> find(String namespace, String name) {
    ModelArtifact cached = informer.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
    if (cached != null) {
      return Optional.of(cached);
    }
    return Optional.ofNullable(
        client.resources(ModelArtifact.class).inNamespace(namespace).withName(name).get());
  }

  @Override
  public void close() {
    informer.close();
  }
}
