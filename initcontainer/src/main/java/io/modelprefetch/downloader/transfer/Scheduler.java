package io.modelprefetch.downloader.transfer;

import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import io.modelprefetch.downloader.Printable;
import io.modelprefetch.downloader.report.ProgressTracker;
import io.modelprefetch.downloader.source.Body;
import io.modelprefetch.downloader.source.Retry;
import io.modelprefetch.downloader.source.Source;
import io.modelprefetch.downloader.source.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scheduler over all ranges of all files: up to {@code connections} workers take ranges from
 * the {@link WorkQueue} (as many at once as {@link Concurrency} allows), write them at their
 * offsets into the preallocated partial files, hash them in order ({@link InOrderHash}) and journal
 * them. A completed file goes to the {@link FileFinisher} (verify, rename), which runs beside the
 * downloads. Memory is one buffer per connection, whatever the model size.
 */
final class Scheduler {
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

  /** Hashing is CPU-bound but renames and small files are not: a few more threads than cores. */
  private static final int VERIFY_THREADS =
      Math.max(2, Runtime.getRuntime().availableProcessors() * 2);

  private final Source source;
  private final TransferSettings settings;
  private final ProgressTracker progress;
  private final Backoff backoff;
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private final AtomicReference<WorkQueue> queue = new AtomicReference<>();
  private final java.util.concurrent.atomic.AtomicBoolean rangeNoticeGiven =
      new java.util.concurrent.atomic.AtomicBoolean();
  private Concurrency concurrency;
  private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();

  Scheduler(Source source, TransferSettings settings, ProgressTracker progress) {
    this.source = source;
    this.settings = settings;
    this.progress = progress;
    this.backoff = new Backoff(settings.maxBackoff());
  }

  /** Downloads and finishes every task; throws the first failure. */
  void run(List<FileTask> tasks, FileFinisher finisher)
      throws DownloadException, InterruptedException {
    int smallFiles =
        (int)
            tasks.stream()
                .filter(t -> !t.complete() && t.file().size() <= settings.minChunk())
                .count();
    this.concurrency =
        settings.adaptive()
            ? Concurrency.adaptive(settings.connections(), smallFiles)
            : Concurrency.fixed(settings.connections());
    WorkQueue queue = new WorkQueue(settings, concurrency::planned);
    this.queue.set(queue);
    tasks.forEach(queue::add);
    Thread journalAtExit =
        Thread.ofPlatform().name("journal-at-exit").unstarted(this::checkpointInFlight);
    Runtime.getRuntime().addShutdownHook(journalAtExit);
    try {
      runWorkers(tasks, finisher, queue);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(journalAtExit);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs (or ran) already
      }
    }
    Exception e = failure.get();
    if (e instanceof DownloadException de) {
      throw de;
    }
    if (e instanceof IOException io) {
      // Only the finisher (verify, rename into place) throws these: the network's are mapped in
      // fetch.
      throw DestinationFailure.of(io);
    }
    if (e != null) {
      throw new DownloadException(Failure.INTERNAL, "download failed: " + e, e);
    }
  }

  private void runWorkers(List<FileTask> tasks, FileFinisher finisher, WorkQueue queue)
      throws InterruptedException {
    // One platform thread per connection, not virtual threads: positional writes block in the
    // kernel (dirty-page throttling) and would pin the few carrier threads that also read the
    // sockets; measured through the bench's shaped link, platform threads were 8-28 % faster.
    try (ExecutorService workers =
            Executors.newFixedThreadPool(
                settings.connections(), Thread.ofPlatform().name("conn-", 0).daemon().factory());
        ExecutorService finishing =
            Executors.newFixedThreadPool(
                VERIFY_THREADS, Thread.ofPlatform().name("verify-", 0).daemon().factory())) {
      for (FileTask t : tasks) {
        if (t.complete()) {
          finishing.submit(
              () -> {
                try {
                  t.learn(source.digests(t.file()));
                } catch (IOException e) {
                  fail(queue, e);
                  return;
                }
                finish(t, queue, finisher);
              });
        }
      }
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < settings.connections(); i++) {
        running.add(workers.submit(() -> work(queue, finishing, finisher)));
      }
      for (Future<?> f : running) {
        try {
          f.get();
        } catch (java.util.concurrent.ExecutionException e) {
          fail(
              queue,
              e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause()));
        }
        if (failure.get() != null) {
          workers.shutdownNow();
          finishing.shutdownNow();
        }
      }
    }
  }

  private void fail(WorkQueue queue, Exception e) {
    if (failure.compareAndSet(null, e)) {
      queue.stop();
    }
  }

  /**
   * One connection: takes ranges while {@link Concurrency} lets it (there are more threads than it
   * allows at first).
   */
  private Void work(WorkQueue queue, ExecutorService finishing, FileFinisher finisher)
      throws Exception {
    ByteBuffer buffer = null;
    while (true) {
      concurrency.acquire();
      try {
        Chunk chunk = queue.take();
        if (chunk == null) {
          return null;
        }
        if (buffer == null) {
          buffer = ByteBuffer.allocate(TransferSettings.BUFFER_BYTES);
        }
        if (fetch(chunk, buffer)) {
          FileTask t = chunk.task();
          finishing.submit(() -> finish(t, queue, finisher));
        }
      } catch (Exception e) {
        fail(queue, e);
        throw e;
      } finally {
        concurrency.release();
      }
    }
  }

  private void finish(FileTask task, WorkQueue queue, FileFinisher finisher) {
    try {
      if (finisher.finish(task)) {
        queue.finished();
      } else {
        queue.retry(task);
      }
    } catch (Exception e) {
      fail(queue, e);
    }
  }

  /** Fetches a range with retries; returns true when it completed its file. */
  private boolean fetch(Chunk chunk, ByteBuffer buffer)
      throws DownloadException, InterruptedException {
    FileTask task = chunk.task();
    long pos = chunk.start();
    int failures = 0;
    while (true) {
      backoff.awaitOpen();
      long attemptStart = pos;
      InFlight range = new InFlight(task, pos);
      inFlight.add(range);
      try (Body body = source.open(task.file(), pos, chunk.end())) {
        task.learn(body.learned());
        InputStream in = body.stream();
        while (pos < chunk.end()) {
          buffer.clear().limit((int) Math.min(buffer.capacity(), chunk.end() - pos));
          int n = in.read(buffer.array(), 0, buffer.limit());
          if (n < 0) {
            throw SourceException.retryable(
                "connection closed after "
                    + (pos - chunk.start())
                    + " of "
                    + chunk.length()
                    + " bytes of "
                    + task.file().path(),
                null,
                0);
          }
          buffer.limit(n);
          writeAt(task, buffer, pos);
          pos += n;
          range.written(pos);
          progress.transferred(n);
          concurrency.transferred(n);
          if (task.file().ranged()
              && pos < chunk.end()
              && pos - range.journalled() >= settings.checkpointBytes()) {
            range.checkpoint();
          }
        }
        return range.checkpoint();
      } catch (SourceException e) {
        if (e.rangeIgnored()) {
          wholeFile(task, e);
          return false;
        }
        if (!e.retryable()) {
          throw new DownloadException(Failure.SOURCE, e.getMessage(), e);
        }
        failures = onRetryable(task, chunk, e, attemptStart, pos, range, failures, e.retryAfter());
      } catch (IOException e) {
        failures = onRetryable(task, chunk, e, attemptStart, pos, range, failures, null);
      } finally {
        inFlight.remove(range);
      }
      if (!task.file().ranged()) {
        pos = chunk.start();
        task.forgetDigest(); // the next attempt writes (and hashes) the file from its start again
      }
    }
  }

  /**
   * Journals the bytes every connection has written since its last checkpoint. Runs at JVM shutdown
   * (SIGTERM: a deleted pod, a drained node): a connection stalled or slow mid-range has written up
   * to {@code checkpointBytes} that would otherwise be fetched again by the next pull. After
   * SIGKILL (no hook) at most that much per connection is fetched again.
   */
  private void checkpointInFlight() {
    for (InFlight range : inFlight) {
      if (range.task.file().ranged()) {
        try {
          range.checkpoint();
        } catch (IOException e) {
          LOG.warn(
              "cannot journal {} at shutdown: {}",
              range.task.file().path(),
              Printable.escape(e.getMessage()));
        }
      }
    }
  }

  /**
   * One attempt at a range: how far its bytes are written and journalled. Its worker checkpoints it
   * every {@code checkpointBytes} and at its end; the shutdown hook may checkpoint it at any
   * moment.
   */
  private static final class InFlight {
    private final FileTask task;
    private volatile long written;
    private volatile long journalled;

    InFlight(FileTask task, long start) {
      this.task = task;
      this.written = start;
      this.journalled = start;
    }

    void written(long pos) {
      written = pos;
    }

    long journalled() {
      return journalled;
    }

    /**
     * Journals {@code [journalled, written)}; true when that completed the file. Nothing new to
     * journal (the shutdown hook got there first) completes nothing.
     */
    synchronized boolean checkpoint() throws IOException {
      long pos = written;
      if (pos == journalled) {
        return false;
      }
      boolean completed = task.record(journalled, pos);
      journalled = pos;
      return completed;
    }
  }

  /**
   * The server answered a ranged GET with the whole file: that file comes again as one whole-file
   * stream (no resume within it), still verified. Said once per pull.
   */
  private void wholeFile(FileTask task, SourceException e) throws DownloadException {
    try {
      long forgotten = task.wholeFile();
      if (forgotten < 0) {
        return;
      }
      progress.resumed(-forgotten);
      if (rangeNoticeGiven.compareAndSet(false, true)) {
        LOG.warn(
            "{}: the server ignores Range requests ({}); fetching such files as one whole-file"
                + " stream each, without resume within a file",
            task.file().path(),
            Printable.escape(e.getMessage()));
      }
      queue.get().wholeFile(task);
    } catch (IOException journalFailure) {
      throw new DownloadException(
          Failure.DESTINATION,
          "cannot reset the resume journal of "
              + task.file().path()
              + ": "
              + journalFailure.getMessage(),
          journalFailure);
    }
  }

  private int onRetryable(
      FileTask task,
      Chunk chunk,
      IOException e,
      long attemptStart,
      long pos,
      InFlight range,
      int failures,
      Duration retryAfter)
      throws DownloadException, InterruptedException {
    if (e instanceof DiskWriteFailed dw) {
      throw new DownloadException(Failure.DESTINATION, dw.getMessage(), dw.getCause());
    }
    concurrency.failed(
        retryAfter != null
            || e instanceof SourceException se && (se.status() == 429 || se.status() == 503));
    try {
      if (task.file().ranged()) {
        range.checkpoint();
      } else {
        progress.transferred(-(pos - chunk.start()));
      }
    } catch (IOException journalFailure) {
      throw new DownloadException(
          Failure.DESTINATION,
          "cannot write the resume journal: " + journalFailure.getMessage(),
          journalFailure);
    }
    int next = pos > attemptStart && task.file().ranged() ? 1 : failures + 1;
    if (next > settings.maxAttempts()) {
      throw new DownloadException(
          Failure.TRANSFER,
          "giving up on "
              + task.file().path()
              + " after "
              + settings.maxAttempts()
              + " failed attempts; last error: "
              + e.getMessage(),
          e);
    }
    Retry.refuseLongerThanBound(retryAfter, Failure.TRANSFER, task.file().path());
    Duration delay = backoff.delay(next, retryAfter);
    // Counted from when this request was refused: its own full Retry-After, whatever the gate says.
    long notBefore =
        (e instanceof SourceException se ? se.receivedAtNanos() : System.nanoTime())
            + delay.toNanos();
    if (retryAfter != null) {
      backoff.pauseAllUntil(notBefore);
    }
    LOG.warn(
        "retrying {} bytes {}-{} in {} ms (attempt {}/{}): {}",
        task.file().path(),
        pos,
        chunk.end(),
        delay.toMillis(),
        next + 1,
        settings.maxAttempts() + 1,
        Printable.escape(e.getMessage()));
    backoff.awaitUntil(notBefore);
    return next;
  }

  private static void writeAt(FileTask task, ByteBuffer buffer, long pos) throws DiskWriteFailed {
    try {
      task.write(buffer, pos);
    } catch (IOException e) {
      throw new DiskWriteFailed(
          "writing "
              + task.partial()
              + " failed: "
              + e.getMessage()
              + (String.valueOf(e.getMessage()).contains("space")
                  ? " (the volume is full: give it more space)"
                  : ""),
          e);
    }
  }

  /** A local write failed: not worth a retry against the source. */
  static final class DiskWriteFailed extends IOException {
    DiskWriteFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Verifies a completed file and moves it into place; false asks for a re-fetch. */
  interface FileFinisher {
    boolean finish(FileTask task) throws DownloadException, IOException;
  }
}
