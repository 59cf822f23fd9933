package io.modelprefetch.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.Phase;
import io.modelprefetch.e2e.cluster.E2ECluster;
import io.modelprefetch.e2e.cluster.Kubectl;
import io.modelprefetch.e2e.cluster.RegistryNode;
import io.modelprefetch.e2e.cluster.Release;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code hack/try-local.sh}: modelprefetch on the real single node of hack/node.sh. Helm installs
 * the chart with the locally built images, a ModelArtifact for demo/tiny-model on the local Hub
 * fixture is applied, {@code kubectl get ma -w} runs until it is Ready, then {@code kubectl logs}
 * of the download pod. Runs inside the node's network namespace (hack/node/bin/java). Args: the Hub
 * endpoint, then "keep" to leave the release and the artifact in place.
 */
public final class TryLocal {
  private static final String NS = "demo";
  private static final String NAME = "tiny-model";
  private static final Duration DEADLINE = Duration.ofMinutes(5);

  private TryLocal() {}

  public static void main(String[] args) throws Exception {
    String hub = args[0];
    boolean keep = args.length > 1 && args[1].equals("keep");
    E2ECluster cluster =
        RegistryNode.connect()
            .value()
            .orElseThrow(() -> new IllegalStateException(RegistryNode.connect().reason()));
    KubernetesClient kube = cluster.admin();
    Kubectl kubectl = new Kubectl(cluster.kubectl(), cluster.kubeconfig());
    step(
        "helm install modelprefetch charts/modelprefetch (images "
            + Release.DOWNLOADER_IMAGE
            + ", operator "
            + Release.IMAGE_TAG
            + ") on the "
            + cluster.name());
    Release release = Release.installOrReuse(cluster);
    boolean ready;
    try {
      kubectl.run("create", "namespace", NS);
      Path manifest =
          Files.writeString(Files.createTempFile("try-local-", ".yaml"), artifactYaml(hub));
      step(
          "applying ModelArtifact "
              + NS
              + "/"
              + NAME
              + " (source: the local Hub at "
              + hub
              + "):\n"
              + Files.readString(manifest));
      print(kubectl.run("apply", "-f", manifest.toString()));
      step("kubectl get ma -n " + NS + " -w");
      Process watch =
          new ProcessBuilder(
                  cluster.kubectl().toString(),
                  "--kubeconfig",
                  cluster.kubeconfig().toString(),
                  "get",
                  "ma",
                  "-n",
                  NS,
                  "-w")
              .inheritIO()
              .start();
      ready = awaitReady(kube);
      Thread.sleep(1500); // lets the watch print the last transition before it is stopped
      watch.destroy();
      List<Pod> pods =
          kube.pods()
              .inNamespace(NS)
              .withLabel("app.kubernetes.io/component", "downloader")
              .list()
              .getItems();
      for (Pod pod : pods) {
        step("kubectl logs -n " + NS + " " + pod.getMetadata().getName() + " -c pull");
        print(kubectl.run("logs", "-n", NS, pod.getMetadata().getName(), "-c", "pull"));
      }
      step("kubectl get ma,pvc,pods -n " + NS);
      print(kubectl.run("get", "ma,pvc,pods", "-n", NS));
    } finally {
      if (!keep) {
        release.close();
      }
    }
    if (!ready) {
      fail(
          "the artifact did not become Ready within "
              + DEADLINE
              + "; see kubectl describe ma -n "
              + NS
              + " "
              + NAME);
    }
    step("Ready.");
    System.exit(0);
  }

  private static String artifactYaml(String hub) {
    return """
    apiVersion: modelprefetch.io/v1alpha1
    kind: ModelArtifact
    metadata:
      name: %s
      namespace: %s
    spec:
      source:
        uri: hf://demo/tiny-model
        revision: main
        endpoint: %s
      storage:
        persistentVolumeClaim:
          create: {size: 1Gi, accessModes: [ReadWriteOnce]}   # local-path provisions ReadWriteOnce only
    """
        .formatted(NAME, NS, hub);
  }

  private static boolean awaitReady(KubernetesClient kube) throws InterruptedException {
    Instant until = Instant.now().plus(DEADLINE);
    while (Instant.now().isBefore(until)) {
      ModelArtifact ma = kube.resources(ModelArtifact.class).inNamespace(NS).withName(NAME).get();
      if (ma != null && ma.getStatus() != null && ma.getStatus().phase() == Phase.Ready) {
        return true;
      }
      Thread.sleep(250);
    }
    return false;
  }

  private static void print(Kubectl.Result result) {
    System.out.print(result.output());
    System.out.flush();
  }

  private static void step(String message) {
    System.out.println("==> " + message);
    System.out.flush();
  }

  private static void fail(String message) {
    System.err.println("try-local: " + message);
    System.exit(1);
  }
}
