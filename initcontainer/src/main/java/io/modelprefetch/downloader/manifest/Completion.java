package io.modelprefetch.downloader.manifest;

import java.util.List;

/**
 * The completion manifest ({@code .modelprefetch/manifest.json}), written last into the
 * destination: its presence means every file listed is in place and verified. "Manifest" in this
 * project means this record; what a source lists is a {@link Listing}.
 *
 * @param source the source URI
 * @param revision the resolved revision
 * @param completedAt RFC 3339 time of completion
 * @param totalBytes sum of file sizes
 * @param files the files with their sizes and verified digests
 */
public record Completion(
    String source,
    String revision,
    String completedAt,
    long totalBytes,
    List<CompletedFile> files) {

  /**
   * A file in place.
   *
   * @param digests what its bytes hash to: the sha256 the pull computed first, then the source's
   *     digest they were checked against (e.g. a composite {@code crc32c:…;parts=…} of an S3
   *     object)
   * @param verifiedBy how the pull checked it, e.g. {@code "crc32c of 3 parts from the source"} or
   *     {@code "size only (the source gives no digest)"}; null in manifests of older versions
   */
  public record CompletedFile(
      String path, long size, List<Digest> digests, String version, String verifiedBy) {

    public CompletedFile(String path, long size, List<Digest> digests, String version) {
      this(path, size, digests, version, null);
    }
  }
}
