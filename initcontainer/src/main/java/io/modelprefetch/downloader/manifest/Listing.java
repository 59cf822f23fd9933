package io.modelprefetch.downloader.manifest;

import java.util.List;

/**
 * What a source holds at one pinned revision, as it resolved it: everything a pull needs to fetch
 * the same bytes again. Not to be confused with the completion manifest ({@link Completion}, {@code
 * .modelprefetch/manifest.json}): that records what a finished pull put in place.
 *
 * @param source the source URI as given
 * @param revision the resolved revision (commit, listing fingerprint or ETag)
 * @param files the files, in listing order
 */
public record Listing(String source, String revision, List<RemoteFile> files) {

  public long totalBytes() {
    return files.stream().mapToLong(RemoteFile::size).sum();
  }
}
