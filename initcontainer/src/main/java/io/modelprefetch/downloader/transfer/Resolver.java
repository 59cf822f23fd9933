package io.modelprefetch.downloader.transfer;

import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import io.modelprefetch.downloader.manifest.Manifest;
import io.modelprefetch.downloader.source.Source;
import io.modelprefetch.downloader.source.SourceException;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Resolves a source with the same retry rules as the transfers (429s and 5xx are common here). */
public final class Resolver {
  private static final Logger LOG = LoggerFactory.getLogger(Resolver.class);
  private final Source source;
  private final TransferSettings settings;

  public Resolver(Source source, TransferSettings settings) {
    this.source = source;
    this.settings = settings;
  }

  public Manifest resolve() throws DownloadException, InterruptedException {
    Backoff backoff = new Backoff(settings.maxBackoff());
    for (int failures = 1; ; failures++) {
      IOException last;
      Duration retryAfter = null;
      try {
        return source.resolve();
      } catch (SourceException e) {
        if (!e.retryable()) {
          throw new DownloadException(Failure.SOURCE, e.getMessage(), e);
        }
        last = e;
        retryAfter = e.retryAfter();
      } catch (IOException e) {
        last = e;
      }
      if (failures > settings.maxAttempts()) {
        throw new DownloadException(Failure.SOURCE, "cannot resolve the source after " + failures
            + " attempts: " + last.getMessage(), last);
      }
      Duration delay = backoff.delay(failures, retryAfter);
      LOG.warn("resolving failed ({}); retrying in {} ms", last.getMessage(), delay.toMillis());
      Thread.sleep(delay);
    }
  }
}
