package io.modelprefetch.downloader.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelprefetch.api.downloader.TerminationMessage;
import io.modelprefetch.downloader.source.dragonfly.DragonflyRoute;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * A short JSON summary in the file Kubernetes shows in the pod status ({@code
 * terminationMessagePath}): the contract's {@link TerminationMessage}, serialised.
 */
public final class TerminationMessageSink implements ProgressSink {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path path;
  private String revision;
  private Supplier<DragonflyRoute.Split> split = () -> null;

  public TerminationMessageSink(Path path) {
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
    byte[] bytes = json(s, error).getBytes(StandardCharsets.UTF_8);
    int limit = TerminationMessage.MAX_BYTES;
    try {
      Files.write(path, bytes.length > limit ? Arrays.copyOf(bytes, limit) : bytes);
    } catch (IOException e) {
      System.err.println("cannot write the termination message to " + path + ": " + e.getMessage());
    }
  }

  String json(Snapshot s, String error) {
    int maxError = TerminationMessage.MAX_ERROR_CHARS;
    String shown =
        error == null || error.length() <= maxError ? error : error.substring(0, maxError) + "…";
    DragonflyRoute.Split from = split.get();
    boolean peers = from != null && from.fromPeers() != null;
    var message =
        new TerminationMessage(
            error == null ? TerminationMessage.DONE : TerminationMessage.FAILED,
            revision,
            s.filesTotal(),
            s.bytesTotal(),
            s.transferred(),
            s.elapsedMillis() / 1000.0,
            shown,
            peers ? from.fromPeers() : null,
            peers ? from.fromOrigin() : null);
    try {
      return JSON.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a record of strings and numbers always serialises", e);
    }
  }
}
