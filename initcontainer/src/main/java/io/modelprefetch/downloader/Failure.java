package io.modelprefetch.downloader;

/**
 * Why a command failed; each kind maps to one documented exit code.
 */
public enum Failure {
  /** Unexpected internal error. */
  INTERNAL(1),
  /** Invalid arguments. */
  USAGE(2),
  /** The source could not be resolved or refused us: not found, no access, unsafe listing. */
  SOURCE(3),
  /** A transfer gave up after its retries. */
  TRANSFER(4),
  /** A file's bytes did not match its digest, also after one re-fetch. */
  VERIFY(5),
  /** The destination is unwritable, full, or contains a symlink we refuse to follow. */
  DESTINATION(6),
  /** {@code wait} timed out. */
  TIMEOUT(7);

  private final int exitCode;

  Failure(int exitCode) {
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
