package io.modelprefetch.bench.peer;

/** The protocol a peer downloads over. */
public enum Source {
  HF("hf"),
  S3("s3"),
  HTTP("http");

  private final String label;

  Source(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
