package io.modelprefetch.downloader.source;

import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.manifest.Digest;
import io.modelprefetch.downloader.manifest.Listing;
import io.modelprefetch.downloader.manifest.RemoteFile;
import java.io.IOException;
import java.util.List;

/** A place files come from: resolves to a pinned listing, then serves byte ranges of its files. */
public interface Source extends AutoCloseable {

  /**
   * Lists the files (filtered) at a pinned revision; a source that needs several requests sends
   * each through {@code retry}, so one refused page does not cost the pages already read.
   */
  Listing resolve(Retry retry) throws DownloadException, IOException, InterruptedException;

  /**
   * Opens bytes {@code [from, to)} of the file; for a file that is not {@link RemoteFile#ranged()},
   * only the whole file ({@code from == 0}) can be opened.
   *
   * @throws SourceException when the source answered with an error (retryable or not)
   * @throws IOException when the connection failed (retryable)
   */
  Body open(RemoteFile file, long from, long to) throws IOException, InterruptedException;

  /**
   * Digests of the whole file that the source tells only when asked (like {@link Body#learned()}),
   * for a file whose bytes are all on disk already (resumed) and so is never opened.
   */
  default List<Digest> digests(RemoteFile file) throws IOException {
    return List.of();
  }

  @Override
  void close();
}
