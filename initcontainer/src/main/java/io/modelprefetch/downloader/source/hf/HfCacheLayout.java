package io.modelprefetch.downloader.source.hf;

import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import io.modelprefetch.downloader.manifest.Completion;
import io.modelprefetch.downloader.manifest.Listing;
import io.modelprefetch.downloader.manifest.RemoteFile;
import io.modelprefetch.downloader.manifest.SafePath;
import io.modelprefetch.downloader.source.Body;
import io.modelprefetch.downloader.source.Retry;
import io.modelprefetch.downloader.source.Source;
import io.modelprefetch.downloader.transfer.Destination;
import io.modelprefetch.downloader.transfer.Pull;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --layout hf-cache}: the destination becomes an {@code HF_HOME} whose {@code hub/} holds
 * the repository exactly as huggingface_hub caches it, so engines given the repo id load it with
 * {@code HF_HUB_OFFLINE=1}:
 *
 * <pre>
 * hub/models--org--name/blobs/&lt;etag&gt;                  the verified content (LFS sha256, else git sha1)
 * hub/models--org--name/snapshots/&lt;commit&gt;/&lt;path&gt;     relative symlink to ../../blobs/&lt;etag&gt;
 * hub/models--org--name/refs/&lt;revision&gt;               the commit (for a branch or tag, not a commit)
 * </pre>
 *
 * The blobs are what the pull fetches (files with the same content share one blob), with the same
 * ranges, journal, resume and verification as any pull; the snapshot links and the ref are written
 * by {@link #finish} before the completion manifest. Those links are our own, pointing only into
 * {@code blobs/}; the remote paths they are named by pass {@link SafePath} and their directories
 * are created without following any symlink.
 */
public final class HfCacheLayout implements Source, Pull.Finisher {
  public static final String NAME = "hf-cache";
  private final Source files;
  private final HfRepo repo;
  private final String revision;
  private List<RemoteFile> listing;
  private Listing blobs;

  /**
   * @param files the repository's files as listed by {@link HfSource}
   * @param revision the revision asked for (a branch, tag or commit; null: main)
   */
  public HfCacheLayout(String uri, String revision, Source files) throws DownloadException {
    this.repo = HfRepo.parse(uri);
    this.revision = revision == null ? "main" : revision;
    this.files = files;
    if (SafePath.problem(this.revision) != null) {
      throw new DownloadException(
          Failure.USAGE, "revision '" + this.revision + "' cannot name a file under refs/");
    }
  }

  /** {@code hub/models--org--name} (datasets--…, spaces--… for those types). */
  String folder() {
    return folderOf(repo);
  }

  private static String folderOf(HfRepo repo) {
    return "hub/" + repo.type() + "--" + repo.id().replace("/", "--");
  }

  @Override
  public synchronized Listing resolve(Retry retry)
      throws DownloadException, IOException, InterruptedException {
    Listing m = files.resolve(retry);
    List<String> problems = SafePath.problems(m.files());
    if (!problems.isEmpty()) {
      throw new DownloadException(
          Failure.SOURCE,
          "refusing the listing of "
              + m.source()
              + ": "
              + String.join("; ", problems.subList(0, Math.min(10, problems.size()))));
    }
    Map<String, RemoteFile> byEtag = new LinkedHashMap<>();
    for (RemoteFile f : m.files()) {
      if (!f.version().matches("[0-9a-f]{40}|[0-9a-f]{64}")) {
        throw new DownloadException(
            Failure.SOURCE, f.path() + " has no git or LFS object id to name its blob by");
      }
      byEtag.putIfAbsent(
          f.version(),
          new RemoteFile(
              folder() + "/blobs/" + f.version(),
              f.size(),
              f.digests(),
              f.locator(),
              f.version(),
              f.ranged()));
    }
    listing = m.files();
    blobs = new Listing(m.source(), m.revision(), List.copyOf(byEtag.values()));
    return blobs;
  }

  @Override
  public Body open(RemoteFile file, long from, long to) throws IOException, InterruptedException {
    return files.open(file, from, to);
  }

  /**
   * Writes snapshots/&lt;commit&gt; and refs/&lt;revision&gt;; drops the links of an earlier
   * commit.
   */
  @Override
  public void finish(Destination destination, Listing resolved, Completion prior)
      throws IOException, DownloadException {
    String commit = resolved.revision();
    Path model = destination.finalPath(folder());
    Path snapshot = model.resolve("snapshots").resolve(commit);
    Set<Path> links = new HashSet<>();
    for (RemoteFile f : listing) {
      Path link = snapshot.resolve(f.path());
      destination.ensureDirectory(link.getParent());
      String target =
          "../".repeat(2 + (int) f.path().chars().filter(c -> c == '/').count())
              + "blobs/"
              + f.version();
      if (!Files.isSymbolicLink(link) || !Files.readSymbolicLink(link).toString().equals(target)) {
        Path tmp = link.resolveSibling("." + link.getFileName() + ".modelprefetch-tmp");
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, Path.of(target));
        Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      links.add(link);
    }
    removeLinks(snapshot, links);
    if (!revision.equals(commit)) {
      Path ref = model.resolve("refs").resolve(revision);
      destination.ensureDirectory(ref.getParent());
      Path tmp = ref.resolveSibling("." + ref.getFileName() + ".modelprefetch-tmp");
      Files.write(tmp, commit.getBytes(StandardCharsets.US_ASCII));
      Files.move(tmp, ref, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    if (prior != null && prior.revision() != null && prior.revision().matches("[0-9a-f]{40}")) {
      String priorFolder = priorFolder(prior);
      if (priorFolder != null
          && !(priorFolder.equals(folder()) && prior.revision().equals(commit))) {
        removeLinks(
            destination.finalPath(priorFolder).resolve("snapshots").resolve(prior.revision()),
            Set.of());
      }
    }
  }

  private static String priorFolder(Completion prior) {
    try {
      return prior.source() != null && prior.source().startsWith("hf://")
          ? folderOf(HfRepo.parse(prior.source()))
          : null;
    } catch (DownloadException notHf) {
      return null;
    }
  }

  /**
   * Deletes the symlinks (never following one) under {@code dir} other than {@code keep}, then
   * empty directories.
   */
  private static void removeLinks(Path dir, Set<Path> keep) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    List<Path> all;
    try (var walk = Files.walk(dir)) {
      all = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
    }
    for (Path p : all) {
      if (Files.isSymbolicLink(p) && !keep.contains(p)) {
        Files.delete(p);
      } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        try (var entries = Files.list(p)) {
          if (entries.findAny().isEmpty()) {
            Files.delete(p);
          }
        }
      }
    }
  }

  @Override
  public void close() {
    files.close();
  }
}
