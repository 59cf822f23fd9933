package io.modelprefetch.downloader.transfer;

import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import io.modelprefetch.downloader.Printable;
import io.modelprefetch.downloader.manifest.Completion;
import io.modelprefetch.downloader.manifest.Completion.CompletedFile;
import io.modelprefetch.downloader.manifest.Listing;
import io.modelprefetch.downloader.manifest.RemoteFile;
import io.modelprefetch.downloader.manifest.SafePath;
import io.modelprefetch.downloader.report.Human;
import io.modelprefetch.downloader.report.ProgressTracker;
import io.modelprefetch.downloader.source.Source;
import io.modelprefetch.downloader.verify.Hashing;
import io.modelprefetch.downloader.verify.VerifiedLog;
import io.modelprefetch.downloader.verify.Verifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One pull: resolve, plan against what the destination already has, download, verify, finalize. */
public final class Pull {
  private static final Logger LOG = LoggerFactory.getLogger(Pull.class);
  private final Source source;
  private final Destination destination;
  private final TransferSettings settings;
  private final ProgressTracker progress;
  private final Supplier<Libc> libc = Libc.linkInBackground();
  private final Preallocator preallocator = new Preallocator(libc);
  private final Finisher finisher;

  public Pull(
      Source source, Destination destination, TransferSettings settings, ProgressTracker progress) {
    this(source, destination, settings, progress, Finisher.NONE);
  }

  public Pull(
      Source source,
      Destination destination,
      TransferSettings settings,
      ProgressTracker progress,
      Finisher finisher) {
    this.source = source;
    this.destination = destination;
    this.settings = settings;
    this.progress = progress;
    this.finisher = finisher;
  }

  /**
   * What an output layout adds once every file is verified and in place, before the completion
   * manifest is written (so a waiter never sees a half-made layout).
   */
  @FunctionalInterface
  public interface Finisher {
    Finisher NONE = (destination, listing, prior) -> {};

    void finish(Destination destination, Listing listing, Completion prior)
        throws IOException, DownloadException;
  }

  /** What a pull did. */
  public record Result(
      Completion completion, boolean upToDate, int filesFetched, int filesReused) {}

  public Result run() throws DownloadException, InterruptedException {
    Listing listing = resolve();
    progress.start(listing.totalBytes(), listing.files().size());
    try {
      Completion prior = destination.readCompletion();
      Plan plan = new Planner(destination).plan(listing, prior);
      if (plan.upToDate(prior)) {
        progress.alreadyDone(listing.totalBytes(), listing.files().size());
        finisher.finish(destination, listing, prior);
        return new Result(prior, true, 0, plan.reused().size());
      }
      // After the listing, not beside it: its compilations would delay the first request.
      Hashing.warmUpInBackground();
      destination.invalidate();
      progress.alreadyDone(plan.bytesReused(), plan.reused().size());
      Map<String, CompletedFile> verified =
          new java.util.concurrent.ConcurrentHashMap<>(plan.reused());
      download(plan, verified);
      removeStale(prior, listing);
      finisher.finish(destination, listing, prior);
      Completion done =
          new Completion(
              listing.source(),
              listing.revision(),
              Instant.now().toString(),
              listing.totalBytes(),
              listing.files().stream().map(f -> verified.get(f.path())).toList());
      destination.complete(done);
      destination.cleanUpStaging();
      return new Result(done, false, plan.fetches().size(), plan.reused().size());
    } catch (IOException e) {
      throw DestinationFailure.of(e);
    }
  }

  /** The source's listing, refused when a name in it is unsafe to create. */
  private Listing resolve() throws DownloadException, InterruptedException {
    Listing listing = new Resolver(source, settings).resolve();
    List<String> problems = SafePath.problems(listing.files());
    if (!problems.isEmpty()) {
      throw new DownloadException(
          Failure.SOURCE,
          "refusing the listing of "
              + listing.source()
              + ": "
              + String.join("; ", problems.subList(0, Math.min(10, problems.size())))
              + (problems.size() > 10 ? " (and " + (problems.size() - 10) + " more)" : ""));
    }
    return listing;
  }

  private void download(Plan plan, Map<String, CompletedFile> verified)
      throws DownloadException, InterruptedException, IOException {
    List<FileTask> tasks = plan.fetches().stream().map(FileTask::new).toList();
    try {
      long needed = plan.bytesToFetch();
      long usable = destination.usableSpace();
      if (needed > usable) {
        throw new DownloadException(
            Failure.DESTINATION,
            "destination "
                + destination.root()
                + " has "
                + Human.bytes(usable)
                + " free but the download needs "
                + Human.bytes(needed)
                + " more: give the volume more space");
      }
      for (FileTask t : tasks) {
        preallocate(t);
        progress.resumed(t.bytesOnDisk());
      }
      try (VerifiedLog log = new VerifiedLog(destination.verifiedLog())) {
        Verifier verifier = new Verifier(destination::moveIntoPlace, progress, verified, log);
        new Scheduler(source, settings, progress).run(tasks, verifier::finish);
        List<String> written = new java.util.ArrayList<>(verifier.fetched());
        written.addAll(plan.recovered());
        makeDurable(written);
      }
    } finally {
      for (FileTask t : tasks) {
        t.close();
      }
    }
  }

  /**
   * Flushes the files this pull or an interrupted one wrote to stable storage before the completion
   * manifest says they are there: one syncfs for the whole file system (one flush, not one per
   * file), else an fsync each.
   */
  private void makeDurable(List<String> paths) throws IOException {
    if (paths.isEmpty() || libc.get().syncfs(destination.root()) == 0) {
      return;
    }
    for (String path : paths) {
      try (var ch =
          java.nio.channels.FileChannel.open(
              destination.finalPath(path), java.nio.file.StandardOpenOption.READ)) {
        ch.force(true);
      }
    }
  }

  private void preallocate(FileTask t) throws DownloadException {
    try {
      preallocator.allocate(t.partial(), t.file().size());
    } catch (IOException e) {
      throw new DownloadException(
          Failure.DESTINATION,
          "cannot reserve "
              + Human.bytes(t.file().size())
              + " for "
              + t.file().path()
              + ": "
              + e.getMessage()
              + " (give the volume more space)",
          e);
    }
  }

  /** Deletes files the prior completion had and this revision no longer has. */
  private void removeStale(Completion prior, Listing listing) throws IOException {
    if (prior == null) {
      return;
    }
    Set<String> now = listing.files().stream().map(RemoteFile::path).collect(Collectors.toSet());
    for (CompletedFile f : prior.files()) {
      if (!now.contains(f.path()) && SafePath.problem(f.path()) == null) {
        Path p = destination.finalPath(f.path());
        if (destination.reachableWithoutSymlinks(f.path())
            && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          LOG.info(
              "removing {}: not in revision {}",
              Printable.escape(f.path()),
              Printable.escape(listing.revision()));
          Files.delete(p);
        }
      }
    }
  }
}
