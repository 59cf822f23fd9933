package io.modelprefetch.downloader.transfer;

import io.modelprefetch.downloader.manifest.Digest;
import io.modelprefetch.downloader.verify.Hashing;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A file's digests (those {@link io.modelprefetch.downloader.verify.Verification} checks and
 * records, whole-file or composite over parts) computed while its bytes arrive, so verification
 * needs no second pass over the file. Bytes are hashed in file order up to a frontier: the
 * connection writing at the frontier hashes from its own buffer; bytes that other connections wrote
 * further ahead are read back from the page cache once the frontier reaches them (by whichever
 * connection moves it, never blocking one that finds another already hashing). Whatever is left at
 * the end is hashed by {@link #finish}.
 */
final class InOrderHash {
  private final Hashing.Running running;
  private final long size;

  /** Bytes on disk, hashed or not; guarded by itself. */
  private final Intervals written;

  private final ReentrantLock hashing = new ReentrantLock();

  /** Everything before it is hashed; guarded by {@link #hashing}. */
  private long frontier;

  /**
   * Digests of the kinds {@code templates} (see {@link Hashing#digests}); {@code alreadyWritten}:
   * what the partial file held before this pull (a resumed journal).
   */
  InOrderHash(List<Digest> templates, long size, Intervals alreadyWritten) {
    this.running = Hashing.start(templates, size);
    this.size = size;
    this.written = alreadyWritten;
  }

  /** Whether these are digests of the kinds {@code templates}. */
  boolean computes(List<Digest> templates) {
    return running.computes(templates);
  }

  /**
   * Bytes {@code data} (position to limit) were written at {@code pos} of {@code file}. Hashes them
   * right away when they are at the frontier, then catches up over bytes written ahead, reading
   * them back into {@code scratch}, which may be {@code data}'s own buffer: {@code data} is hashed
   * before {@code scratch} is overwritten.
   */
  void written(ByteBuffer data, long pos, FileChannel file, ByteBuffer scratch) throws IOException {
    int n = data.remaining();
    synchronized (written) {
      written.add(pos, pos + n);
    }
    if (!hashing.tryLock()) {
      return; // another connection is moving the frontier; it (or finish) reaches these bytes
    }
    try {
      if (pos == frontier) {
        running.update(data.duplicate());
        frontier += n;
      }
      catchUp(file, scratch);
    } finally {
      hashing.unlock();
    }
  }

  /**
   * Hashes what is left from the partial file and returns the digests of all {@code size} bytes.
   */
  List<Digest> finish(Path partial) throws IOException {
    hashing.lock();
    try (FileChannel ch =
        FileChannel.open(partial, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      synchronized (written) {
        written.add(frontier, size); // the file is complete: every byte is on disk now
      }
      catchUp(ch, ByteBuffer.allocate(TransferSettings.BUFFER_BYTES));
      return running.finish();
    } finally {
      hashing.unlock();
    }
  }

  /** How many bytes are hashed so far (for tests and the verify-time measurement). */
  long hashed() {
    hashing.lock();
    try {
      return frontier;
    } finally {
      hashing.unlock();
    }
  }

  private void catchUp(FileChannel file, ByteBuffer scratch) throws IOException {
    while (true) {
      long end;
      synchronized (written) {
        end = Math.min(size, written.endOfRunAt(frontier));
      }
      if (end <= frontier) {
        return;
      }
      while (frontier < end) {
        scratch.clear().limit((int) Math.min(scratch.capacity(), end - frontier));
        int n = file.read(scratch, frontier);
        if (n <= 0) {
          throw new IOException("the partial file ended at " + frontier + " while hashing it");
        }
        scratch.flip();
        running.update(scratch);
        frontier += n;
      }
    }
  }
}
