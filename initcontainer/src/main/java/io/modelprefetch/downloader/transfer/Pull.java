package io.modelprefetch.downloader.transfer;

import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import io.modelprefetch.downloader.Printable;
import io.modelprefetch.downloader.manifest.Completion;
import io.modelprefetch.downloader.manifest.Completion.CompletedFile;
import io.modelprefetch.downloader.manifest.Digest;
import io.modelprefetch.downloader.manifest.Manifest;
import io.modelprefetch.downloader.manifest.RemoteFile;
import io.modelprefetch.downloader.manifest.SafePath;
import io.modelprefetch.downloader.report.Human;
import io.modelprefetch.downloader.report.ProgressTracker;
import io.modelprefetch.downloader.source.Source;
import io.modelprefetch.downloader.verify.Hashing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pull: resolve, plan against what the destination already has, download, verify, finalize.
 */
public final class Pull {
  private static final Logger LOG = LoggerFactory.getLogger(Pull.class);
  private final Source source;
  private final Destination destination;
  private final TransferSettings settings;
  private final ProgressTracker progress;
  private final Libc libc = new Libc();
  private final Preallocator preallocator = new Preallocator(libc);
  private final Finisher finisher;

  public Pull(Source source, Destination destination, TransferSettings settings, ProgressTracker progress) {
    this(source, destination, settings, progress, Finisher.NONE);
  }

  public Pull(Source source, Destination destination, TransferSettings settings, ProgressTracker progress,
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
    Finisher NONE = (destination, manifest, prior) -> {};

    void finish(Destination destination, Manifest manifest, Completion prior) throws IOException, DownloadException;
  }

  /** What a pull did. */
  public record Result(Completion completion, boolean upToDate, int filesFetched, int filesReused) {}

  public Result run() throws DownloadException, InterruptedException {
    Manifest manifest = new Resolver(source, settings).resolve();
    List<String> problems = SafePath.problems(manifest.files());
    if (!problems.isEmpty()) {
      throw new DownloadException(Failure.SOURCE, "refusing the listing of " + manifest.source() + ": "
          + String.join("; ", problems.subList(0, Math.min(10, problems.size())))
          + (problems.size() > 10 ? " (and " + (problems.size() - 10) + " more)" : ""));
    }
    progress.start(manifest.totalBytes(), manifest.files().size());
    try {
      Completion prior = destination.readCompletion();
      Map<String, CompletedFile> kept = reusable(prior, manifest);
      if (prior != null && kept.size() == manifest.files().size()
          && Objects.equals(prior.revision(), manifest.revision())) {
        progress.alreadyDone(manifest.totalBytes(), manifest.files().size());
        finisher.finish(destination, manifest, prior);
        return new Result(prior, true, 0, kept.size());
      }
      destination.invalidate();
      List<RemoteFile> toFetch = manifest.files().stream().filter(f -> !kept.containsKey(f.path())).toList();
      progress.alreadyDone(kept.values().stream().mapToLong(CompletedFile::size).sum(), kept.size());
      Map<String, CompletedFile> verified = new java.util.concurrent.ConcurrentHashMap<>(kept);
      download(toFetch, verified);
      removeStale(prior, manifest);
      finisher.finish(destination, manifest, prior);
      Completion done = new Completion(manifest.source(), manifest.revision(), Instant.now().toString(),
          manifest.totalBytes(), manifest.files().stream().map(f -> verified.get(f.path())).toList());
      destination.complete(done);
      destination.cleanUpStaging();
      return new Result(done, false, toFetch.size(), kept.size());
    } catch (IOException e) {
      throw DestinationFailure.of(e);
    }
  }

  /**
   * Files already in place with the same content: from the prior completion manifest, or verified
   * by an interrupted pull (its verified log says so).
   */
  private Map<String, CompletedFile> reusable(Completion prior, Manifest manifest) throws IOException {
    Map<String, CompletedFile> out = new HashMap<>();
    Map<String, String[]> interrupted = VerifiedLog.read(destination.verifiedLog());
    Map<String, CompletedFile> before = prior == null ? Map.of() : prior.files().stream()
        .collect(Collectors.toMap(CompletedFile::path, f -> f, (a, b) -> a));
    for (RemoteFile f : manifest.files()) {
      CompletedFile c = before.get(f.path());
      String[] logged = interrupted.get(f.path());
      if (c != null && c.size() == f.size() && Objects.equals(c.version(), f.version()) && inPlace(f)) {
        out.put(f.path(), c);
      } else if (logged != null && logged[0].equals(FileTask.identity(f)) && inPlaceAfterLog(f, logged[1])) {
        String digest = logged[1];
        List<Digest> digests = digest.isEmpty() ? f.digests() : List.of(Digest.parse(digest));
        out.put(f.path(), new CompletedFile(f.path(), f.size(), digests, f.version()));
      }
    }
    return out;
  }

  /** Whether a regular file of {@code f}'s size is at its final path (reached without symlinks). */
  private boolean inPlace(RemoteFile f) throws IOException {
    Path p = destination.finalPath(f.path());
    return destination.reachableWithoutSymlinks(f.path()) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
        && Files.size(p) == f.size();
  }

  /**
   * Whether a file the verified log names is in place. A pull killed between logging a file and
   * renaming it left the verified partial: when it still holds the logged digest's bytes, it is
   * renamed now; a partial with other bytes (a later pull's, for other content) is not trusted.
   */
  private boolean inPlaceAfterLog(RemoteFile f, String digest) throws IOException {
    Path partial = destination.partial(f.path());
    if (!Files.exists(partial, LinkOption.NOFOLLOW_LINKS)) {
      return inPlace(f);
    }
    String relative = destination.root().relativize(partial).toString();
    if (digest.isEmpty() || !destination.reachableWithoutSymlinks(relative)
        || !Files.isRegularFile(partial, LinkOption.NOFOLLOW_LINKS) || Files.size(partial) != f.size()
        || !Hashing.matches(partial, Digest.parse(digest))) {
      return false;
    }
    destination.moveIntoPlace(f.path());
    LOG.info("{}: verified by the interrupted pull, renamed into place now", Printable.escape(f.path()));
    return true;
  }

  private void download(List<RemoteFile> files, Map<String, CompletedFile> verified)
      throws DownloadException, InterruptedException, IOException {
    List<FileTask> tasks = new ArrayList<>();
    try {
      for (RemoteFile f : files) {
        tasks.add(new FileTask(f, destination.createPartial(f.path()), destination.journal(f.path())));
      }
      long needed = tasks.stream().mapToLong(t -> t.file().size() - t.bytesOnDisk()).sum();
      long usable = destination.usableSpace();
      if (needed > usable) {
        throw new DownloadException(Failure.DESTINATION, "destination " + destination.root() + " has "
            + Human.bytes(usable) + " free but the download needs " + Human.bytes(needed)
            + " more: give the volume more space");
      }
      for (FileTask t : tasks) {
        preallocate(t);
        progress.resumed(t.bytesOnDisk());
      }
      try (VerifiedLog log = new VerifiedLog(destination.verifiedLog())) {
        Verifier verifier = new Verifier(destination, progress, verified, log);
        new Scheduler(source, settings, progress).run(tasks, verifier::finish);
        makeDurable(verifier.fetched());
      }
    } finally {
      for (FileTask t : tasks) {
        t.close();
      }
    }
  }

  /**
   * Flushes the fetched files to stable storage before the completion manifest says they are
   * there: one syncfs for the whole file system (one flush, not one per file), else an fsync each.
   */
  private void makeDurable(List<String> paths) throws IOException {
    if (paths.isEmpty() || libc.syncfs(destination.root()) == 0) {
      return;
    }
    for (String path : paths) {
      try (var ch = java.nio.channels.FileChannel.open(destination.finalPath(path), java.nio.file.StandardOpenOption.READ)) {
        ch.force(true);
      }
    }
  }

  private void preallocate(FileTask t) throws DownloadException {
    try {
      preallocator.allocate(t.partial(), t.file().size());
    } catch (IOException e) {
      throw new DownloadException(Failure.DESTINATION, "cannot reserve " + Human.bytes(t.file().size())
          + " for " + t.file().path() + ": " + e.getMessage() + " (give the volume more space)", e);
    }
  }

  /** Deletes files the prior completion had and this revision no longer has. */
  private void removeStale(Completion prior, Manifest manifest) throws IOException {
    if (prior == null) {
      return;
    }
    Set<String> now = manifest.files().stream().map(RemoteFile::path).collect(Collectors.toSet());
    for (CompletedFile f : prior.files()) {
      if (!now.contains(f.path()) && SafePath.problem(f.path()) == null) {
        Path p = destination.finalPath(f.path());
        if (destination.reachableWithoutSymlinks(f.path()) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          LOG.info("removing {}: not in revision {}", Printable.escape(f.path()), Printable.escape(manifest.revision()));
          Files.delete(p);
        }
      }
    }
  }
}
