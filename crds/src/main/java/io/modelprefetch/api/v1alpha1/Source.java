package io.modelprefetch.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/**
 * Where the files come from.
 */
public record Source(
    @Required @Pattern("^(hf://[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*|s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?|https?://[^/\\s]+/.*)$") @JsonPropertyDescription("hf://org/repo, s3://bucket/prefix/ or https://host/path/file") String uri,
    @JsonPropertyDescription("for hf:// a branch, tag or commit (resolved once to a commit, stored in status.resolved.revision, so every pod gets the same bytes); ignored for other schemes") String revision,
    @JsonPropertyDescription("glob patterns of paths to fetch (all files when empty)") List<String> include,
    @JsonPropertyDescription("glob patterns of paths to skip, applied after include") List<String> exclude,
    @JsonPropertyDescription("a Secret in the same namespace: HF_TOKEN for hf://, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and optional AWS_SESSION_TOKEN) for s3://, BEARER_TOKEN for https://") String credentialsSecret,
    @JsonPropertyDescription("override of the service endpoint: an HF mirror for hf://, an S3-compatible endpoint for s3:// (path-style addressing is used when set)") String endpoint,
    @JsonPropertyDescription("S3 region (default us-east-1 when an endpoint is set)") String region,
    @Pattern("^[0-9a-f]{64}$") @JsonPropertyDescription("expected SHA-256 of the file for https:// sources") String sha256,
    @JsonPropertyDescription("false fetches straight from the origin even where the operator routes hf:// and https:// downloads through the node's Dragonfly client (default true)") Boolean dragonfly) {

  /** A source that follows the operator's Dragonfly setting. */
  public Source(String uri, String revision, List<String> include, List<String> exclude, String credentialsSecret,
      String endpoint, String region, String sha256) {
    this(uri, revision, include, exclude, credentialsSecret, endpoint, region, sha256, null);
  }
}
