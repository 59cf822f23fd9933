package io.modelprefetch.downloader.report;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.ModelArtifactStatus;
import io.modelprefetch.api.v1alpha1.Progress;
import io.modelprefetch.api.v1alpha1.Resolved;
import io.modelprefetch.downloader.source.dragonfly.DragonflyRoute;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

/**
 * Reports progress into {@code status.progress} and {@code status.resolved} of a ModelArtifact by
 * server-side apply under its own field manager, so it never touches the operator's phase and
 * conditions. At most one patch per {@code minInterval}, plus a final one that always goes out.
 *
 * <p>The downloader resolves the revision; the commit lands in {@code status.resolved.revision}
 * with the final patch of a successful pull (earlier patches omit it, which also clears the commit
 * of an earlier generation).
 */
public final class StatusPatchSink implements ProgressSink {
  /** The field manager that owns {@code status.progress} and {@code status.resolved}. */
  public static final String FIELD_MANAGER = "modelprefetch-downloader";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** Timer jitter: a tick a few ms early must not skip a whole interval. */
  private static final long JITTER_MILLIS = 100;

  private final String namespace;
  private final String name;
  private final StatusApplier applier;
  private final Duration minInterval;
  private final Clock clock;
  private volatile String revision;
  private volatile Supplier<DragonflyRoute.Split> split = () -> null;
  private long lastPatchMillis = Long.MIN_VALUE;

  /** After the final patch nothing else goes out (a timer tick racing the end must not undo it). */
  private boolean finished;

  public StatusPatchSink(
      String namespace, String name, StatusApplier applier, Duration minInterval, Clock clock) {
    this.namespace = namespace;
    this.name = name;
    this.applier = applier;
    this.minInterval = minInterval;
    this.clock = clock;
  }

  /** Where the bytes came from (peers vs origin), reported when the pull goes through Dragonfly. */
  public void split(Supplier<DragonflyRoute.Split> split) {
    this.split = split;
  }

  /** The commit (or fingerprint) the pull pinned; sent with the final patch. */
  public void revision(String revision) {
    this.revision = revision;
  }

  @Override
  public synchronized void progress(Snapshot s) {
    long now = clock.millis();
    boolean resolved = s.filesTotal() > 0 || s.bytesTotal() > 0;
    if (finished
        || !resolved
        || (lastPatchMillis != Long.MIN_VALUE
            && now - lastPatchMillis < minInterval.toMillis() - JITTER_MILLIS)) {
      return;
    }
    lastPatchMillis = now;
    applier.apply(document(s, null, false));
  }

  @Override
  public synchronized void finished(Snapshot s, String error) {
    finished = true;
    try {
      applier.apply(document(s, error == null ? revision : null, true));
    } catch (RuntimeException e) {
      // The exit code and termination message still tell the operator how the pull ended.
      System.err.println(
          "cannot patch the status of ModelArtifact "
              + namespace
              + "/"
              + name
              + ": "
              + e.getMessage());
    }
  }

  /**
   * The apply document: the {@code crds} status records, serialised; only {@code progress} and
   * {@code resolved} are set. A final snapshot carries the average speed of the attempt and no ETA;
   * a pull through Dragonfly adds the bytes it got from peers and from the origin.
   */
  String document(Snapshot s, String finalRevision, boolean last) {
    Resolved resolved =
        new Resolved(finalRevision, s.filesTotal(), s.bytesTotal(), Human.bytes(s.bytesTotal()));
    boolean eta = !last && s.etaSeconds() >= 0;
    DragonflyRoute.Split from = split.get();
    boolean peers = from != null && from.fromPeers() != null;
    Progress progress =
        new Progress(
            s.phase(),
            s.bytesDone(),
            s.bytesTotal(),
            s.filesDone(),
            s.filesTotal(),
            s.bytesPerSecond(),
            eta ? s.etaSeconds() : null,
            s.percent(),
            Human.rate(s.bytesPerSecond()),
            eta ? Human.duration(s.etaSeconds()) : null,
            clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(),
            peers ? from.fromPeers() : null,
            peers ? from.fromOrigin() : null);
    ModelArtifact artifact = new ModelArtifact();
    artifact.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    artifact.setStatus(
        new ModelArtifactStatus(
            null, null, null, resolved, progress, null, null, null, null, null));
    return SERIALIZATION.asJson(artifact);
  }
}
