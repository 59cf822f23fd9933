package io.modelprefetch.downloader.transfer;

import io.modelprefetch.downloader.Printable;
import io.modelprefetch.downloader.manifest.Completion;
import io.modelprefetch.downloader.manifest.Completion.CompletedFile;
import io.modelprefetch.downloader.manifest.Digest;
import io.modelprefetch.downloader.manifest.Listing;
import io.modelprefetch.downloader.manifest.RemoteFile;
import io.modelprefetch.downloader.verify.Hashing;
import io.modelprefetch.downloader.verify.VerifiedLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the {@link Plan} of a pull: which files are reused (named by the prior completion manifest
 * or by the verified log of an interrupted pull, and in place), and what is missing of the others
 * (their resume journals).
 */
final class Planner {
  private static final Logger LOG = LoggerFactory.getLogger(Planner.class);
  private final Destination destination;

  Planner(Destination destination) {
    this.destination = destination;
  }

  Plan plan(Listing listing, Completion prior) throws IOException {
    Set<String> recovered = new HashSet<>();
    Map<String, CompletedFile> reused = reusable(prior, listing, recovered);
    List<Plan.Fetch> fetches = new ArrayList<>();
    for (RemoteFile f : listing.files()) {
      if (!reused.containsKey(f.path())) {
        fetches.add(fetch(f));
      }
    }
    return new Plan(listing, reused, recovered, fetches);
  }

  /**
   * A file to fetch, resuming what its journal says is written; a journal that claims more than the
   * partial file holds is dropped (the partial was lost).
   */
  private Plan.Fetch fetch(RemoteFile f) throws IOException {
    Path partial = destination.createPartial(f.path());
    Path journalPath = destination.journal(f.path());
    Journal journal = Journal.open(journalPath, f.identity());
    if (Files.size(partial) < journal.covered()) {
      Files.deleteIfExists(journalPath);
      journal = Journal.open(journalPath, f.identity());
    }
    return new Plan.Fetch(f, partial, journalPath, journal);
  }

  /**
   * Files already in place with the same content: from the prior completion manifest, or verified
   * by an interrupted pull (its verified log says so; those paths are added to {@code recovered}).
   */
  private Map<String, CompletedFile> reusable(
      Completion prior, Listing listing, Set<String> recovered) throws IOException {
    Map<String, CompletedFile> out = new HashMap<>();
    Map<String, String[]> interrupted = VerifiedLog.read(destination.verifiedLog());
    Map<String, CompletedFile> before =
        prior == null
            ? Map.of()
            : prior.files().stream()
                .collect(Collectors.toMap(CompletedFile::path, f -> f, (a, b) -> a));
    for (RemoteFile f : listing.files()) {
      CompletedFile c = before.get(f.path());
      String[] logged = interrupted.get(f.path());
      if (c != null
          && c.size() == f.size()
          && Objects.equals(c.version(), f.version())
          && inPlace(f)) {
        out.put(f.path(), c);
      } else if (logged != null
          && logged[0].equals(f.identity())
          && inPlaceAfterLog(f, logged[1])) {
        String digest = logged[1];
        List<Digest> digests = digest.isEmpty() ? f.digests() : List.of(Digest.parse(digest));
        out.put(f.path(), new CompletedFile(f.path(), f.size(), digests, f.version()));
        recovered.add(f.path());
      }
    }
    return out;
  }

  /** Whether a regular file of {@code f}'s size is at its final path (reached without symlinks). */
  private boolean inPlace(RemoteFile f) throws IOException {
    Path p = destination.finalPath(f.path());
    return destination.reachableWithoutSymlinks(f.path())
        && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
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
    if (digest.isEmpty()
        || !destination.reachableWithoutSymlinks(relative)
        || !Files.isRegularFile(partial, LinkOption.NOFOLLOW_LINKS)
        || Files.size(partial) != f.size()
        || !Hashing.matches(partial, Digest.parse(digest))) {
      return false;
    }
    destination.moveIntoPlace(f.path());
    LOG.info(
        "{}: verified by the interrupted pull, renamed into place now", Printable.escape(f.path()));
    return true;
  }
}
