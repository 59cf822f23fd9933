package io.modelprefetch.downloader.manifest;

import java.util.List;

/**
 * A pinned listing: everything a pull needs to fetch the same bytes again.
 *
 * @param source the source URI as given
 * @param revision the resolved revision (commit, listing fingerprint or ETag)
 * @param files the files, in listing order
 */
public record Manifest(String source, String revision, List<RemoteFile> files) {

  public long totalBytes() {
    return files.stream().mapToLong(RemoteFile::size).sum();
  }
}
