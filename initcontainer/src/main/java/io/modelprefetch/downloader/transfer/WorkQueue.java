package io.modelprefetch.downloader.transfer;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Hands out ranges of all files to the connections. Files are taken in order, so they finish (and
 * get verified) one after another while later files download. Range size follows guided
 * self-scheduling: a share of what is left, between minChunk and maxChunk, so ranges shrink as the
 * end nears and no connection idles while another still has a long range to go.
 */
final class WorkQueue {
  private record Gap(FileTask task, long start, long end) {}

  private final Deque<Gap> gaps = new ArrayDeque<>();
  private final TransferSettings settings;
  private final java.util.function.IntSupplier inFlight;
  private long unclaimed;
  private int unfinished;
  private boolean stopped;

  WorkQueue(TransferSettings settings) {
    this(settings, settings::connections);
  }

  /**
   * {@code inFlight}: how many requests to keep busy (ranges are cut so that each gets a share of
   * what is left).
   */
  WorkQueue(TransferSettings settings, java.util.function.IntSupplier inFlight) {
    this.settings = settings;
    this.inFlight = inFlight;
  }

  /** Adds a file's missing ranges; the file counts as unfinished until {@link #finished()}. */
  synchronized void add(FileTask task) {
    unfinished++;
    addGaps(task);
  }

  /** Queues the whole file again (after a digest mismatch); it stays unfinished. */
  synchronized void retry(FileTask task) {
    addGaps(task);
  }

  /** Replaces a file's waiting ranges with one whole-file range (its server ignores Range). */
  synchronized void wholeFile(FileTask task) {
    gaps.removeIf(
        g -> {
          if (g.task() != task) {
            return false;
          }
          unclaimed -= g.end() - g.start();
          return true;
        });
    addGaps(task);
  }

  private void addGaps(FileTask task) {
    for (long[] g : task.gaps()) {
      gaps.addLast(new Gap(task, g[0], g[1]));
      unclaimed += g[1] - g[0];
    }
    notifyAll();
  }

  /** Next range to fetch; blocks while ranges are in flight that may come back; null when done. */
  synchronized Chunk take() throws InterruptedException {
    while (true) {
      if (stopped) {
        return null;
      }
      Chunk c = poll();
      if (c != null) {
        return c;
      }
      if (unfinished == 0) {
        return null;
      }
      wait();
    }
  }

  /** Next range, or null when none is waiting right now. */
  synchronized Chunk poll() {
    Gap g = gaps.pollFirst();
    return g == null ? null : cut(g);
  }

  private Chunk cut(Gap g) {
    long length = g.end() - g.start();
    long share = unclaimed / (2L * inFlight.getAsInt());
    long size = Math.max(settings.minChunk(), Math.min(settings.maxChunk(), share));
    if (!g.task().file().ranged() || length <= size + settings.minChunk()) {
      unclaimed -= length;
      return new Chunk(g.task(), g.start(), g.end());
    }
    gaps.addFirst(new Gap(g.task(), g.start() + size, g.end()));
    unclaimed -= size;
    return new Chunk(g.task(), g.start(), g.start() + size);
  }

  /** A file is verified and in place. */
  synchronized void finished() {
    unfinished--;
    notifyAll();
  }

  /** Stops handing out work (a failure ends the pull). */
  synchronized void stop() {
    stopped = true;
    notifyAll();
  }
}
