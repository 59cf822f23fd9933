package io.modelprefetch.downloader.transfer;

import io.modelprefetch.downloader.manifest.Digest;
import io.modelprefetch.downloader.manifest.RemoteFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** One file being downloaded: its partial file, its journal, and what is still missing. */
final class FileTask implements AutoCloseable {
  private volatile RemoteFile file;
  private final Path partial;
  private final Path journalPath;
  private Journal journal;
  private final FileChannel channel;
  private final AtomicLong missing;
  private volatile boolean refetched;

  FileTask(RemoteFile file, Path partial, Path journalPath) throws IOException {
    this.file = file;
    this.partial = partial;
    this.journalPath = journalPath;
    this.journal = Journal.open(journalPath, identity(file));
    this.channel = FileChannel.open(partial, StandardOpenOption.WRITE, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    if (channel.size() < journal.covered()) {
      restart();
    }
    this.missing = new AtomicLong(file.size() - journal.covered());
  }

  static String identity(RemoteFile f) {
    return f.size() + ":" + (f.version() == null ? "" : f.version());
  }

  RemoteFile file() {
    return file;
  }

  Path partial() {
    return partial;
  }

  /** Digests that came with a response replace the listing's (they know more, e.g. SSE). */
  void learn(List<Digest> digests) {
    if (!digests.isEmpty()) {
      file = file.withDigests(digests);
    }
  }

  long bytesOnDisk() {
    return file.size() - missing.get();
  }

  List<long[]> gaps() {
    return journal.gaps(file.size());
  }

  void write(ByteBuffer data, long position) throws IOException {
    while (data.hasRemaining()) {
      position += channel.write(data, position);
    }
  }

  /** Journals {@code [start, end)} as written; returns true when that completed the file. */
  boolean record(long start, long end) throws IOException {
    journal.record(start, end);
    return missing.addAndGet(-(end - start)) == 0;
  }

  boolean complete() {
    return missing.get() == 0;
  }

  /** Forgets everything written: the next attempt fetches the whole file again. */
  void restart() throws IOException {
    journal.close();
    java.nio.file.Files.deleteIfExists(journalPath);
    journal = Journal.open(journalPath, identity(file));
    if (missing != null) {
      missing.set(file.size());
    }
  }

  void markVerified(String digest) throws IOException {
    journal.markVerified(digest);
  }

  boolean refetched() {
    return refetched;
  }

  void markRefetched() {
    refetched = true;
  }

  FileChannel channel() {
    return channel;
  }

  @Override
  public void close() throws IOException {
    try {
      journal.close();
    } finally {
      channel.close();
    }
  }
}
