package io.modelprefetch.downloader;

/** A failure a user can act on: its message is shown as is, its kind picks the exit code. */
public class DownloadException extends Exception {
  private final Failure failure;

  public DownloadException(Failure failure, String message) {
    super(message);
    this.failure = failure;
  }

  public DownloadException(Failure failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}
