package io.modelprefetch.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A snapshot of download progress, patched by the downloader at most every two seconds. */
public record Progress(
    @JsonPropertyDescription("what the downloader is doing: Resolving, Downloading or Verifying")
        Phase phase,
    @JsonPropertyDescription("bytes written and journalled (resumed bytes included)")
        Long bytesDone,
    @JsonPropertyDescription("bytes of all files") Long bytesTotal,
    @JsonPropertyDescription("files verified and in place") Integer filesDone,
    @JsonPropertyDescription("files in the manifest") Integer filesTotal,
    @JsonPropertyDescription("recent download speed") Long bytesPerSecond,
    @JsonPropertyDescription("estimated seconds to completion at the recent speed") Long etaSeconds,
    @JsonPropertyDescription("bytesDone of bytesTotal for humans, e.g. 42%") String percent,
    @JsonPropertyDescription("bytesPerSecond for humans, e.g. 180 MiB/s") String speed,
    @JsonPropertyDescription("etaSeconds for humans, e.g. 3m20s") String eta,
    @JsonPropertyDescription("when this snapshot was taken (RFC 3339)") String updatedAt,
    @JsonPropertyDescription(
            "through Dragonfly: bytes this pull got from other nodes or the node's Dragonfly cache"
                + " (from dfdaemon's counters; absent without Dragonfly)")
        Long bytesFromPeers,
    @JsonPropertyDescription(
            "through Dragonfly: bytes this pull's node fetched from the origin, directly or by"
                + " dfdaemon's back-to-source (absent without Dragonfly)")
        Long bytesFromOrigin) {

  /** A snapshot of a pull that does not go through Dragonfly. */
  public Progress(
      Phase phase,
      Long bytesDone,
      Long bytesTotal,
      Integer filesDone,
      Integer filesTotal,
      Long bytesPerSecond,
      Long etaSeconds,
      String percent,
      String speed,
      String eta,
      String updatedAt) {
    this(
        phase,
        bytesDone,
        bytesTotal,
        filesDone,
        filesTotal,
        bytesPerSecond,
        etaSeconds,
        percent,
        speed,
        eta,
        updatedAt,
        null,
        null);
  }
}
