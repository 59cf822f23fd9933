package io.modelprefetch.downloader;

import io.modelprefetch.api.downloader.ExitCode;

/**
 * Why a command failed; each kind maps to one documented exit code, defined with the operator's
 * side of the contract in {@link ExitCode}.
 */
public enum Failure {
  /** Unexpected internal error. */
  INTERNAL(ExitCode.INTERNAL),
  /** Invalid arguments. */
  USAGE(ExitCode.USAGE),
  /** The source could not be resolved or refused us: not found, no access, unsafe listing. */
  SOURCE(ExitCode.SOURCE),
  /** A transfer gave up after its retries. */
  TRANSFER(ExitCode.TRANSFER),
  /** A file's bytes did not match its digest, also after one re-fetch. */
  VERIFY(ExitCode.VERIFY),
  /** The destination is unwritable, full, or contains a symlink we refuse to follow. */
  DESTINATION(ExitCode.DESTINATION),
  /** {@code wait} timed out. */
  TIMEOUT(ExitCode.TIMEOUT);

  private final ExitCode exitCode;

  Failure(ExitCode exitCode) {
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode.code();
  }
}
