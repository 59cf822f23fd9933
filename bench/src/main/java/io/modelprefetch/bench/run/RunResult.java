package io.modelprefetch.bench.run;

/**
 * One run of one peer on one dataset over one source through one named link shape; {@code error} is
 * null when the bytes were right.
 */
public record RunResult(
    String tool,
    String source,
    String dataset,
    String link,
    int run,
    long bytes,
    Measurement measurement,
    String error) {
  public boolean ok() {
    return error == null;
  }
}
