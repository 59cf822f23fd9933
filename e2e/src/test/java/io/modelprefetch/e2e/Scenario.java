package io.modelprefetch.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.ModelArtifactStatus;
import io.modelprefetch.api.v1alpha1.Phase;
import io.modelprefetch.e2e.cluster.Kubectl;
import io.modelprefetch.e2e.cluster.Release;
import io.modelprefetch.fixtures.data.Datasets;
import io.modelprefetch.fixtures.http.Fault;
import io.modelprefetch.fixtures.hub.HubFixture;
import io.modelprefetch.operator.testing.Artifacts;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * One scenario's world on the real cluster: its own namespace and a Hub fixture, on an address the
 * pods reach, serving {@value #REPO} (24 MiB of weights behind the CDN redirect, plus config.json)
 * and {@value #SHARDED} (four 6 MiB shards).
 */
final class Scenario implements AutoCloseable {
  static final String REPO = "demo/tiny-model";
  static final byte[] WEIGHTS = Datasets.bytes(24 << 20, 7);
  static final byte[] CONFIG = "{\"model_type\":\"llama\",\"hidden_size\":64}".getBytes();
  static final long TOTAL = WEIGHTS.length + CONFIG.length;
  static final String SHARDED = "demo/sharded-model";
  static final int SHARD_BYTES = 6 << 20;
  static final int SHARDS = 4;
  final Release release;
  final KubernetesClient kube;
  final String ns;
  final HubFixture hub;

  Scenario(Release release, String prefix, boolean restricted) {
    this.release = release;
    this.kube = release.kube();
    this.ns = release.newNamespace(prefix, restricted);
    String host = release.cluster().podReachableHost();
    this.hub =
        HubFixture.builder()
            .host(host)
            .cdnHost(host)
            .repo(REPO, r -> r.lfsFile("model.safetensors", WEIGHTS).file("config.json", CONFIG))
            .repo(
                SHARDED,
                r -> {
                  for (int i = 1; i <= SHARDS; i++) {
                    r.lfsFile(shard(i), Datasets.bytes(SHARD_BYTES, 100 + i));
                  }
                })
            .start();
  }

  Kubectl kubectl() {
    return release.kubectl();
  }

  /**
   * A ModelArtifact for the fixture's repo on a claim of the default StorageClass, ReadWriteOnce:
   * local-path (like kind and k3s) provisions nothing else, and the default ReadWriteMany claim
   * would stay Pending (README, Storage).
   */
  Artifacts artifact(String name) {
    return Artifacts.hf(ns, name)
        .uri("hf://" + REPO)
        .revision("main")
        .endpoint(hub.endpoint().toString())
        .readWriteOnceClaim();
  }

  static String shard(int i) {
    return "model-%05d-of-%05d.safetensors".formatted(i, SHARDS);
  }

  ModelArtifact create(Artifacts artifact) {
    return kube.resource(artifact.build()).create();
  }

  /**
   * Every range of the CDN stalls 20 s after its first 256 KiB: a download that lasts long enough
   * to be watched and disturbed. On the loaded 2-core node the operator's phase trails the
   * downloader's progress by seconds (seen: Downloading for only 3.5 s of an 8 s stall, and never
   * seen by a 250 ms poll in some runs).
   */
  void slowCdn() {
    hub.cdnFaults()
        .inject(path -> true, 1_000, new Fault.Stall(256 * 1024, Duration.ofSeconds(20)));
  }

  ModelArtifactStatus awaitStatus(
      String name, Predicate<ModelArtifactStatus> until, Duration atMost) {
    return await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              ModelArtifact ma =
                  kube.resources(ModelArtifact.class).inNamespace(ns).withName(name).get();
              return ma == null ? null : ma.getStatus();
            },
            s -> s != null && until.test(s));
  }

  ModelArtifactStatus awaitPhase(String name, Phase phase, Duration atMost) {
    return awaitStatus(name, s -> s.phase() == phase, atMost);
  }

  /** The download Job's pods (running or done), oldest first. */
  List<Pod> downloadPods() {
    return kube
        .pods()
        .inNamespace(ns)
        .withLabel("app.kubernetes.io/component", "downloader")
        .list()
        .getItems()
        .stream()
        .sorted(
            (a, b) ->
                a.getMetadata()
                    .getCreationTimestamp()
                    .compareTo(b.getMetadata().getCreationTimestamp()))
        .toList();
  }

  PersistentVolume volumeOf(String claim) {
    PersistentVolumeClaim pvc = kube.persistentVolumeClaims().inNamespace(ns).withName(claim).get();
    return kube.persistentVolumes().withName(pvc.getSpec().getVolumeName()).get();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  PhaseRecorder recordPhases(String name) {
    PhaseRecorder recorder = new PhaseRecorder();
    recorder.watch =
        kube.resources(ModelArtifact.class).inNamespace(ns).withName(name).watch(recorder);
    return recorder;
  }

  /**
   * The distinct phases an artifact went through, in order, and the progress seen while
   * Downloading.
   */
  static final class PhaseRecorder implements Watcher<ModelArtifact>, AutoCloseable {
    final List<Phase> phases = new CopyOnWriteArrayList<>();
    final List<Long> downloadingBytes = new CopyOnWriteArrayList<>();
    private Watch watch;

    @Override
    public void eventReceived(Action action, ModelArtifact ma) {
      ModelArtifactStatus s = ma.getStatus();
      if (s == null || s.phase() == null) {
        return;
      }
      if (phases.isEmpty() || !Objects.equals(phases.getLast(), s.phase())) {
        phases.add(s.phase());
      }
      if (s.phase() == Phase.Downloading
          && s.progress() != null
          && s.progress().bytesDone() != null) {
        downloadingBytes.add(s.progress().bytesDone());
      }
    }

    @Override
    public void onClose(WatcherException cause) {}

    @Override
    public void close() {
      watch.close();
    }
  }

  @Override
  public void close() throws IOException {
    hub.close();
  }
}
