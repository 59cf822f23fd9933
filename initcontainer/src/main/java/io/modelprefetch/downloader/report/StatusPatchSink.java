package io.modelprefetch.downloader.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelprefetch.downloader.source.dragonfly.DragonflyRoute;
import java.util.function.Supplier;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

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
  private static final ObjectMapper JSON = new ObjectMapper();
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

  public StatusPatchSink(String namespace, String name, StatusApplier applier, Duration minInterval, Clock clock) {
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
    if (!resolved || (lastPatchMillis != Long.MIN_VALUE && now - lastPatchMillis < minInterval.toMillis() - JITTER_MILLIS)) {
      return;
    }
    lastPatchMillis = now;
    applier.apply(document(s, null));
  }

  @Override
  public synchronized void finished(Snapshot s, String error) {
    try {
      applier.apply(document(s, error == null ? revision : null));
    } catch (RuntimeException e) {
      // The exit code and termination message still tell the operator how the pull ended.
      System.err.println("cannot patch the status of ModelArtifact " + namespace + "/" + name + ": " + e.getMessage());
    }
  }

  String document(Snapshot s, String finalRevision) {
    ObjectNode root = JSON.createObjectNode();
    root.put("apiVersion", ModelArtifact.GROUP + "/" + ModelArtifact.VERSION);
    root.put("kind", "ModelArtifact");
    root.putObject("metadata").put("name", name).put("namespace", namespace);
    ObjectNode status = root.putObject("status");
    ObjectNode resolved = status.putObject("resolved");
    if (finalRevision != null) {
      resolved.put("revision", finalRevision);
    }
    resolved.put("files", s.filesTotal());
    resolved.put("totalBytes", s.bytesTotal());
    resolved.put("size", Human.bytes(s.bytesTotal()));
    ObjectNode progress = status.putObject("progress");
    progress.put("bytesDone", s.bytesDone());
    progress.put("bytesTotal", s.bytesTotal());
    progress.put("filesDone", s.filesDone());
    progress.put("filesTotal", s.filesTotal());
    progress.put("bytesPerSecond", s.bytesPerSecond());
    progress.put("percent", s.percent());
    progress.put("speed", Human.rate(s.bytesPerSecond()));
    if (s.etaSeconds() >= 0) {
      progress.put("etaSeconds", s.etaSeconds());
      progress.put("eta", Human.duration(s.etaSeconds()));
    }
    DragonflyRoute.Split from = split.get();
    if (from != null && from.fromPeers() != null) {
      progress.put("bytesFromPeers", from.fromPeers());
      progress.put("bytesFromOrigin", from.fromOrigin());
    }
    progress.put("updatedAt", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    return root.toString();
  }
}
