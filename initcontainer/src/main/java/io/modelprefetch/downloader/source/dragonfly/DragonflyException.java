package io.modelprefetch.downloader.source.dragonfly;

import java.io.IOException;

/** The node's Dragonfly client could not serve a request (unreachable, or an error it reported). */
public final class DragonflyException extends IOException {
  public DragonflyException(String message, Throwable cause) {
    super(message, cause);
  }
}
