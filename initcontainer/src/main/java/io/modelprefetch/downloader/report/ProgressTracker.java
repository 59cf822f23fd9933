package io.modelprefetch.downloader.report;

import io.modelprefetch.api.v1alpha1.Phase;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counts bytes and files as workers report them; computes speed over a sliding window. */
public final class ProgressTracker {
  private static final long WINDOW_NANOS = 5_000_000_000L;
  private final LongAdder onDisk = new LongAdder();
  private final LongAdder transferred = new LongAdder();
  private final AtomicInteger filesDone = new AtomicInteger();
  private final ArrayDeque<long[]> samples = new ArrayDeque<>();
  private volatile long bytesTotal;
  private volatile int filesTotal;
  private volatile long startNanos = System.nanoTime();
  private volatile boolean resolved;

  /** The listing is known: resolving is over, downloading begins. */
  public void start(long bytesTotal, int filesTotal) {
    this.bytesTotal = bytesTotal;
    this.filesTotal = filesTotal;
    this.startNanos = System.nanoTime();
    this.resolved = true;
  }

  /** Files already in place from an earlier pull. */
  public void alreadyDone(long bytes, int files) {
    onDisk.add(bytes);
    filesDone.addAndGet(files);
  }

  /** Bytes found on disk in a journal. */
  public void resumed(long bytes) {
    onDisk.add(bytes);
  }

  /** Bytes fetched (negative when a failed attempt's bytes are discarded). */
  public void transferred(long bytes) {
    onDisk.add(bytes);
    transferred.add(bytes);
  }

  public void fileDone() {
    filesDone.incrementAndGet();
  }

  /**
   * What the pull is doing, from its own exact counters: before the listing it resolves; once every
   * byte is on disk it verifies and finalizes until it exits (also after the last file is in place:
   * the phase never goes back to Downloading with nothing left to download).
   */
  private Phase phase(long done) {
    if (!resolved) {
      return Phase.Resolving;
    }
    return done >= bytesTotal ? Phase.Verifying : Phase.Downloading;
  }

  public synchronized Snapshot snapshot() {
    long now = System.nanoTime();
    long moved = transferred.sum();
    samples.addLast(new long[] {now, moved});
    while (samples.size() > 2 && now - samples.peekFirst()[0] > WINDOW_NANOS) {
      samples.pollFirst();
    }
    long[] first = samples.size() > 1 ? samples.peekFirst() : new long[] {startNanos, 0};
    long span = now - first[0];
    long rate = span > 0 ? (long) ((moved - first[1]) * 1e9 / span) : 0;
    long done = onDisk.sum();
    long eta = rate > 0 ? (bytesTotal - done) / rate : done >= bytesTotal ? 0 : -1;
    int files = filesDone.get();
    return new Snapshot(
        done,
        bytesTotal,
        files,
        filesTotal,
        Math.max(rate, 0),
        eta,
        (now - startNanos) / 1_000_000,
        moved,
        phase(done));
  }
}
