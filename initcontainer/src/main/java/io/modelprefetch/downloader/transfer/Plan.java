package io.modelprefetch.downloader.transfer;

import io.modelprefetch.downloader.manifest.Completion;
import io.modelprefetch.downloader.manifest.Completion.CompletedFile;
import io.modelprefetch.downloader.manifest.Listing;
import io.modelprefetch.downloader.manifest.RemoteFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a pull does, decided against what the destination already holds before any byte is requested
 * ({@link Planner}): the files reused as they are, and for every other file the ranges still
 * missing.
 *
 * @param listing what the source holds
 * @param reused files already in place with this content, by path
 * @param recovered the paths among {@code reused} that an interrupted pull verified (its verified
 *     log names them): that process may have died before flushing them to stable storage
 * @param fetches the other files, in listing order
 */
record Plan(
    Listing listing,
    Map<String, CompletedFile> reused,
    Set<String> recovered,
    List<Fetch> fetches) {

  Plan {
    reused = Map.copyOf(reused);
    recovered = Set.copyOf(recovered);
    fetches = List.copyOf(fetches);
  }

  /**
   * One file to fetch.
   *
   * @param partial where its bytes are staged until verified
   * @param journal what of it is already on disk (an interrupted pull's ranges), and where more is
   *     recorded
   */
  record Fetch(RemoteFile file, Path partial, Path journalPath, Journal journal) {
    /** The byte ranges {@code [start, end)} still to request. */
    List<long[]> missing() {
      return journal.gaps(file.size());
    }

    long bytesOnDisk() {
      return journal.covered();
    }
  }

  /** Whether the destination already holds this listing's revision in full: nothing to do. */
  boolean upToDate(Completion prior) {
    return prior != null
        && fetches.isEmpty()
        && Objects.equals(prior.revision(), listing.revision());
  }

  long bytesReused() {
    return reused.values().stream().mapToLong(CompletedFile::size).sum();
  }

  /** Bytes to request: what the fetched files miss. */
  long bytesToFetch() {
    return fetches.stream().mapToLong(f -> f.file().size() - f.bytesOnDisk()).sum();
  }
}
