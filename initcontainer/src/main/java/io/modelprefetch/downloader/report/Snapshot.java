package io.modelprefetch.downloader.report;

import io.modelprefetch.api.v1alpha1.Phase;

/**
 * Progress at one moment.
 *
 * @param bytesDone bytes on disk (resumed and reused bytes included)
 * @param bytesTotal bytes of all files
 * @param filesDone files verified and in place
 * @param filesTotal files in the listing
 * @param bytesPerSecond download speed over the last few seconds
 * @param etaSeconds seconds to go at that speed, or -1 when unknown
 * @param elapsedMillis time since the download started
 * @param transferred bytes fetched from the network by this process
 * @param phase Resolving (no listing yet), Downloading, or Verifying (every byte fetched: files
 *     being hashed and moved into place, until the process exits)
 */
public record Snapshot(
    long bytesDone,
    long bytesTotal,
    int filesDone,
    int filesTotal,
    long bytesPerSecond,
    long etaSeconds,
    long elapsedMillis,
    long transferred,
    Phase phase) {

  /** Average download speed since the start (for final reports). */
  public long averageBytesPerSecond() {
    return elapsedMillis <= 0 ? 0 : transferred * 1000 / elapsedMillis;
  }

  /** The same snapshot with the average speed in place of the recent one. */
  public Snapshot withAverageSpeed() {
    return new Snapshot(
        bytesDone,
        bytesTotal,
        filesDone,
        filesTotal,
        averageBytesPerSecond(),
        0,
        elapsedMillis,
        transferred,
        phase);
  }

  /**
   * Bytes done of the total; with nothing to count (not resolved yet, or only empty files) 100 %
   * only once every file is done.
   */
  public String percent() {
    if (bytesTotal == 0) {
      return filesTotal > 0 && filesDone == filesTotal ? "100%" : "0%";
    }
    return Human.percent(bytesDone, bytesTotal);
  }
}
