package io.modelprefetch.downloader.manifest;

import java.util.List;

/**
 * One file of a resolved source.
 *
 * @param path where it lands, relative to the destination (checked by {@link SafePath})
 * @param size its length in bytes
 * @param digests what its bytes must hash to (may be empty: then only the size is checked)
 * @param locator where the source finds it: repo path, object key or URL
 * @param version identity of this content at the source (LFS sha256, git sha1, ETag); a resume
 *     journal is only reused for the same version
 * @param ranged whether the source serves byte ranges of it
 */
public record RemoteFile(
    String path, long size, List<Digest> digests, String locator, String version, boolean ranged) {

  public RemoteFile {
    digests = digests.stream().sorted().toList();
  }

  /** What a resume journal and the verified log belong to: this size and version of the file. */
  public String identity() {
    return size + ":" + (version == null ? "" : version);
  }

  /** The strongest digest known, or null. */
  public Digest strongestDigest() {
    return digests.isEmpty() ? null : digests.getFirst();
  }

  public RemoteFile withDigests(List<Digest> newDigests) {
    return new RemoteFile(path, size, newDigests, locator, version, ranged);
  }

  public RemoteFile withRanged(boolean byteRanges) {
    return new RemoteFile(path, size, digests, locator, version, byteRanges);
  }
}
