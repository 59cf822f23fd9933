package io.modelprefetch.downloader.source.oci;

import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import io.modelprefetch.downloader.manifest.Completion.CompletedFile;
import io.modelprefetch.downloader.manifest.Digest;
import io.modelprefetch.downloader.manifest.PathFilter;
import io.modelprefetch.downloader.manifest.SafePath;
import io.modelprefetch.downloader.transfer.Destination;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Turns verified layer blobs into the model's files, layer by layer as a container runtime would: a
 * raw layer is one file (hard-linked from the blob, no copy); an archive layer is extracted entry
 * by entry, each file written to staging, hashed (sha256, recorded for {@code verify}) and renamed
 * into place. Whiteouts ({@code .wh.name}, {@code .wh..wh..opq}) remove what earlier layers wrote.
 *
 * <p>Hostile archives: every entry name passes the same {@link SafePath} rules as a listing (before
 * the include/exclude filter, so an unsafe name always fails the pull); directories are created
 * without following symlinks. <b>Links are never written as symlinks</b>: a symlink or hard link to
 * a regular file extracted earlier from the same image becomes a hard link to that file; a link
 * that leaves the image, points at a directory or at nothing, and any device, FIFO or other special
 * entry fail the pull (exit 3) naming the entry, unless --exclude skips it.
 */
final class LayerUnpacker {
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";
  private final Destination destination;
  private final Path staging;
  private final PathFilter filter;
  private final Map<String, CompletedFile> files = new LinkedHashMap<>();
  private int sequence;

  LayerUnpacker(Destination destination, Path staging, PathFilter filter) {
    this.destination = destination;
    this.staging = staging;
    this.filter = filter;
  }

  /** The files in place so far, in the order they were first written. */
  List<CompletedFile> files() {
    return List.copyOf(files.values());
  }

  void raw(Layer layer, Path blob) throws DownloadException, IOException {
    String problem = SafePath.problem(layer.name());
    if (problem != null) {
      throw refused(layer, layer.name(), problem);
    }
    Path tmp = nextStaging();
    try {
      Files.createLink(tmp, blob);
    } catch (UnsupportedOperationException | IOException noHardLinks) {
      Files.copy(blob, tmp, LinkOption.NOFOLLOW_LINKS);
    }
    place(layer.name(), tmp);
    files.put(
        layer.name(),
        new CompletedFile(
            layer.name(), layer.size(), List.of(Digest.parse(layer.digest())), layer.digest()));
  }

  void archive(Layer layer, Path blob) throws DownloadException, IOException {
    try (InputStream raw =
            new BufferedInputStream(
                Files.newInputStream(blob, LinkOption.NOFOLLOW_LINKS), 1 << 16);
        TarArchiveInputStream tar = new TarArchiveInputStream(decompressed(raw))) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        entry(layer, e, tar);
      }
    } catch (IOException e) {
      if (e instanceof java.nio.file.FileSystemException) {
        throw e;
      }
      throw new DownloadException(
          Failure.SOURCE,
          "layer "
              + layer.digest()
              + " is not a readable tar archive: "
              + RegistryAuth.printable(String.valueOf(e.getMessage())),
          e);
    }
  }

  private static InputStream decompressed(InputStream in) throws IOException {
    in.mark(2);
    int b0 = in.read();
    int b1 = in.read();
    in.reset();
    return b0 == 0x1f && b1 == 0x8b
        ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16)
        : in;
  }

  private void entry(Layer layer, TarArchiveEntry e, InputStream data)
      throws DownloadException, IOException {
    String name = clean(e.getName());
    if (name.isEmpty()) {
      return;
    }
    String problem = SafePath.problem(name);
    if (problem != null) {
      throw refused(layer, name, problem);
    }
    String base = name.substring(name.lastIndexOf('/') + 1);
    String parent = name.contains("/") ? name.substring(0, name.lastIndexOf('/') + 1) : "";
    if (base.startsWith(WHITEOUT)) {
      whiteout(
          base.equals(OPAQUE) ? parent : parent + base.substring(WHITEOUT.length()),
          base.equals(OPAQUE));
      return;
    }
    if (!filter.test(name) && !e.isDirectory()) {
      return;
    }
    if (e.isDirectory()) {
      destination.ensureDirectory(destination.finalPath(name));
    } else if (e.isSymbolicLink() || e.isLink()) {
      link(layer, name, e);
    } else if (e.getLinkFlag() == TarConstants.LF_NORMAL
        || e.getLinkFlag() == TarConstants.LF_OLDNORM
        || e.getLinkFlag() == TarConstants.LF_CONTIG) {
      file(layer, name, data);
    } else {
      throw refused(
          layer, name, "it is a device, FIFO or other special file, which a model never needs");
    }
  }

  private void file(Layer layer, String name, InputStream data) throws IOException {
    Path tmp = nextStaging();
    MessageDigest sha256 = sha256();
    long size;
    try (FileChannel ch =
            FileChannel.open(
                tmp,
                StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        OutputStream out = new DigestOutputStream(Channels.newOutputStream(ch), sha256)) {
      size = data.transferTo(out);
      out.flush();
      ch.force(true);
    }
    place(name, tmp);
    files.put(
        name,
        new CompletedFile(
            name,
            size,
            List.of(Digest.of(Digest.Algorithm.SHA256, sha256.digest())),
            layer.digest()));
  }

  /**
   * A link becomes a hard link to the file it names, which must be a file this image already wrote.
   */
  private void link(Layer layer, String name, TarArchiveEntry e)
      throws DownloadException, IOException {
    String target = e.getLinkName();
    String resolved =
        e.isSymbolicLink() && !target.startsWith("/") && name.contains("/")
            ? name.substring(0, name.lastIndexOf('/') + 1) + target
            : target;
    resolved = normalize(resolved);
    if (resolved == null || SafePath.problem(resolved) != null) {
      throw refused(
          layer,
          name,
          "it is a link to '" + RegistryAuth.printable(target) + "', outside the model");
    }
    CompletedFile to = files.get(resolved);
    if (to == null
        || !Files.isRegularFile(destination.finalPath(resolved), LinkOption.NOFOLLOW_LINKS)) {
      throw refused(
          layer,
          name,
          "it is a link to '"
              + RegistryAuth.printable(target)
              + "', which is not a file of the model (links to directories or missing files are not"
              + " supported)");
    }
    Path tmp = nextStaging();
    Files.createLink(tmp, destination.finalPath(resolved));
    place(name, tmp);
    files.put(name, new CompletedFile(name, to.size(), to.digests(), layer.digest()));
  }

  private void whiteout(String path, boolean opaque) throws IOException {
    String prefix = path.isEmpty() || path.endsWith("/") ? path : path + "/";
    for (String f : List.copyOf(files.keySet())) {
      if (!opaque && f.equals(path) || f.startsWith(prefix)) {
        files.remove(f);
        Files.deleteIfExists(destination.finalPath(f));
      }
    }
  }

  private void place(String name, Path tmp) throws IOException {
    Path target = destination.finalPath(name);
    destination.ensureDirectory(target.getParent());
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(tmp);
      throw new IOException(target + " is a directory; the image also has a file there");
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private Path nextStaging() throws IOException {
    destination.ensureDirectory(staging);
    Path p = staging.resolve("entry-" + (sequence++));
    Files.deleteIfExists(p);
    return p;
  }

  /** Tar names: "./a/b/" → "a/b"; a leading "/" (absolute names in images) is the image root. */
  static String clean(String name) {
    String n = name;
    while (n.startsWith("./") || n.startsWith("/")) {
      n = n.startsWith("./") ? n.substring(2) : n.substring(1);
    }
    while (n.endsWith("/")) {
      n = n.substring(0, n.length() - 1);
    }
    return n.equals(".") ? "" : n;
  }

  /**
   * Lexically resolves "." and ".." in a root-relative path; null when it climbs above the root.
   */
  static String normalize(String path) {
    java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
    for (String s : clean(path).split("/")) {
      if (s.isEmpty() || s.equals(".")) {
        continue;
      }
      if (s.equals("..")) {
        if (parts.isEmpty()) {
          return null;
        }
        parts.removeLast();
      } else {
        parts.addLast(s);
      }
    }
    return String.join("/", parts);
  }

  private static DownloadException refused(Layer layer, String name, String why) {
    return new DownloadException(
        Failure.SOURCE,
        "refusing layer "
            + layer.digest()
            + ": entry '"
            + RegistryAuth.printable(name)
            + "': "
            + why);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
