package io.modelprefetch.downloader.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Instant;

/** One JSON object per line: machine-readable progress for logs and the operator. */
public final class JsonLinesSink implements ProgressSink {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final PrintStream out;

  public JsonLinesSink(PrintStream out) {
    this.out = out;
  }

  @Override
  public void progress(Snapshot s) {
    out.println(line("progress", s, null));
  }

  @Override
  public void finished(Snapshot s, String error) {
    out.println(line(error == null ? "done" : "failed", s, error));
  }

  static String line(String event, Snapshot s, String error) {
    ObjectNode n = JSON.createObjectNode();
    n.put("time", Instant.now().toString());
    n.put("event", event);
    n.put("bytesDone", s.bytesDone());
    n.put("bytesTotal", s.bytesTotal());
    n.put("filesDone", s.filesDone());
    n.put("filesTotal", s.filesTotal());
    n.put("bytesPerSecond", s.bytesPerSecond());
    n.put("etaSeconds", s.etaSeconds());
    n.put("percent", s.percent());
    n.put("speed", Human.rate(s.bytesPerSecond()));
    n.put("eta", Human.duration(s.etaSeconds()));
    n.put("elapsedSeconds", s.elapsedMillis() / 1000.0);
    n.put("transferredBytes", s.transferred());
    if (error != null) {
      n.put("error", error);
    }
    return n.toString();
  }
}
