package io.modelprefetch.downloader.report;

import java.io.PrintStream;

/** A single line rewritten in place, for people at a terminal. */
public final class TerminalSink implements ProgressSink {
  private final PrintStream out;

  public TerminalSink(PrintStream out) {
    this.out = out;
  }

  @Override
  public void progress(Snapshot s) {
    out.print("\r\033[2K" + text(s));
    out.flush();
  }

  @Override
  public void finished(Snapshot s, String error) {
    out.println("\r\033[2K" + text(s) + (error == null ? "  done" : "  FAILED"));
  }

  static String text(Snapshot s) {
    return String.format(
        "%5s  %s / %s  %s  ETA %s  files %d/%d",
        s.percent(),
        Human.bytes(s.bytesDone()),
        Human.bytes(s.bytesTotal()),
        Human.rate(s.bytesPerSecond()),
        s.etaSeconds() < 0 ? "?" : Human.duration(s.etaSeconds()),
        s.filesDone(),
        s.filesTotal());
  }
}
