package io.modelprefetch.downloader.source;

import java.time.Duration;
import java.util.List;

/**
 * What a pull asks of a source.
 *
 * @param uri the source URI
 * @param revision hf:// branch, tag or commit (null: main)
 * @param include include globs
 * @param exclude exclude globs
 * @param endpoint endpoint override (HF mirror, S3-compatible endpoint), or null
 * @param region S3 region, or null
 * @param token bearer token (HF token or HTTP bearer), or null; never logged
 * @param sha256 expected sha256 for a single https:// file, or null
 * @param connections connection budget (sizes the HTTP connection pools)
 * @param stallTimeout a read that receives no byte for this long fails and is re-issued
 */
public record SourceOptions(
    String uri,
    String revision,
    List<String> include,
    List<String> exclude,
    String endpoint,
    String region,
    String token,
    String sha256,
    int connections,
    Duration stallTimeout) {

  @Override
  public String toString() {
    return "SourceOptions[uri="
        + uri
        + ", revision="
        + revision
        + ", endpoint="
        + endpoint
        + ", token="
        + (token == null ? "none" : "***")
        + "]";
  }
}
