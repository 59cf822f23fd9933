package io.modelprefetch.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.modelprefetch.api.v1alpha1.Consumers;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.ModelArtifactStatus;
import io.modelprefetch.api.v1alpha1.Phase;
import io.modelprefetch.api.v1alpha1.Progress;
import io.modelprefetch.api.v1alpha1.Resolved;
import io.modelprefetch.operator.dependent.StorageVerdict;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that turns observations into the operator-owned part of the status: phase,
 * conditions (Ready, StorageReady, Downloading, Verified), start/completion times, attempts, a
 * message and the consuming pods. {@code progress} and {@code resolved} belong to the downloader
 * and are left out (null), so the operator's server-side apply never claims them.
 */
public final class ModelArtifactStatusAggregator {
  public static final String READY = "Ready";
  public static final String STORAGE_READY = "StorageReady";
  public static final String DOWNLOADING = "Downloading";
  public static final String VERIFIED = "Verified";

  /** Present only while reconciling fails. */
  public static final String RECONCILED = "Reconciled";

  private static final int MAX_ERROR = 500;
  private final Clock clock;

  public ModelArtifactStatusAggregator(Clock clock) {
    this.clock = clock;
  }

  public ModelArtifactStatus aggregate(
      ModelArtifact ma, StorageVerdict storage, DownloadState download, Consumers consumers) {
    long generation = ma.getMetadata().getGeneration();
    ModelArtifactStatus previous = ma.getStatus();
    Verdict v = verdict(ma, storage, download);
    ConditionSet conditions =
        new ConditionSet(
            previous == null ? null : previous.conditions(),
            generation,
            clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    conditions.set(READY, v.phase() == Phase.Ready, v.reason(), v.message());
    conditions.set(
        STORAGE_READY, storageReady(storage), storageReason(storage), storageMessage(storage));
    boolean active =
        v.phase() == Phase.Resolving
            || v.phase() == Phase.Downloading
            || v.phase() == Phase.Verifying;
    conditions.set(DOWNLOADING, active, active ? v.phase().name() : v.reason(), v.message());
    conditions.set(
        VERIFIED,
        v.phase() == Phase.Ready,
        v.phase() == Phase.Ready ? "DigestsMatch" : "NotVerified",
        v.phase() == Phase.Ready
            ? "every file matched its digest before it was moved into place"
            : "no verified download for this generation yet");
    return new ModelArtifactStatus(
        v.phase(),
        conditions.build(),
        generation,
        null,
        null,
        startedAt(download),
        download instanceof DownloadState.Succeeded s ? s.completedAt() : null,
        attempts(download),
        v.message(),
        consumers);
  }

  /**
   * The status after a reconcile failed (JOSDK retries it): what was last reported, plus a {@code
   * Reconciled=False} condition and a message with the error's text (one line, bounded; never a
   * stack trace). The next successful reconcile replaces both.
   */
  public ModelArtifactStatus reconcileError(ModelArtifact ma, Exception error) {
    ModelArtifactStatus previous = owned(ma.getStatus());
    long generation = ma.getMetadata().getGeneration();
    String text =
        oneLine(error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage());
    String message = "reconciling failed, retrying: " + text;
    List<Condition> kept =
        previous == null || previous.conditions() == null
            ? List.of()
            : previous.conditions().stream().filter(c -> !RECONCILED.equals(c.getType())).toList();
    ConditionSet conditions =
        new ConditionSet(
            previous == null ? null : previous.conditions(),
            generation,
            clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    conditions.set(RECONCILED, false, "ReconcileError", message);
    List<Condition> all = new ArrayList<>(kept);
    all.addAll(conditions.build());
    return new ModelArtifactStatus(
        previous == null || previous.phase() == null ? Phase.Pending : previous.phase(),
        all,
        previous == null ? generation : previous.observedGeneration(),
        null,
        null,
        previous == null ? null : previous.startedAt(),
        previous == null ? null : previous.completedAt(),
        previous == null ? null : previous.attempts(),
        message,
        previous == null ? null : previous.consumers());
  }

  private static String oneLine(String text) {
    String flat = text.replaceAll("\\p{Cntrl}+", " ").strip();
    return flat.length() > MAX_ERROR ? flat.substring(0, MAX_ERROR) + "…" : flat;
  }

  /** The operator-owned fields of a status, to decide whether a patch is needed. */
  public static ModelArtifactStatus owned(ModelArtifactStatus s) {
    if (s == null) {
      return null;
    }
    return new ModelArtifactStatus(
        s.phase(),
        s.conditions(),
        s.observedGeneration(),
        null,
        null,
        s.startedAt(),
        s.completedAt(),
        s.attempts(),
        s.message(),
        s.consumers());
  }

  private record Verdict(Phase phase, String reason, String message) {}

  private Verdict verdict(ModelArtifact ma, StorageVerdict storage, DownloadState download) {
    return switch (storage) {
      case StorageVerdict.PerPod p ->
          new Verdict(
              Phase.Pending,
              "PerPodDownload",
              "storage.emptyDir: each consuming pod downloads the files itself; there is no shared"
                  + " download");
      case StorageVerdict.Missing m ->
          new Verdict(
              Phase.Pending, "ClaimMissing", "waiting for PersistentVolumeClaim " + m.claim());
      case StorageVerdict.TooSmall t ->
          new Verdict(Phase.Failed, "InsufficientCapacity", storageMessage(t));
      case StorageVerdict.Usable u -> fromDownload(ma, download);
    };
  }

  private Verdict fromDownload(ModelArtifact ma, DownloadState download) {
    Progress progress = currentProgress(ma, download);
    return switch (download) {
      case DownloadState.NotStarted n ->
          new Verdict(
              Phase.Pending,
              "DownloadPending",
              n.jobCreated()
                  ? "download Job created, waiting for its pod"
                  : "creating the download Job");
      case DownloadState.Running r -> running(ma, progress);
      case DownloadState.Succeeded s -> new Verdict(Phase.Ready, "Downloaded", readyMessage(ma));
      case DownloadState.Failed f -> new Verdict(Phase.Failed, f.reason(), f.message());
    };
  }

  /**
   * The phase the downloader reported; before its first report of this attempt it is resolving (it
   * reports once the listing is known). A report without a phase counts as downloading.
   */
  private static Verdict running(ModelArtifact ma, Progress progress) {
    Phase reported =
        progress == null
            ? Phase.Resolving
            : progress.phase() == null ? Phase.Downloading : progress.phase();
    return switch (reported) {
      case Resolving ->
          new Verdict(
              Phase.Resolving,
              "Resolving",
              "resolving " + ma.getSpec().source().uri() + revisionSuffix(ma));
      case Verifying ->
          new Verdict(
              Phase.Verifying, "Verifying", "verifying " + progress.filesTotal() + " files");
      default ->
          new Verdict(
              Phase.Downloading,
              "Downloading",
              "downloading "
                  + progress.filesTotal()
                  + " files ("
                  + progress.percent()
                  + " of "
                  + sizeOf(ma)
                  + ")");
    };
  }

  /**
   * Progress patched by this generation's downloader; older snapshots (an earlier Job) do not
   * count.
   */
  private static Progress currentProgress(ModelArtifact ma, DownloadState download) {
    Progress p = ma.getStatus() == null ? null : ma.getStatus().progress();
    String started = startedAt(download);
    if (p == null || p.updatedAt() == null || p.bytesTotal() == null) {
      return null;
    }
    if (started != null && Instant.parse(p.updatedAt()).isBefore(Instant.parse(started))) {
      return null;
    }
    return p;
  }

  private static String readyMessage(ModelArtifact ma) {
    Resolved r = ma.getStatus() == null ? null : ma.getStatus().resolved();
    if (r == null || r.files() == null) {
      return "downloaded and verified";
    }
    return r.files()
        + " files, "
        + r.size()
        + (r.revision() == null ? "" : " at revision " + r.revision())
        + ", verified";
  }

  private static String sizeOf(ModelArtifact ma) {
    Resolved r = ma.getStatus() == null ? null : ma.getStatus().resolved();
    return r == null || r.size() == null ? "unknown size" : r.size();
  }

  private static String revisionSuffix(ModelArtifact ma) {
    String rev = ma.getSpec().source().revision();
    return rev == null || !ma.getSpec().source().uri().startsWith("hf://") ? "" : " at " + rev;
  }

  private static boolean storageReady(StorageVerdict s) {
    return s instanceof StorageVerdict.Usable u ? u.bound() : s instanceof StorageVerdict.PerPod;
  }

  private static String storageReason(StorageVerdict s) {
    return switch (s) {
      case StorageVerdict.Usable u -> u.bound() ? "ClaimReady" : "ClaimPending";
      case StorageVerdict.PerPod p -> "EmptyDir";
      case StorageVerdict.Missing m -> "ClaimMissing";
      case StorageVerdict.TooSmall t -> "InsufficientCapacity";
    };
  }

  private static String storageMessage(StorageVerdict s) {
    return switch (s) {
      case StorageVerdict.Usable u when !u.bound() ->
          "PersistentVolumeClaim "
              + u.claim()
              + " is not bound to a volume yet (with a WaitForFirstConsumer StorageClass it binds"
              + " when the download pod is scheduled)";
      case StorageVerdict.Usable u ->
          "PersistentVolumeClaim "
              + u.claim()
              + (u.capacityBytes() == null ? "" : " (" + Bytes.human(u.capacityBytes()) + ")");
      case StorageVerdict.PerPod p -> "an emptyDir in each consuming pod";
      case StorageVerdict.Missing m -> "PersistentVolumeClaim " + m.claim() + " does not exist";
      case StorageVerdict.TooSmall t ->
          "PersistentVolumeClaim "
              + t.claim()
              + " holds "
              + Bytes.human(t.capacityBytes())
              + " but the files need "
              + Bytes.human(t.neededBytes())
              + ": give the artifact a bigger claim";
    };
  }

  private static String startedAt(DownloadState d) {
    return switch (d) {
      case DownloadState.Running r -> r.startedAt();
      case DownloadState.Succeeded s -> s.startedAt();
      case DownloadState.Failed f -> f.startedAt();
      case DownloadState.NotStarted n -> null;
    };
  }

  private static Integer attempts(DownloadState d) {
    return switch (d) {
      case DownloadState.Running r -> r.attempts();
      case DownloadState.Succeeded s -> s.attempts();
      case DownloadState.Failed f -> f.attempts();
      case DownloadState.NotStarted n -> null;
    };
  }
}
