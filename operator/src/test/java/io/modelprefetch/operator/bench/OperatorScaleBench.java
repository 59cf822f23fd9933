package io.modelprefetch.operator.bench;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.operator.dependent.ArtifactNames;
import io.modelprefetch.operator.testing.Artifacts;
import io.modelprefetch.operator.testing.TestCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * The operator at scale, as a separate process against a real kube-apiserver + etcd: start-up
 * (process start to {@code /readyz} and to holding the Lease), then N ModelArtifacts until each has
 * its download Job and a status, the operator's RSS (peak and steady), heap and CPU. A benchmark,
 * not a test; {@code bench/operator-scale.sh} builds the operator's command line (the image's JVM
 * flags, the chart's memory limit) and runs this. There is no kubelet or Job controller: Jobs never
 * start pods, so "reconciled" means the operator created the owned objects and wrote status.
 *
 * <pre>
 * OperatorScaleBench ARTIFACTS NAMESPACES SETTLE_SECONDS TIMEOUT_SECONDS -- OPERATOR COMMAND...
 * </pre>
 *
 * Exits 1 when the operator process ends or the artifacts are not all reconciled in time.
 */
public final class OperatorScaleBench {
  private static final String NAMESPACE = "modelprefetch-system";
  private static final String POD = "modelprefetch-operator-bench";
  private static final String LEASE = "modelprefetch-operator";
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

  private final KubernetesClient kube;
  private final Process operator;
  private final ProcessMeter meter;
  private final long startNanos;

  private OperatorScaleBench(KubernetesClient kube, Process operator, long startNanos) {
    this.kube = kube;
    this.operator = operator;
    this.meter =
        new ProcessMeter(operator.pid(), Path.of(System.getProperty("java.home"), "bin", "jcmd"));
    this.startNanos = startNanos;
  }

  public static void main(String[] args) throws Exception {
    int artifacts = Integer.parseInt(args[0]);
    int namespaces = Integer.parseInt(args[1]);
    Duration settle = Duration.ofSeconds(Long.parseLong(args[2]));
    Duration timeout = Duration.ofSeconds(Long.parseLong(args[3]));
    List<String> command = List.of(args).subList(List.of(args).indexOf("--") + 1, args.length);
    String logPath = System.getProperty("modelprefetch.bench.operatorLog");
    Path log = logPath != null ? Path.of(logPath) : Files.createTempFile("operator-scale-", ".log");
    int status;
    try (TestCluster cluster = TestCluster.start()) {
      KubernetesClient kube = cluster.admin();
      kube.namespaces()
          .resource(
              new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                  .withNewMetadata()
                  .withName(NAMESPACE)
                  .endMetadata()
                  .build())
          .create();
      int httpPort = freePort();
      ProcessBuilder pb =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().putAll(operatorEnv(cluster.kubeconfig(), httpPort));
      long start = System.nanoTime();
      Process operator = pb.start();
      try {
        status =
            new OperatorScaleBench(kube, operator, start)
                .run(artifacts, namespaces, settle, timeout, httpPort);
      } catch (IllegalStateException e) {
        status = fail(e.getMessage());
      } finally {
        operator.destroy();
        operator.waitFor();
      }
    }
    System.out.println("operator log: " + log);
    System.exit(status);
  }

  /**
   * The chart's environment (values.yaml defaults), with a kubeconfig instead of the in-cluster
   * service account.
   */
  private static Map<String, String> operatorEnv(Path kubeconfig, int httpPort) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("POD_NAMESPACE", NAMESPACE);
    env.put("POD_NAME", POD);
    env.put("MODELPREFETCH_LEADER_ELECTION", "true");
    env.put("MODELPREFETCH_LEASE_NAME", LEASE);
    env.put("MODELPREFETCH_HTTP_PORT", Integer.toString(httpPort));
    env.put("MODELPREFETCH_WEBHOOK_PORT", Integer.toString(freePort()));
    env.put(
        "MODELPREFETCH_WEBHOOK_CERT_DIR",
        Files.createTempDirectory("operator-scale-tls-").toString());
    env.put("MODELPREFETCH_WEBHOOK_EXTRA_SANS", "127.0.0.1");
    env.put("MODELPREFETCH_DOWNLOADER_IMAGE", "registry.test/modelprefetch:bench");
    return env;
  }

  private int run(int count, int namespaces, Duration settle, Duration timeout, int httpPort)
      throws Exception {
    double ready = await(timeout, () -> ready(httpPort));
    double leader = await(timeout, this::leading);
    if (ready < 0 || leader < 0) {
      return fail("the operator did not become ready and leader in " + timeout.toSeconds() + " s");
    }
    System.out.printf(
        "start-up: /readyz 200 after %.1f s, Lease held after %.1f s (from process start)%n",
        ready, leader);
    System.out.println(
        "idle after start-up: RSS "
            + ProcessMeter.mib(meter.rss().current())
            + ", CPU "
            + String.format("%.1f s", meter.cpuSeconds()));

    SharedIndexInformer<ModelArtifact> artifacts =
        kube.resources(ModelArtifact.class).inAnyNamespace().inform();
    SharedIndexInformer<Job> jobs =
        kube.batch()
            .v1()
            .jobs()
            .inAnyNamespace()
            .withLabel(ArtifactNames.MANAGED_BY, ArtifactNames.OPERATOR)
            .inform();
    long created = System.nanoTime();
    create(count, namespaces);
    double createSeconds = seconds(created);
    long[] lastReport = {System.nanoTime()};
    BooleanSupplier done =
        () -> {
          int jobCount = jobs.getStore().list().size();
          long statuses =
              artifacts.getStore().list().stream()
                  .filter(a -> a.getStatus() != null && a.getStatus().phase() != null)
                  .count();
          if (System.nanoTime() - lastReport[0] > PROGRESS_EVERY.toNanos()) {
            lastReport[0] = System.nanoTime();
            System.out.printf(
                "  %.0f s: %d jobs, %d statuses, RSS %s%n",
                seconds(created), jobCount, statuses, rssNow());
          }
          return jobCount >= count && statuses >= count;
        };
    double reconciled = await(timeout, done);
    double all = reconciled < 0 ? -1 : seconds(created);
    if (all < 0) {
      return fail(
          String.format(
              "not reconciled in %d s: %d jobs, %d statuses of %d artifacts",
              timeout.toSeconds(),
              jobs.getStore().list().size(),
              artifacts.getStore().list().stream().filter(a -> a.getStatus() != null).count(),
              count));
    }
    System.out.printf(
        "reconciled %d ModelArtifacts in %d namespaces: all with Job and status %.1f s after the"
            + " first create (creating them took %.1f s)%n",
        count, namespaces, all, createSeconds);
    System.out.println("owned objects: " + ownedCounts());
    ProcessMeter.Rss busy = meter.rss();
    Thread.sleep(settle.toMillis());
    if (!operator.isAlive()) {
      return fail("the operator exited with " + operator.exitValue());
    }
    ProcessMeter.Rss steady = meter.rss();
    ProcessMeter.Heap heap = meter.heap();
    double cpu = meter.cpuSeconds();
    meter.fullGc();
    ProcessMeter.Heap live = meter.heap();
    System.out.printf(
        "RSS: peak %s (VmHWM), at the end of reconciling %s, steady %s (%d s later)%n",
        ProcessMeter.mib(steady.peak()),
        ProcessMeter.mib(busy.current()),
        ProcessMeter.mib(steady.current()),
        settle.toSeconds());
    System.out.printf(
        "heap: %s used of %s committed, %s live after a full GC; CPU %.1f s (user+sys since"
            + " process start)%n",
        ProcessMeter.mib(heap.used()),
        ProcessMeter.mib(heap.committed()),
        ProcessMeter.mib(live.used()),
        cpu);
    System.out.printf(
        "target peak RSS <= 300 MiB: %s%n",
        steady.peak() <= 300L << 20
            ? "PASS"
            : "MISS by " + ProcessMeter.mib(steady.peak() - (300L << 20)));
    artifacts.close();
    jobs.close();
    return 0;
  }

  private void create(int count, int namespaces) throws Exception {
    List<String> names = IntStream.range(0, namespaces).mapToObj(i -> "scale-" + i).toList();
    names.forEach(
        n ->
            kube.namespaces()
                .resource(
                    new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                        .withNewMetadata()
                        .withName(n)
                        .endMetadata()
                        .build())
                .create());
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      List<Future<?>> calls = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ModelArtifact ma = Artifacts.hf(names.get(i % namespaces), "model-" + i).build();
        calls.add(pool.submit(() -> kube.resource(ma).create()));
      }
      for (Future<?> call : calls) {
        call.get();
      }
    }
  }

  private String rssNow() {
    try {
      return ProcessMeter.mib(meter.rss().current());
    } catch (IOException e) {
      return "? (" + e.getMessage() + ")";
    }
  }

  private String ownedCounts() {
    var selector = Map.of(ArtifactNames.MANAGED_BY, ArtifactNames.OPERATOR);
    return "claims "
        + kube.persistentVolumeClaims()
            .inAnyNamespace()
            .withLabels(selector)
            .list()
            .getItems()
            .size()
        + ", service accounts "
        + kube.serviceAccounts().inAnyNamespace().withLabels(selector).list().getItems().size()
        + ", roles "
        + kube.rbac().roles().inAnyNamespace().withLabels(selector).list().getItems().size()
        + ", role bindings "
        + kube.rbac().roleBindings().inAnyNamespace().withLabels(selector).list().getItems().size()
        + ", jobs "
        + kube.batch().v1().jobs().inAnyNamespace().withLabels(selector).list().getItems().size();
  }

  private boolean ready(int port) {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private boolean leading() {
    Lease lease = kube.leases().inNamespace(NAMESPACE).withName(LEASE).get();
    return lease != null && POD.equals(lease.getSpec().getHolderIdentity());
  }

  /**
   * Seconds from process start until the condition holds, or -1 on timeout; throws when the
   * operator exits.
   */
  private double await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!operator.isAlive()) {
        throw new IllegalStateException("the operator exited with " + operator.exitValue());
      }
      if (condition.getAsBoolean()) {
        return seconds(startNanos);
      }
      Thread.sleep(50);
    }
    return -1;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static int fail(String message) {
    System.out.println("FAILED: " + message);
    return 1;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
