package io.modelprefetch.downloader.verify;

import io.modelprefetch.downloader.manifest.Digest;
import io.modelprefetch.downloader.manifest.RemoteFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A downloaded file waiting for its check ({@link Verifier}): its staged bytes and its resume
 * state.
 */
public interface Candidate {
  RemoteFile file();

  /** Where its bytes are staged until they are verified. */
  Path partial();

  /** Digests of the staged bytes, of the kinds asked ({@link Verification.Hasher}). */
  List<Digest> digests(List<Digest> kinds) throws IOException;

  /** Stops writing to the staged file. */
  void close() throws IOException;

  /** Whether it was fetched again after a mismatch already. */
  boolean refetched();

  void markRefetched();

  /** Forgets everything written: the next attempt fetches the whole file again. */
  void restart() throws IOException;

  /** Drops its resume journal once it is in place (the verified log speaks for it then). */
  void discardJournal() throws IOException;
}
