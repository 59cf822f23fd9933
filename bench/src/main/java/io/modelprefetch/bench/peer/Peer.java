package io.modelprefetch.bench.peer;

import io.modelprefetch.bench.data.Dataset;
import java.io.IOException;

/** A download tool with its best documented settings for one source. */
public interface Peer {
  /** Tool name as shown in the report, settings included when they matter. */
  String tool();

  Source source();

  /**
   * False when the tool cannot reasonably do this dataset over this source (absent from the row).
   */
  default boolean supports(Dataset dataset) {
    return true;
  }

  PeerCommand command(Job job) throws IOException;

  /** False for a tool that discards what it fetches (the ceiling): nothing to check on disk. */
  default boolean writesFiles() {
    return true;
  }

  default boolean isModelprefetch() {
    return tool().startsWith("modelprefetch");
  }
}
