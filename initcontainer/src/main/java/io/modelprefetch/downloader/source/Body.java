package io.modelprefetch.downloader.source;

import io.modelprefetch.downloader.manifest.Digest;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * An open response body.
 *
 * @param stream the bytes requested, and nothing else
 * @param learned digests of the whole file that came with this response (e.g. S3 checksums)
 * @param closer releases the connection (aborts it when the body was not read to its end)
 */
public record Body(InputStream stream, List<Digest> learned, Closeable closer)
    implements Closeable {

  public Body(InputStream stream, Closeable closer) {
    this(stream, List.of(), closer);
  }

  @Override
  public void close() throws IOException {
    closer.close();
  }
}
