package io.modelprefetch.downloader.manifest;

import java.util.List;

/**
 * The completion manifest, written last into the destination: its presence means every file
 * listed is in place and verified.
 *
 * @param source the source URI
 * @param revision the resolved revision
 * @param completedAt RFC 3339 time of completion
 * @param totalBytes sum of file sizes
 * @param files the files with their sizes and verified digests
 */
public record Completion(
    String source, String revision, String completedAt, long totalBytes, List<CompletedFile> files) {

  /** A file in place. */
  public record CompletedFile(String path, long size, List<Digest> digests, String version) {}
}
