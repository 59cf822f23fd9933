package io.modelprefetch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.ModelArtifactStatus;
import io.modelprefetch.api.v1alpha1.Phase;
import io.modelprefetch.e2e.cluster.Kubectl;
import io.modelprefetch.fixtures.data.Datasets;
import io.modelprefetch.fixtures.http.Fault;
import io.modelprefetch.fixtures.hub.HubFixture;
import io.modelprefetch.operator.testing.ApiServerExtension;
import io.modelprefetch.operator.testing.Artifacts;
import io.modelprefetch.operator.testing.OperatorServiceAccount;
import io.modelprefetch.operator.testing.Operators;
import io.modelprefetch.operator.testing.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fast tier, with a STAND-IN for the kubelet: the operator (as its ServiceAccount, shipped
 * ClusterRole) + the packaged downloader CLI run as a local process (as the artifact's
 * ServiceAccount) + a real API server + a loopback Hub. The test plays kubelet and Job controller
 * ({@link KubeletStandIn}); everything in the status comes from the operator and the downloader.
 * The same flows on a real node, with the images, are the *E2E classes.
 */
@ExtendWith(ApiServerExtension.class)
class StandInKubeletDownloadIT {
  private static final String REPO = "demo/tiny-model";
  private static final byte[] WEIGHTS = Datasets.bytes(24 << 20, 7);
  private static final byte[] CONFIG = "{\"model_type\":\"llama\",\"hidden_size\":64}".getBytes();
  private static final long TOTAL = WEIGHTS.length + CONFIG.length;
  private TestCluster cluster;
  private KubernetesClient kube;
  private HubFixture hub;
  private KubeletStandIn kubelet;
  private String ns;
  @TempDir Path volume;
  @TempDir Path kubeletWork;

  @BeforeEach
  void setUp(TestCluster cluster) {
    this.cluster = cluster;
    this.kube = cluster.admin();
    this.ns = cluster.newNamespace("e2e");
    this.hub =
        HubFixture.builder()
            .repo(REPO, r -> r.lfsFile("model.safetensors", WEIGHTS).file("config.json", CONFIG))
            .start();
    this.kubelet = new KubeletStandIn(kube, cluster.adminConfig(), kubeletWork);
  }

  @AfterEach
  void tearDown() {
    hub.close();
  }

  @Test
  void theDownloadersOwnStatusPatchesTakeTheArtifactFromDownloadingToReady() throws Exception {
    OperatorServiceAccount identity = OperatorServiceAccount.install(cluster);
    Map<String, String> env = new HashMap<>(OperatorServiceAccount.leaderElectionEnv("op-e2e"));
    env.put("MODELPREFETCH_LEASE_NAME", "e2e-ready");
    slowCdn(Duration.ofSeconds(12));
    StatusRecorder recorder = new StatusRecorder();
    try (Operators ignored = Operators.start(identity.clientConfig(), env);
        Watch watch =
            kube.resources(ModelArtifact.class).inNamespace(ns).withName("llama").watch(recorder)) {
      kube.resource(artifact()).create();
      KubeletStandIn.RunningPod pod = kubelet.run(awaitJob(), volume);

      ModelArtifactStatus downloading =
          awaitStatus(s -> s.phase() == Phase.Downloading, Duration.ofSeconds(30));
      assertThat(downloading.progress().bytesTotal()).isEqualTo(TOTAL);
      assertThat(downloading.progress().bytesDone()).isLessThan(TOTAL);
      Kubectl.Result live =
          new Kubectl(cluster.kubectl(), cluster.kubeconfig()).run("get", "ma", "-n", ns);
      System.out.println("MEASUREMENT kubectl get ma (downloading):\n" + live.output());
      assertThat(live.output()).contains("Downloading").contains("24.0 MiB");
      assertThat(pod.exit().get(60, TimeUnit.SECONDS)).as(Files.readString(pod.log())).isZero();

      ModelArtifactStatus ready =
          awaitStatus(s -> s.phase() == Phase.Ready, Duration.ofSeconds(20));
      assertThat(ready.resolved().revision()).isEqualTo(hub.revision(REPO, "main"));
      assertThat(ready.resolved().files()).isEqualTo(2);
      assertThat(ready.resolved().totalBytes()).isEqualTo(TOTAL);
      assertThat(ready.progress().bytesDone()).isEqualTo(TOTAL);
      assertThat(ready.progress().filesDone()).isEqualTo(2);
      assertThat(ready.progress().percent()).isEqualTo("100%");
      assertThat(ready.attempts()).isEqualTo(1);
      assertThat(ready.observedGeneration()).isEqualTo(1);
      assertThat(ready.conditions())
          .filteredOn(c -> c.getType().equals("Ready"))
          .singleElement()
          .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"));
      assertThat(ready.message()).contains("2 files").contains(hub.revision(REPO, "main"));
      assertThat(Files.readAllBytes(volume.resolve("model.safetensors"))).isEqualTo(WEIGHTS);
      assertThat(Files.readAllBytes(volume.resolve("config.json"))).isEqualTo(CONFIG);
      assertFieldOwnership();

      List<Duration> gaps = recorder.gapsBetweenDownloaderPatches();
      double seconds = recorder.downloaderPatchSpan().toMillis() / 1000.0;
      System.out.printf(
          "MEASUREMENT status patches by the downloader: %d in %.1f s (%.2f/s), gaps %s%n",
          recorder.downloaderPatches(),
          seconds,
          recorder.downloaderPatches() / Math.max(seconds, 0.001),
          gaps);
      assertThat(recorder.downloaderPatches())
          .as("periodic patches plus the final one")
          .isGreaterThanOrEqualTo(4);
      // Arrival times through a watch: the first patch pays for the downloader's first connection
      // (TLS, discovery) and the last one is the final patch, so only the gaps between are timed.
      assertThat(gaps.subList(1, gaps.size() - 1))
          .as("at most one periodic patch per 2 s")
          .allSatisfy(g -> assertThat(g).isGreaterThan(Duration.ofMillis(1500)));

      Kubectl kubectl = new Kubectl(cluster.kubectl(), cluster.kubeconfig());
      assertThat(
              kubectl
                  .run("wait", "--for=condition=Ready", "ma/llama", "-n", ns, "--timeout=10s")
                  .exitCode())
          .isZero();
      Kubectl.Result table = kubectl.run("get", "ma", "-n", ns);
      System.out.println("MEASUREMENT kubectl get ma:\n" + table.output());
      assertThat(table.output())
          .contains("PHASE", "PROGRESS", "SIZE", "SPEED", "ETA", "AGE")
          .contains("Ready")
          .contains("100%")
          .contains("24.0 MiB");
    }
  }

  @Test
  void anOperatorRestartMidDownloadDoesNotRestartTheDownload() throws Exception {
    slowCdn(Duration.ofSeconds(8));
    Operators first = Operators.start(cluster);
    Job job;
    KubeletStandIn.RunningPod pod;
    try {
      kube.resource(artifact()).create();
      job = awaitJob();
      pod = kubelet.run(job, volume);
      awaitStatus(s -> s.phase() == Phase.Downloading, Duration.ofSeconds(30));
    } finally {
      first.close();
    }
    assertThat(pod.pull().isAlive()).as("the download outlives the operator").isTrue();

    try (Operators second = Operators.start(cluster)) {
      assertThat(pod.exit().get(60, TimeUnit.SECONDS)).as(Files.readString(pod.log())).isZero();
      ModelArtifactStatus ready =
          awaitStatus(s -> s.phase() == Phase.Ready, Duration.ofSeconds(20));
      assertThat(ready.attempts()).isEqualTo(1);
      assertThat(ready.progress().bytesDone()).isEqualTo(TOTAL);
    }
    assertThat(kube.batch().v1().jobs().inNamespace(ns).list().getItems())
        .singleElement()
        .satisfies(j -> assertThat(j.getMetadata().getUid()).isEqualTo(job.getMetadata().getUid()));
    assertThat(kubelet.pullsStarted()).isEqualTo(1);
    assertThat(Files.readAllBytes(volume.resolve("model.safetensors"))).isEqualTo(WEIGHTS);
  }

  private ModelArtifact artifact() {
    return Artifacts.hf(ns, "llama")
        .uri("hf://" + REPO)
        .revision("main")
        .endpoint(hub.endpoint().toString())
        .createdClaim("1Gi", null)
        .build();
  }

  /** Every range stalls once, so the download lasts long enough to be watched. */
  private void slowCdn(Duration stall) {
    hub.cdnFaults().inject(path -> true, 64, new Fault.Stall(64 * 1024, stall));
  }

  private void assertFieldOwnership() {
    List<ManagedFieldsEntry> managed =
        kube.resources(ModelArtifact.class)
            .inNamespace(ns)
            .withName("llama")
            .get()
            .getMetadata()
            .getManagedFields();
    assertThat(statusFieldsOf(managed, "modelprefetch-downloader"))
        .contains("f:progress", "f:resolved")
        .doesNotContain("f:phase");
    assertThat(statusFieldsOf(managed, "modelprefetch-operator"))
        .contains("f:phase", "f:conditions")
        .doesNotContain("f:progress");
  }

  /**
   * The top-level {@code status} fields a manager owns ({@code status.progress.phase} is not {@code
   * status.phase}).
   */
  private static java.util.Set<String> statusFieldsOf(
      List<ManagedFieldsEntry> managed, String manager) {
    return managed.stream()
        .filter(m -> manager.equals(m.getManager()) && "status".equals(m.getSubresource()))
        .map(m -> (java.util.Map<?, ?>) m.getFieldsV1().getAdditionalProperties().get("f:status"))
        .filter(java.util.Objects::nonNull)
        .flatMap(status -> status.keySet().stream().map(String::valueOf))
        .collect(java.util.stream.Collectors.toSet());
  }

  private Job awaitJob() {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> kube.batch().v1().jobs().inNamespace(ns).list().getItems(), l -> !l.isEmpty())
        .getFirst();
  }

  private ModelArtifactStatus awaitStatus(
      java.util.function.Predicate<ModelArtifactStatus> until, Duration atMost) {
    return await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              ModelArtifact ma =
                  kube.resources(ModelArtifact.class).inNamespace(ns).withName("llama").get();
              return ma == null ? null : ma.getStatus();
            },
            s -> s != null && until.test(s));
  }

  /** Records when the downloader's snapshots (progress.updatedAt, bytesDone) change. */
  private static final class StatusRecorder implements Watcher<ModelArtifact> {
    private final List<long[]> patches = new CopyOnWriteArrayList<>();
    private volatile String last;

    @Override
    public void eventReceived(Action action, ModelArtifact ma) {
      if (ma.getStatus() == null || ma.getStatus().progress() == null) {
        return;
      }
      var p = ma.getStatus().progress();
      String key = p.updatedAt() + "/" + p.bytesDone() + "/" + p.filesDone();
      if (!Objects.equals(key, last)) {
        last = key;
        patches.add(new long[] {System.nanoTime()});
      }
    }

    int downloaderPatches() {
      return patches.size();
    }

    Duration downloaderPatchSpan() {
      return patches.size() < 2
          ? Duration.ZERO
          : Duration.ofNanos(patches.getLast()[0] - patches.getFirst()[0]);
    }

    List<Duration> gapsBetweenDownloaderPatches() {
      List<Duration> gaps = new ArrayList<>();
      for (int i = 1; i < patches.size(); i++) {
        gaps.add(Duration.ofNanos(patches.get(i)[0] - patches.get(i - 1)[0]));
      }
      return gaps;
    }

    @Override
    public void onClose(WatcherException cause) {}
  }
}
