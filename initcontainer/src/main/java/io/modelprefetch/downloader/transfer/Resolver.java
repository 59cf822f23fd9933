package io.modelprefetch.downloader.transfer;

import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.manifest.Listing;
import io.modelprefetch.downloader.source.Retry;
import io.modelprefetch.downloader.source.Source;

/**
 * Resolves a source with the same retry rules as the transfers (429s and 5xx are common here): a
 * source retries each listing request on its own ({@link Retry}); a failure outside those requests
 * retries the resolution.
 */
public final class Resolver {
  private final Source source;
  private final TransferSettings settings;

  public Resolver(Source source, TransferSettings settings) {
    this.source = source;
    this.settings = settings;
  }

  public Listing resolve() throws DownloadException, InterruptedException {
    Retry retry = new Retry(settings.maxAttempts(), settings.maxBackoff());
    return retry.send("resolving the source", () -> source.resolve(retry));
  }
}
