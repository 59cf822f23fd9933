package io.modelprefetch.downloader.verify;

import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import io.modelprefetch.downloader.Printable;
import io.modelprefetch.downloader.manifest.Completion.CompletedFile;
import io.modelprefetch.downloader.manifest.Digest;
import io.modelprefetch.downloader.manifest.RemoteFile;
import io.modelprefetch.downloader.report.ProgressTracker;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a completed partial file ({@link Verification}: size, then the strongest digest, recording
 * the sha256; the digests were mostly computed while the bytes arrived), then logs it as verified
 * ({@link VerifiedLog}) and renames it into place. A mismatch discards the file and asks for one
 * re-fetch; a second mismatch fails.
 */
public final class Verifier {
  private static final Logger LOG = LoggerFactory.getLogger(Verifier.class);
  private final Rename rename;
  private final ProgressTracker progress;
  private final Map<String, CompletedFile> verified;
  private final java.util.Queue<String> fetched =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  private final VerifiedLog log;

  /** Moves a verified partial file to its final path (atomically, replacing an older version). */
  @FunctionalInterface
  public interface Rename {
    void moveIntoPlace(String path) throws IOException;
  }

  /**
   * @param verified where every file verified here is added, by path
   */
  public Verifier(
      Rename rename,
      ProgressTracker progress,
      Map<String, CompletedFile> verified,
      VerifiedLog log) {
    this.log = log;
    this.rename = rename;
    this.progress = progress;
    this.verified = verified;
  }

  /** Paths this pull verified and moved into place (to be made durable before completion). */
  public List<String> fetched() {
    return List.copyOf(fetched);
  }

  /** Checks {@code task}; true when it is in place, false when it must be fetched again. */
  public boolean finish(Candidate task) throws DownloadException, IOException {
    RemoteFile file = task.file();
    task.close();
    Verification check =
        Verification.check(task.partial(), file.size(), file.digests(), task::digests);
    if (!check.passed()) {
      String problem = check.problem();
      if (task.refetched()) {
        task.restart(); // the next pull must fetch these bytes again, not resume them as complete
        throw new DownloadException(
            Failure.VERIFY,
            file.path()
                + " failed verification twice: "
                + problem
                + " (the source serves corrupt bytes, or the listing's digest is wrong)");
      }
      LOG.warn(
          "{} failed verification ({}); fetching it again", Printable.escape(file.path()), problem);
      progress.transferred(-file.size());
      task.markRefetched();
      task.restart();
      return false;
    }
    List<Digest> recorded = check.recorded();
    if (file.digests().isEmpty()) {
      LOG.warn(
          "{}: the source gives no digest; checked its size, recording its sha256 for later verify",
          Printable.escape(file.path()));
    }
    // Logged before the rename: a kill between the two leaves a logged, verified partial that the
    // next pull checks and renames (a rename first would leave a file in place that nothing names).
    log.add(file.identity(), recorded.getFirst().toString(), file.path());
    rename.moveIntoPlace(file.path());
    task.discardJournal();
    fetched.add(file.path());
    verified.put(
        file.path(),
        new CompletedFile(file.path(), file.size(), recorded, file.version(), check.method()));
    progress.fileDone();
    return true;
  }
}
