package io.modelprefetch.downloader.transfer;

import io.modelprefetch.downloader.manifest.Digest;
import io.modelprefetch.downloader.verify.Hashing;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A file's digests (those {@link io.modelprefetch.downloader.verify.Verification} checks and
 * records, whole-file or composite over parts) computed while its bytes arrive, so verification
 * needs no second pass over the file. Each digest is a lane of its own, hashed in file order up to
 * its frontier:
 *
 * <ul>
 *   <li>the connection writing at a frontier hashes from its own buffer, unless that lane is busy;
 *   <li>bytes written further ahead by other connections are read back from the page cache by a
 *       hashing thread ({@link #hashers}) once the frontier reaches them. Connections never do
 *       that: one that caught up over the others' bytes would leave its own range unread meanwhile,
 *       and the last ranges of a pull were the ones left waiting;
 *   <li>two digests (S3's MD5 ETag and the sha256 the manifest records) are two lanes, hashed side
 *       by side.
 * </ul>
 *
 * Whatever is left at the end is hashed by {@link #finish}, one thread per lane.
 */
final class InOrderHash {
  /** Bytes left in a lane at the end above which it gets a thread of its own. */
  private static final long SIDE_BY_SIDE_BYTES = 8L << 20;

  private final List<Lane> lanes;
  private final long size;
  private final Executor hashers;

  /** Bytes on disk, hashed or not; guarded by itself. */
  private final Intervals written;

  /**
   * Digests of the kinds {@code templates} (see {@link Hashing#digests}); {@code alreadyWritten}:
   * what the partial file held before this pull (a resumed journal). Bytes written ahead are hashed
   * on the pull's hashing threads.
   */
  InOrderHash(List<Digest> templates, long size, Intervals alreadyWritten) {
    this(templates, size, alreadyWritten, Hashers.POOL);
  }

  /** As above, reading back bytes written ahead on {@code hashers}. */
  InOrderHash(List<Digest> templates, long size, Intervals alreadyWritten, Executor hashers) {
    this.lanes = templates.stream().map(t -> new Lane(Hashing.start(List.of(t), size))).toList();
    this.size = size;
    this.written = alreadyWritten;
    this.hashers = hashers;
  }

  /** Whether these are digests of the kinds {@code templates}. */
  boolean computes(List<Digest> templates) {
    if (templates.size() != lanes.size()) {
      return false;
    }
    for (int i = 0; i < lanes.size(); i++) {
      if (!lanes.get(i).running.computes(List.of(templates.get(i)))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Bytes {@code data} (position to limit) were written at {@code pos} of {@code file}. Every lane
   * that is free and at {@code pos} hashes them right away, before this returns; a lane with bytes
   * waiting beyond its frontier is handed to a hashing thread.
   */
  void written(ByteBuffer data, long pos, FileChannel file) {
    int n = data.remaining();
    synchronized (written) {
      written.add(pos, pos + n);
    }
    for (Lane lane : lanes) {
      if (lane.lock.tryLock()) {
        try {
          if (pos == lane.frontier) {
            lane.running.update(data.duplicate());
            lane.frontier += n;
          }
        } finally {
          lane.lock.unlock();
        }
      }
      if (bytesAhead(lane)) {
        schedule(lane, file);
      }
    }
  }

  /** Whether bytes are on disk right at the lane's frontier. */
  private boolean bytesAhead(Lane lane) {
    long at = lane.frontier;
    synchronized (written) {
      return at < size && written.endOfRunAt(at) > at;
    }
  }

  private void schedule(Lane lane, FileChannel file) {
    if (lane.scheduled.compareAndSet(false, true)) {
      hashers.execute(() -> catchUpInBackground(lane, file));
    }
  }

  /** Runs on a hashing thread: catches the lane up until no byte waits at its frontier. */
  private void catchUpInBackground(Lane lane, FileChannel file) {
    do {
      lane.lock.lock();
      try {
        catchUp(lane, file, Hashers.BUFFER.get());
      } catch (IOException unreadable) {
        // The pull closed the file (it failed), or it cannot be read: finish hashes what is left
        // from its own read of the file and reports that.
      } finally {
        lane.lock.unlock();
        lane.scheduled.set(false);
      }
      // Bytes that arrived after the catch-up looked, while it still counted as scheduled.
    } while (bytesAhead(lane) && lane.scheduled.compareAndSet(false, true));
  }

  /**
   * Hashes what is left from the partial file and returns the digests of all {@code size} bytes;
   * lanes with many bytes left are caught up side by side.
   */
  List<Digest> finish(Path partial) throws IOException {
    synchronized (written) {
      written.add(0, size); // the file is complete: every byte is on disk now
    }
    try (FileChannel ch =
        FileChannel.open(partial, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      List<FutureTask<Void>> others = new ArrayList<>();
      for (Lane lane : lanes.subList(1, lanes.size())) {
        FutureTask<Void> t = new FutureTask<>(() -> finishLane(lane, ch));
        others.add(t);
        if (size - lane.frontier > SIDE_BY_SIDE_BYTES) {
          Thread.ofPlatform().name("hash-lane").daemon().start(t);
        }
      }
      finishLane(lanes.getFirst(), ch);
      List<Digest> digests = new ArrayList<>(lanes.getFirst().running.finish());
      for (int i = 0; i < others.size(); i++) {
        others.get(i).run(); // when no thread started it: here (a task runs at most once)
        await(others.get(i));
        digests.addAll(lanes.get(i + 1).running.finish());
      }
      return digests;
    }
  }

  private Void finishLane(Lane lane, FileChannel ch) throws IOException {
    lane.lock.lock();
    try {
      catchUp(lane, ch, ByteBuffer.allocate(TransferSettings.BUFFER_BYTES));
      return null;
    } finally {
      lane.lock.unlock();
    }
  }

  private static void await(FutureTask<Void> lane) throws IOException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          lane.get();
          return;
        } catch (InterruptedException e) {
          interrupted = true; // the lane reads a local file: it ends soon
        } catch (ExecutionException e) {
          if (e.getCause() instanceof IOException io) {
            throw io;
          }
          throw new IllegalStateException("hashing failed", e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** How many bytes every digest has hashed so far (for tests). */
  long hashed() {
    return lanes.stream().mapToLong(lane -> lane.frontier).min().orElse(size);
  }

  /** Hashes the bytes on disk from the lane's frontier on; the caller holds the lane's lock. */
  private void catchUp(Lane lane, FileChannel file, ByteBuffer scratch) throws IOException {
    while (true) {
      long end;
      synchronized (written) {
        end = Math.min(size, written.endOfRunAt(lane.frontier));
      }
      if (end <= lane.frontier) {
        return;
      }
      while (lane.frontier < end) {
        scratch.clear().limit((int) Math.min(scratch.capacity(), end - lane.frontier));
        int n = file.read(scratch, lane.frontier);
        if (n <= 0) {
          throw new IOException("the partial file ended at " + lane.frontier + " while hashing it");
        }
        scratch.flip();
        lane.running.update(scratch);
        lane.frontier += n;
      }
    }
  }

  /** One digest: its running state and frontier (changed under its lock), and whether queued. */
  private static final class Lane {
    final Hashing.Running running;
    final ReentrantLock lock = new ReentrantLock();
    final AtomicBoolean scheduled = new AtomicBoolean();

    /** Everything before it is hashed; written under {@link #lock}. */
    volatile long frontier;

    Lane(Hashing.Running running) {
      this.running = running;
    }
  }

  /** The pull's hashing threads: one per core, each with one read-back buffer. */
  private static final class Hashers {
    static final Executor POOL =
        Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            Thread.ofPlatform().name("hash-", 0).daemon().factory());

    static final ThreadLocal<ByteBuffer> BUFFER =
        ThreadLocal.withInitial(() -> ByteBuffer.allocate(TransferSettings.BUFFER_BYTES));
  }
}
