package io.modelprefetch.downloader;

/**
 * A failure a user can act on: its message is shown as is (escaped by {@link Printable}: it may
 * quote remote text), its kind picks the exit code.
 */
public class DownloadException extends Exception {
  private final Failure failure;

  public DownloadException(Failure failure, String message) {
    super(Printable.escape(message));
    this.failure = failure;
  }

  public DownloadException(Failure failure, String message, Throwable cause) {
    super(Printable.escape(message), cause);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}
