package io.modelprefetch.api.downloader;

import java.util.Arrays;
import java.util.List;

/**
 * The exit codes of the {@code modelprefetch} CLI (README "Exit codes"), the condition reason the
 * operator reports for each, and whether another attempt could help.
 */
public enum ExitCode {
  SUCCESS(0, "Downloaded", false),
  /** Unexpected internal error. */
  INTERNAL(1, "DownloadFailed", false),
  /** Invalid arguments. */
  USAGE(2, "InvalidArguments", true),
  /**
   * The source could not be resolved or refused us: not found, no access, unsafe or empty listing.
   */
  SOURCE(3, "SourceError", true),
  /** A transfer gave up after its retries. */
  TRANSFER(4, "TransferFailed", false),
  /** A file's bytes did not match its digest, also after one re-fetch. */
  VERIFY(5, "VerificationFailed", true),
  /** The destination is unwritable, full, or contains a symlink that is never followed. */
  DESTINATION(6, "DestinationError", true),
  /** {@code wait} timed out. */
  TIMEOUT(7, "WaitTimedOut", false);

  private final int code;
  private final String reason;
  private final boolean permanent;

  ExitCode(int code, String reason, boolean permanent) {
    this.code = code;
    this.reason = reason;
    this.permanent = permanent;
  }

  public int code() {
    return code;
  }

  /** The condition reason for a pull that ended with this code. */
  public String reason() {
    return reason;
  }

  /** True when retrying the same pull cannot succeed (the download Job fails at once). */
  public boolean permanent() {
    return permanent;
  }

  /**
   * The condition reason for any exit code; codes the CLI does not use (a kill, 137) count as
   * internal.
   */
  public static String reasonFor(int code) {
    return Arrays.stream(values()).filter(c -> c.code == code).findFirst().orElse(INTERNAL).reason;
  }

  /** The codes after which the download Job fails without another attempt. */
  public static List<Integer> permanentCodes() {
    return Arrays.stream(values()).filter(ExitCode::permanent).map(ExitCode::code).toList();
  }
}
