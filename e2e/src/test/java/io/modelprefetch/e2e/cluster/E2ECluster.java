package io.modelprefetch.e2e.cluster;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A real cluster the E2E scenarios run against, written once for every provider: the node built
 * from package registries ({@link RegistryNode}, hack/node.sh) or k3s in Testcontainers ({@link
 * K3sCluster}). Our images (hack/images.sh) are already loaded into its runtime.
 */
public interface E2ECluster extends AutoCloseable {
  /** For messages: "registry-built node", "k3s (Testcontainers)". */
  String name();

  KubernetesClient admin();

  /** An admin kubeconfig file for kubectl and Helm. */
  Path kubeconfig();

  /** A kubectl of the cluster's version. */
  Path kubectl();

  /**
   * The address of this JVM that pods can connect to: test servers (the Hub fixture) bind to it.
   */
  String podReachableHost();

  /** The bytes of {@code file} inside a provisioned volume, read from the node's disk. */
  byte[] readVolumeFile(PersistentVolume volume, String file) throws IOException;

  /** The numeric owner of {@code file} inside a provisioned volume (the user the writer ran as). */
  int volumeFileOwner(PersistentVolume volume, String file) throws IOException;

  /** A node directory that hostPath volumes can use, created with the given owner and mode. */
  String hostDirectory(String name, int uid, String mode) throws IOException;

  @Override
  void close();
}
