package io.modelprefetch.downloader.transfer;

import io.modelprefetch.downloader.manifest.Digest;
import io.modelprefetch.downloader.manifest.RemoteFile;
import io.modelprefetch.downloader.verify.Candidate;
import io.modelprefetch.downloader.verify.Hashing;
import io.modelprefetch.downloader.verify.Verification;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One file being downloaded ({@link Plan.Fetch}): its partial file, its journal, and what is still
 * missing. The partial file is opened by the first write and closed when the file is finished.
 */
final class FileTask implements Candidate, AutoCloseable {
  private volatile RemoteFile file;
  private final Path partial;
  private final Path journalPath;
  private Journal journal;
  private FileChannel channel;
  private final AtomicLong missing;
  private volatile boolean refetched;
  private InOrderHash hash;

  FileTask(Plan.Fetch fetch) {
    this.file = fetch.file();
    this.partial = fetch.partial();
    this.journalPath = fetch.journalPath();
    this.journal = fetch.journal();
    this.missing = new AtomicLong(file.size() - journal.covered());
  }

  @Override
  public RemoteFile file() {
    return file;
  }

  @Override
  public Path partial() {
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

  synchronized List<long[]> gaps() {
    return journal.gaps(file.size());
  }

  /** Writes {@code data} at {@code position} and feeds the file's running digests. */
  void write(ByteBuffer data, long position) throws IOException {
    FileChannel ch = channel();
    int start = data.position();
    long at = position;
    while (data.hasRemaining()) {
      at += ch.write(data, at);
    }
    data.position(start);
    hash().written(data, position, ch);
  }

  private synchronized FileChannel channel() throws IOException {
    if (channel == null) {
      channel =
          FileChannel.open(
              partial,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS);
    }
    return channel;
  }

  /**
   * The running digests, started by the first write (after the response told what digests the file
   * has): the kinds {@link Verification} checks and records.
   */
  private synchronized InOrderHash hash() {
    if (hash == null) {
      hash =
          new InOrderHash(
              Verification.kinds(file.size(), file.digests()), file.size(), journal.written());
    }
    return hash;
  }

  /**
   * The complete partial file's digests of the kinds {@code templates} (see {@link
   * Hashing#digests}): from the running digests when they are of these kinds (no second read, bar
   * bytes they have not reached yet), else by reading the file.
   */
  @Override
  public List<Digest> digests(List<Digest> templates) throws IOException {
    InOrderHash h;
    synchronized (this) {
      h = hash;
      hash = null; // running digests are finished once
    }
    return h != null && h.computes(templates)
        ? h.finish(partial)
        : Hashing.digests(partial, templates);
  }

  /** Drops the running digest: the bytes it covered are being written again. */
  synchronized void forgetDigest() {
    hash = null;
  }

  /**
   * Records {@code [start, end)} as written; returns true when that completed the file. A range
   * that is the whole file is not journalled: there is nothing to resume inside it.
   */
  boolean record(long start, long end) throws IOException {
    if (!file.ranged() && (start != 0 || end != file.size())) {
      return false; // a range fetched before the file fell back to one whole-file stream
    }
    if (start == 0 && end == file.size()) {
      journal().remember(start, end);
    } else {
      journal().record(start, end);
    }
    return missing.addAndGet(-(end - start)) == 0;
  }

  private synchronized Journal journal() {
    return journal;
  }

  boolean complete() {
    return missing.get() == 0;
  }

  /** Drops the journal once the file is in place (the verified log speaks for it now). */
  @Override
  public synchronized void discardJournal() throws IOException {
    journal.close();
    Files.deleteIfExists(journalPath);
  }

  /** Forgets everything written: the next attempt fetches the whole file again. */
  @Override
  public synchronized void restart() throws IOException {
    journal.close();
    Files.deleteIfExists(journalPath);
    journal = Journal.open(journalPath, file.identity());
    hash = null;
    missing.set(file.size());
  }

  /**
   * Falls back to one whole-file stream (the server ignores Range): forgets what was written;
   * returns the bytes forgotten, or -1 when the file already fell back.
   */
  synchronized long wholeFile() throws IOException {
    if (!file.ranged()) {
      return -1;
    }
    long forgotten = file.size() - missing.get();
    file = file.withRanged(false);
    restart();
    return forgotten;
  }

  @Override
  public boolean refetched() {
    return refetched;
  }

  @Override
  public void markRefetched() {
    refetched = true;
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      journal.close();
    } finally {
      if (channel != null) {
        channel.close();
        channel = null;
      }
    }
  }
}
