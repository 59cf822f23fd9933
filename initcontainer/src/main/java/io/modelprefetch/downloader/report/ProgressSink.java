package io.modelprefetch.downloader.report;

/** Somewhere progress goes: stdout as JSON lines, a terminal line, the ModelArtifact status. */
public interface ProgressSink {
  void progress(Snapshot snapshot);

  /** The final snapshot; {@code error} is null on success. */
  default void finished(Snapshot snapshot, String error) {
    progress(snapshot);
  }
}
