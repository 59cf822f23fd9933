package io.modelprefetch.downloader.transfer;

import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * A failure of the destination's file system in words (exit 6): permission, read-only, not a
 * directory, no space, a symlink; never an exception's class name.
 */
final class DestinationFailure {
  private DestinationFailure() {}

  /** The path on the way to {@code file} that is a file where a directory must be. */
  private static String notADirectory(String file) {
    Path p = file == null ? null : Path.of(file);
    while (p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      p = p.getParent();
    }
    return p != null && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? p.toString() : file;
  }

  /** A failure of the destination's file system as a sentence for people (exit 6). */
  static DownloadException of(IOException e) {
    return new DownloadException(
        Failure.DESTINATION,
        e instanceof Destination.SymlinkRefused
            ? e.getMessage()
            : "destination error: " + reason(e),
        e);
  }

  /** Why a file-system call failed, in words: permission, read-only, not a directory, no space. */
  static String reason(IOException e) {
    if (e instanceof Destination.SymlinkRefused) {
      return e.getMessage();
    }
    if (!(e instanceof FileSystemException fse)) {
      return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    String file = fse.getFile();
    String why = fse.getReason() == null ? "" : fse.getReason();
    if (e instanceof AccessDeniedException || why.contains("Permission denied")) {
      return "permission denied on "
          + file
          + ": mount the volume read-write and run as a user that may write to it";
    }
    if (why.contains("Read-only file system")) {
      return file + " is on a read-only file system: mount the volume read-write";
    }
    if (e instanceof NotDirectoryException
        || e instanceof FileAlreadyExistsException
        || why.contains("Not a directory")) {
      return notADirectory(file) + " exists and is not a directory";
    }
    if (why.contains("No space left") || why.contains("Disk quota exceeded")) {
      return "no space left on the volume of " + file + ": give it more space";
    }
    if (e instanceof NoSuchFileException) {
      Path parent = file == null ? null : Path.of(file).getParent();
      return parent != null && Files.isDirectory(parent)
          ? "cannot create "
              + file
              + ": "
              + parent
              + " does not allow new directories (a virtual or special file system?)"
          : file + " does not exist and cannot be created";
    }
    return file + (why.isEmpty() ? "" : ": " + why);
  }
}
