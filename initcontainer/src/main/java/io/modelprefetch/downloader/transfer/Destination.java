package io.modelprefetch.downloader.transfer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import io.modelprefetch.downloader.manifest.Completion;
import io.modelprefetch.downloader.manifest.SafePath;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The directory a pull writes to. Files are staged under {@code .modelprefetch/partial/}, journals
 * under {@code .modelprefetch/journal/}; a verified file is renamed into place atomically, and
 * {@code .modelprefetch/manifest.json} is written last. No symlink inside the destination is ever
 * followed.
 */
public final class Destination {
  public static final String COMPLETION = "manifest.json";

  /** Made when first used: a pull into a fresh destination needs it only at its end. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  private final Path root;
  private final Path state;

  /** The outermost directory this pull created for the destination, or null. */
  private final Path created;

  private Destination(Path root, Path created) {
    this.root = root;
    this.state = root.resolve(SafePath.STATE_DIR);
    this.created = created;
  }

  /** Opens (creating it) a destination directory; checks it is writable. */
  public static Destination open(Path dir) throws DownloadException {
    Path created = firstMissing(dir.toAbsolutePath().normalize());
    try {
      Files.createDirectories(dir);
      Path root = dir.toRealPath();
      Destination d = new Destination(root, created == null ? null : created.toRealPath());
      d.ensureDirectory(d.state);
      Path probe = Files.createTempFile(d.state, "write-check", ".tmp");
      Files.delete(probe);
      return d;
    } catch (AccessDeniedException e) {
      Path denied = e.getFile() == null ? dir : Path.of(e.getFile());
      throw new DownloadException(
          Failure.DESTINATION, NotWritable.message(dir, denied, NotWritable.processIds()));
    } catch (IOException e) {
      throw new DownloadException(
          Failure.DESTINATION,
          "cannot use destination " + dir + ": " + DestinationFailure.reason(e),
          e);
    }
  }

  /** The outermost directory of {@code dir} that does not exist yet (null when it exists). */
  private static Path firstMissing(Path dir) {
    Path missing = null;
    for (Path p = dir;
        p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS);
        p = p.getParent()) {
      missing = p;
    }
    return missing;
  }

  /** Takes the destination's exclusive lock (one pull at a time), waiting up to {@code timeout}. */
  public DestinationLock lock(Duration timeout, java.util.function.Consumer<String> waiting)
      throws DownloadException, InterruptedException {
    return DestinationLock.acquire(state.resolve(DestinationLock.FILE), root, timeout, waiting);
  }

  /**
   * After a failed pull that wrote nothing (the state directory holds only the lock): removes the
   * state directory, and the directories this pull created, so a failure leaves no empty trace.
   * Call it while holding the lock.
   */
  public void discardIfUnused() {
    try (var entries = Files.list(state)) {
      if (entries.anyMatch(p -> !p.getFileName().toString().equals(DestinationLock.FILE))) {
        return;
      }
      Files.deleteIfExists(state.resolve(DestinationLock.FILE));
      Files.delete(state);
      if (created != null) {
        for (Path p = root; p != null && p.startsWith(created); p = p.getParent()) {
          try (var left = Files.list(p)) {
            if (left.findAny().isPresent()) {
              break;
            }
          }
          Files.delete(p);
        }
      }
    } catch (IOException e) {
      // Best effort: an empty directory left behind does no harm to the next pull.
    }
  }

  /** Opens an existing destination for reading only (wait, verify). */
  public static Destination existing(Path dir) {
    return new Destination(dir.toAbsolutePath().normalize(), null);
  }

  public Path root() {
    return root;
  }

  Path partial(String path) {
    return state.resolve("partial").resolve(path);
  }

  Path journal(String path) {
    return state.resolve("journal").resolve(path + ".journal");
  }

  public Path finalPath(String path) {
    return root.resolve(path);
  }

  public Path verifiedLog() {
    return state.resolve("verified.log");
  }

  public Path completionFile() {
    return state.resolve(COMPLETION);
  }

  /** Creates the partial file's directory and the empty file, refusing symlinks on the way. */
  Path createPartial(String path) throws IOException {
    Path p = partial(path);
    ensureDirectory(p.getParent());
    try (FileChannel ignored =
        FileChannel.open(
            p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      return p;
    }
  }

  /** Renames a verified partial file to its final path, atomically replacing an older version. */
  public void moveIntoPlace(String path) throws IOException {
    Path target = finalPath(path);
    ensureDirectory(target.getParent());
    Files.move(
        partial(path), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Creates {@code dir} and its parents below the root; an existing symlink (or non-directory) on
   * the way is an error rather than something to follow.
   */
  public void ensureDirectory(Path dir) throws IOException {
    Path relative = root.relativize(dir);
    Path current = root;
    for (Path segment : relative) {
      if (segment.toString().isEmpty()) {
        continue;
      }
      current = current.resolve(segment);
      if (Files.isSymbolicLink(current)) {
        throw new SymlinkRefused(current);
      }
      if (!Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
        try {
          Files.createDirectory(current);
        } catch (java.nio.file.FileAlreadyExistsException raced) {
          // Another verify thread created it between our check and our create: check it again.
          if (Files.isSymbolicLink(current)) {
            throw new SymlinkRefused(current);
          }
        }
      }
      if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(current + " exists and is not a directory");
      }
    }
  }

  /**
   * Whether {@code path} (relative to the root) can be looked at without following a symlink: no
   * directory on its way is one. {@link LinkOption#NOFOLLOW_LINKS} covers only the last name.
   */
  boolean reachableWithoutSymlinks(String path) {
    Path current = root;
    Path relative = Path.of(path).getParent();
    for (Path segment : relative == null ? java.util.List.<Path>of() : relative) {
      current = current.resolve(segment);
      if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
    }
    return true;
  }

  /** Thrown when a path inside the destination is a symlink. */
  static final class SymlinkRefused extends IOException {
    SymlinkRefused(Path link) {
      super(
          "refusing to follow the symlink "
              + link
              + " inside the destination; remove it and pull again");
    }
  }

  /** The completion manifest, or null when the destination is not complete. */
  public Completion readCompletion() throws IOException {
    Path f = completionFile();
    if (Files.isSymbolicLink(f)) {
      throw new SymlinkRefused(f);
    }
    try {
      byte[] bytes = Files.readAllBytes(f);
      return Json.MAPPER.readValue(bytes, Completion.class);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Removes the completion manifest: from now on, waiters wait. */
  public void invalidate() throws IOException {
    Files.deleteIfExists(completionFile());
  }

  /** Writes the completion manifest atomically (temp file, fsync, rename, fsync directory). */
  public void complete(Completion completion) throws IOException {
    Path tmp = state.resolve(COMPLETION + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING,
            LinkOption.NOFOLLOW_LINKS)) {
      ch.write(
          java.nio.ByteBuffer.wrap(
              Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(completion)));
      ch.force(true);
    }
    Files.move(
        tmp, completionFile(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    fsyncDirectory(state);
  }

  private static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException ignored) {
      // Some file systems cannot fsync a directory; the rename is still atomic.
    }
  }

  /**
   * After the completion manifest is written: drops every journal and the staging directories once
   * nothing is left in them.
   */
  void cleanUpStaging() throws IOException {
    Files.deleteIfExists(verifiedLog());
    Path journals = state.resolve("journal");
    if (Files.isDirectory(journals, LinkOption.NOFOLLOW_LINKS)) {
      try (var walk = Files.walk(journals)) {
        for (Path p : walk.filter(f -> f.toString().endsWith(".journal")).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    for (Path dir : java.util.List.of(state.resolve("partial"), journals)) {
      if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        try (var walk = Files.walk(dir)) {
          for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
              try (var entries = Files.list(p)) {
                if (entries.findAny().isEmpty()) {
                  Files.delete(p);
                }
              }
            }
          }
        }
      }
    }
  }

  /** Free bytes for an unprivileged writer. */
  long usableSpace() throws IOException {
    return Files.getFileStore(state).getUsableSpace();
  }
}
