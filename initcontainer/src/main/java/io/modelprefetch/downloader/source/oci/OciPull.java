package io.modelprefetch.downloader.source.oci;

import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import io.modelprefetch.downloader.manifest.Completion;
import io.modelprefetch.downloader.manifest.Completion.CompletedFile;
import io.modelprefetch.downloader.manifest.Listing;
import io.modelprefetch.downloader.manifest.SafePath;
import io.modelprefetch.downloader.report.ProgressTracker;
import io.modelprefetch.downloader.transfer.Destination;
import io.modelprefetch.downloader.transfer.Pull;
import io.modelprefetch.downloader.transfer.Resolver;
import io.modelprefetch.downloader.transfer.TransferSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An oci:// pull in two steps. First the layer blobs are pulled like any source (one scheduler over
 * ranges of all blobs, journal and resume, each blob verified by its sha256) into the blob store
 * {@code DIR/.modelprefetch/oci/sha256/<hex>}; then {@link LayerUnpacker} lays the files out in DIR
 * in layer order and the completion manifest (revision: the manifest digest) is written last. Raw
 * blobs stay in the store (they are hard links of the files, no extra space) so a new revision
 * fetches only changed layers; archive blobs are deleted once extracted.
 */
public final class OciPull {
  private static final Logger LOG = LoggerFactory.getLogger(OciPull.class);
  static final String STORE = "oci";
  private final OciSource source;
  private final Destination destination;
  private final TransferSettings settings;
  private final ProgressTracker progress;

  public OciPull(
      OciSource source,
      Destination destination,
      TransferSettings settings,
      ProgressTracker progress) {
    this.source = source;
    this.destination = destination;
    this.settings = settings;
    this.progress = progress;
  }

  public Pull.Result run() throws DownloadException, InterruptedException {
    Listing listing = new Resolver(source, settings).resolve();
    try {
      Completion prior = destination.readCompletion();
      if (upToDate(prior, listing)) {
        progress.start(prior.totalBytes(), prior.files().size());
        progress.alreadyDone(prior.totalBytes(), prior.files().size());
        return new Pull.Result(prior, true, 0, prior.files().size());
      }
      destination.invalidate();
      Path storeRoot = destination.root().resolve(SafePath.STATE_DIR).resolve(STORE);
      destination.ensureDirectory(storeRoot);
      Destination store = Destination.open(storeRoot);
      Pull.Result blobs = new Pull(source, store, settings, progress).run();
      Path staging = destination.root().resolve(SafePath.STATE_DIR).resolve("unpack");
      LayerUnpacker unpacker = new LayerUnpacker(destination, staging, source.filter());
      for (Layer layer : source.layers()) {
        Path blob = store.finalPath("sha256/" + layer.digest().substring("sha256:".length()));
        if (layer.archive() == Layer.Archive.RAW) {
          unpacker.raw(layer, blob);
        } else {
          unpacker.archive(layer, blob);
        }
      }
      List<CompletedFile> files = unpacker.files();
      if (files.isEmpty()) {
        throw new DownloadException(
            Failure.SOURCE,
            listing.source()
                + " ("
                + listing.revision()
                + ") has no files matching include / exclude");
      }
      removeStale(prior, files);
      Completion done =
          new Completion(
              listing.source(),
              listing.revision(),
              Instant.now().toString(),
              files.stream().mapToLong(CompletedFile::size).sum(),
              files);
      destination.complete(done);
      dropArchives(store);
      deleteTree(staging);
      return new Pull.Result(done, false, blobs.filesFetched(), blobs.filesReused());
    } catch (IOException e) {
      throw new DownloadException(
          Failure.DESTINATION, "destination " + destination.root() + ": " + e.getMessage(), e);
    }
  }

  private boolean upToDate(Completion prior, Listing listing) throws IOException {
    // The manifest digest names the content: the same one by tag or by digest is the same pull.
    if (prior == null || !Objects.equals(prior.revision(), listing.revision())) {
      return false;
    }
    for (CompletedFile f : prior.files()) {
      Path p = destination.finalPath(f.path());
      if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.size(p) != f.size()) {
        return false;
      }
    }
    return true;
  }

  /** Deletes the files of the prior completion that this revision no longer has. */
  private void removeStale(Completion prior, List<CompletedFile> now) throws IOException {
    if (prior == null) {
      return;
    }
    Set<String> kept = now.stream().map(CompletedFile::path).collect(Collectors.toSet());
    for (CompletedFile f : prior.files()) {
      if (!kept.contains(f.path()) && SafePath.problem(f.path()) == null) {
        Path p = destination.finalPath(f.path());
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          LOG.info("removing {}: not in {}", f.path(), now.isEmpty() ? "" : "the new revision");
          Files.delete(p);
        }
      }
    }
  }

  /** Archive blobs are extracted now: keeping them would double the space the model needs. */
  private void dropArchives(Destination store) throws IOException {
    for (Layer layer : source.layers()) {
      if (layer.archive() != Layer.Archive.RAW) {
        Files.deleteIfExists(
            store.finalPath("sha256/" + layer.digest().substring("sha256:".length())));
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
