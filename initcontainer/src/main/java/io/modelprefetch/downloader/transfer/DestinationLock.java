package io.modelprefetch.downloader.transfer;

import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import io.modelprefetch.downloader.report.Human;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One pull per destination at a time: an exclusive {@code fcntl} lock (works on NFS too) on {@code
 * .modelprefetch/lock}, held for the whole pull. A second pull (a retried pod while the old one
 * still runs) waits for it, up to a bound, then fails as a destination error.
 *
 * <p>The holder checks (by stat) that the path still names the file it locked: a lock taken on a
 * file that a failed pull has just removed is dropped and taken again. The file says who holds it
 * ("pid N") for the waiter's message.
 */
public final class DestinationLock implements AutoCloseable {
  static final String FILE = "lock";
  private static final Duration POLL = Duration.ofMillis(200);
  private final FileChannel channel;
  private final FileLock lock;

  private DestinationLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock on {@code path}, waiting up to {@code timeout} for another pull to release it;
   * {@code waiting} hears once that we wait.
   */
  static DestinationLock acquire(Path path, Path root, Duration timeout, Consumer<String> waiting)
      throws DownloadException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean told = false;
    while (true) {
      try {
        DestinationLock held = tryAcquire(path);
        if (held != null) {
          return held;
        }
      } catch (IOException e) {
        throw new DownloadException(
            Failure.DESTINATION,
            "cannot lock destination " + root + ": " + DestinationFailure.reason(e),
            e);
      }
      if (System.nanoTime() - deadline > 0) {
        throw new DownloadException(
            Failure.DESTINATION,
            "destination "
                + root
                + " is in use by another "
                + "modelprefetch pull ("
                + holder(path)
                + ") for more than "
                + Human.duration(timeout)
                + ": let it finish, or raise --lock-timeout");
      }
      if (!told) {
        waiting.accept(
            "waiting for another modelprefetch pull into "
                + root
                + " ("
                + holder(path)
                + ") to finish (at most "
                + Human.duration(timeout)
                + ", --lock-timeout)");
        told = true;
      }
      Thread.sleep(POLL);
    }
  }

  private static DestinationLock tryAcquire(Path path) throws IOException {
    Object before = fileKey(path);
    FileChannel ch =
        FileChannel.open(
            path,
            StandardOpenOption.CREATE,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);
    try {
      FileLock lock = ch.tryLock();
      if (lock == null) {
        ch.close();
        return null;
      }
      // The path must still name the file we locked (a failed pull may have removed it meanwhile).
      // Compared by stat, never by opening it again: closing any other descriptor of the file
      // would drop this process's fcntl lock.
      if (before == null || !before.equals(fileKey(path))) {
        ch.close();
        return tryAcquire(path);
      }
      byte[] token =
          ("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8);
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(token), 0);
      return new DestinationLock(ch, lock);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Device and inode of {@code path} (by stat), or null when it does not exist. */
  private static Object fileKey(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
          .fileKey();
    } catch (NoSuchFileException gone) {
      return null;
    }
  }

  /** Who holds the lock, as its file says ("pid 123"), for messages. */
  private static String holder(Path path) {
    try {
      String text = Files.readString(path, StandardCharsets.UTF_8).strip();
      String[] words = text.split(" ");
      return words.length >= 2 && words[0].equals("pid") && words[1].matches("\\d{1,10}")
          ? "pid " + words[1]
          : "lock " + path;
    } catch (IOException e) {
      return "lock " + path;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
