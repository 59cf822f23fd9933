package io.modelprefetch.e2e;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.Phase;
import io.modelprefetch.operator.testing.TestCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code hack/try-local.sh}: modelprefetch end to end without a cluster. A real kube-apiserver +
 * etcd (kube-api-test), the CRD, the packaged operator as a process, a ModelArtifact against a local
 * Hub, and the download Job's pod run by a local stand-in for the kubelet (there is no node here),
 * watched with the real kubectl. Args: the Hub endpoint and a work directory.
 */
public final class TryLocal {
  private static final String NS = "demo";
  private static final String NAME = "tiny-model";
  private static final Duration DEADLINE = Duration.ofMinutes(3);

  private TryLocal() {}

  public static void main(String[] args) throws Exception {
    String hub = args[0];
    Path work = Path.of(args[1]);
    Path operatorJar = Path.of(System.getProperty("operator.jar", "operator/target/modelprefetch-operator.jar"));
    step("starting a real kube-apiserver + etcd (fabric8 kube-api-test) and installing the ModelArtifact CRD");
    try (TestCluster cluster = TestCluster.start()) {
      KubernetesClient kube = cluster.admin();
      Path kubeconfig = work.resolve("kubeconfig");
      Files.copy(cluster.kubeconfig(), kubeconfig);
      step("API server up; kubeconfig: " + kubeconfig);
      kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("modelprefetch").endMetadata().build()).create();
      kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();

      Process operator = startOperator(operatorJar, kubeconfig, work.resolve("operator.log"));
      Process watch = null;
      try {
        String artifact = artifactYaml(hub);
        step("applying ModelArtifact " + NS + "/" + NAME + " (source: the local Hub at " + hub + "):\n" + artifact);
        kubectl(cluster, "apply", "-f", write(work.resolve("artifact.yaml"), artifact).toString()).waitFor();
        step("kubectl get ma -n " + NS + " -w");
        watch = new ProcessBuilder(cluster.kubectl().toString(), "--kubeconfig", kubeconfig.toString(),
            "get", "ma", "-n", NS, "-w").inheritIO().start();

        Job job = awaitJob(kube, operator, work);
        Path volume = Files.createDirectories(work.resolve("volume"));
        step("[local stand-in] kubelet: no node here, so the init container 'pull' of Job " + job.getMetadata().getName()
            + " runs as a local process (java -jar initcontainer/target/modelprefetch.jar, the pod's args, env and"
            + " ServiceAccount token; its claim is " + volume + ")");
        LocalKubelet.RunningPod pod = new LocalKubelet(kube, cluster.adminConfig(), work).run(job, volume);
        int exit = pod.exit().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        step("[local stand-in] pull exited with " + exit + " (log: " + pod.log() + ")");
        boolean ready = awaitReady(kube);
        Thread.sleep(1500); // lets the watch print the last transition before it is stopped
        watch.destroy();
        step("kubectl get ma -n " + NS);
        kubectl(cluster, "get", "ma", "-n", NS).waitFor();
        if (!ready) {
          fail("the artifact did not become Ready; operator log: " + work.resolve("operator.log"));
        }
        step("Ready. Files on the (local) volume:");
        try (Stream<Path> files = Files.walk(volume)) {
          files.filter(Files::isRegularFile).forEach(f -> System.out.println("  " + volume.relativize(f)));
        }
      } finally {
        if (watch != null) {
          watch.destroy();
        }
        operator.destroy();
        operator.waitFor(20, TimeUnit.SECONDS);
      }
    }
    System.exit(0);
  }

  /** The packaged operator (Main, the same jar as the image), as cluster admin, single replica. */
  private static Process startOperator(Path jar, Path kubeconfig, Path log) throws IOException {
    if (!Files.isRegularFile(jar)) {
      fail(jar.toAbsolutePath() + " is missing; build it: ./mvnw -pl operator -am package -DskipTests");
    }
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(java.util.Map.of(
        "KUBECONFIG", kubeconfig.toString(),
        "POD_NAMESPACE", "modelprefetch",
        "MODELPREFETCH_LEADER_ELECTION", "false",
        "MODELPREFETCH_HTTP_PORT", String.valueOf(freePort()),
        "MODELPREFETCH_WEBHOOK_PORT", String.valueOf(freePort()),
        "MODELPREFETCH_DOWNLOADER_IMAGE", "local/modelprefetch:dev"));
    Process p = pb.start();
    step("operator started (java -jar " + jar + ", pid " + p.pid() + ", log: " + log + ")");
    return p;
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
              create: {size: 1Gi}
        """.formatted(NAME, NS, hub);
  }

  private static Job awaitJob(KubernetesClient kube, Process operator, Path work) throws InterruptedException {
    Instant until = Instant.now().plus(DEADLINE);
    while (Instant.now().isBefore(until)) {
      if (!operator.isAlive()) {
        fail("the operator exited with " + operator.exitValue() + "; log: " + work.resolve("operator.log"));
      }
      List<Job> jobs = kube.batch().v1().jobs().inNamespace(NS).list().getItems();
      if (!jobs.isEmpty()) {
        return jobs.getFirst();
      }
      Thread.sleep(250);
    }
    fail("the operator created no download Job within " + DEADLINE + "; log: " + work.resolve("operator.log"));
    return null;
  }

  private static boolean awaitReady(KubernetesClient kube) throws InterruptedException {
    Instant until = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(until)) {
      ModelArtifact ma = kube.resources(ModelArtifact.class).inNamespace(NS).withName(NAME).get();
      if (ma != null && ma.getStatus() != null && ma.getStatus().phase() == Phase.Ready) {
        return true;
      }
      Thread.sleep(250);
    }
    return false;
  }

  private static Process kubectl(TestCluster cluster, String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of(cluster.kubectl().toString(), "--kubeconfig",
        cluster.kubeconfig().toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).inheritIO().start();
  }

  private static Path write(Path file, String text) throws IOException {
    return Files.writeString(file, text);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
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
