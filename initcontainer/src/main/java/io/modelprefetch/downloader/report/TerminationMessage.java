package io.modelprefetch.downloader.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelprefetch.downloader.source.dragonfly.DragonflyRoute;
import java.util.function.Supplier;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A short JSON summary in the file Kubernetes shows in the pod status
 * ({@code terminationMessagePath}, at most 4 KiB).
 */
public final class TerminationMessage implements ProgressSink {
  private static final int LIMIT = 4096;
  private final Path path;
  private final ObjectMapper json = new ObjectMapper();
  private String revision;
  private Supplier<DragonflyRoute.Split> split = () -> null;

  public TerminationMessage(Path path) {
    this.path = path;
  }

  /** Where the bytes came from (peers vs origin), reported when the pull goes through Dragonfly. */
  public void split(Supplier<DragonflyRoute.Split> split) {
    this.split = split;
  }

  public void revision(String revision) {
    this.revision = revision;
  }

  @Override
  public void progress(Snapshot snapshot) {}

  @Override
  public void finished(Snapshot s, String error) {
    ObjectNode n = json.createObjectNode();
    n.put("status", error == null ? "done" : "failed");
    if (revision != null) {
      n.put("revision", revision);
    }
    n.put("files", s.filesTotal());
    n.put("bytes", s.bytesTotal());
    n.put("transferredBytes", s.transferred());
    n.put("seconds", s.elapsedMillis() / 1000.0);
    DragonflyRoute.Split from = split.get();
    if (from != null && from.fromPeers() != null) {
      n.put("bytesFromPeers", from.fromPeers());
      n.put("bytesFromOrigin", from.fromOrigin());
    }
    if (error != null) {
      n.put("error", error.length() > 3000 ? error.substring(0, 3000) + "…" : error);
    }
    byte[] bytes = n.toString().getBytes(StandardCharsets.UTF_8);
    try {
      Files.write(path, bytes.length > LIMIT ? java.util.Arrays.copyOf(bytes, LIMIT) : bytes);
    } catch (IOException e) {
      System.err.println("cannot write the termination message to " + path + ": " + e.getMessage());
    }
  }
}
