package io.modelprefetch.bench.run;

import io.modelprefetch.fixtures.data.Datasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Checks that a download produced every dataset file with the right sha256 (tool metadata dirs are
 * ignored).
 */
public final class OutputVerifier {
  /** Empty when all files match; else a short reason naming the first bad file. */
  public Optional<String> check(Path dest, Map<String, String> expected) {
    int missing = 0;
    String first = null;
    for (var e : expected.entrySet()) {
      Path file = dest.resolve(e.getKey());
      String problem =
          !Files.isRegularFile(file)
              ? "missing"
              : !Datasets.sha256(file).equals(e.getValue()) ? "wrong sha256" : null;
      if (problem != null) {
        missing++;
        first = first == null ? e.getKey() + ": " + problem : first;
      }
    }
    return missing == 0 ? Optional.empty() : Optional.of(missing + " bad file(s), first " + first);
  }
}
