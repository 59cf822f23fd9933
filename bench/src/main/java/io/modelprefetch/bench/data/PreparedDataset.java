package io.modelprefetch.bench.data;

import java.nio.file.Path;
import java.util.Map;

/**
 * A dataset on disk: its files under {@code files}, an S3Proxy filesystem store under {@code
 * s3Store} (seeded once) and the expected sha256 of every relative path.
 */
public record PreparedDataset(
    Dataset dataset, Path files, Path s3Store, Map<String, String> sha256) {
  public PreparedDataset {
    sha256 = Map.copyOf(sha256);
  }

  /** Bucket name in the S3 store: the dataset name is already a valid one. */
  public String bucket() {
    return dataset.name();
  }
}
