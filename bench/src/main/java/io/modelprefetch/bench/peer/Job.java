package io.modelprefetch.bench.peer;

import io.modelprefetch.bench.data.PreparedDataset;
import io.modelprefetch.bench.origin.Endpoints;
import java.nio.file.Path;

/**
 * One download to perform: from which origins, which dataset, into which empty directory; scratch
 * is for list files.
 */
public record Job(Endpoints endpoints, PreparedDataset data, Path dest, Path scratch) {
  public java.util.Map<String, String> s3Env() {
    return java.util.Map.of(
        "AWS_ACCESS_KEY_ID",
        endpoints.accessKey(),
        "AWS_SECRET_ACCESS_KEY",
        endpoints.secretKey(),
        "AWS_REGION",
        endpoints.region(),
        "AWS_DEFAULT_REGION",
        endpoints.region(),
        "AWS_EC2_METADATA_DISABLED",
        "true");
  }
}
