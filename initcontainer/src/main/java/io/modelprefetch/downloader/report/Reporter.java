package io.modelprefetch.downloader.report;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Sends snapshots to the sinks at a fixed, bounded rate, and a final one at the end. */
public final class Reporter implements AutoCloseable {
  private final ProgressTracker tracker;
  private final List<ProgressSink> sinks;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("progress").daemon().factory());

  public Reporter(ProgressTracker tracker, List<ProgressSink> sinks, Duration interval) {
    this.tracker = tracker;
    this.sinks = sinks;
    timer.scheduleAtFixedRate(
        this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tick() {
    Snapshot s = tracker.snapshot();
    for (ProgressSink sink : sinks) {
      try {
        sink.progress(s);
      } catch (RuntimeException e) {
        // A sink must never stop the download; it reports again at the next tick.
      }
    }
  }

  /** Stops the timer and sends the final snapshot; {@code error} null means success. */
  public void finish(String error) {
    timer.shutdownNow();
    Snapshot s = tracker.snapshot().withAverageSpeed();
    sinks.forEach(sink -> sink.finished(s, error));
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
