package io.modelprefetch.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** Where the files come from. */
public record Source(
    @Required
        @Pattern(
            "^(hf://[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*|s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?|https?://[^/\\s]+/.*|oci://[A-Za-z0-9.:\\[\\]-]+/[a-z0-9]+([._/-]+[a-z0-9]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})?)$")
        @JsonPropertyDescription(
            "hf://org/repo, s3://bucket/prefix/, https://host/path/file or"
                + " oci://registry[:port]/repository[:tag|@sha256:digest] (a ModelPack artifact or"
                + " an image whose layers hold the model)")
        String uri,
    @JsonPropertyDescription(
            "for hf:// a branch, tag or commit (resolved once to a commit, stored in"
                + " status.resolved.revision, so every pod gets the same bytes); for oci:// a tag"
                + " or sha256 digest overriding the URI's (resolved once to the manifest digest,"
                + " stored the same way); ignored for other schemes")
        String revision,
    @JsonPropertyDescription("glob patterns of paths to fetch (all files when empty)")
        List<String> include,
    @JsonPropertyDescription("glob patterns of paths to skip, applied after include")
        List<String> exclude,
    @JsonPropertyDescription(
            "a Secret in the same namespace: HF_TOKEN for hf://,"
                + " AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (and optional AWS_SESSION_TOKEN) for"
                + " s3://, BEARER_TOKEN for https://, .dockerconfigjson (a"
                + " kubernetes.io/dockerconfigjson Secret) for oci://")
        String credentialsSecret,
    @JsonPropertyDescription(
            "override of the service endpoint: an HF mirror for hf://, an S3-compatible endpoint"
                + " for s3:// (path-style addressing is used when set), the registry's base URL for"
                + " oci:// (http://host:port for a plain-HTTP registry; default"
                + " https://<registry>)")
        String endpoint,
    @JsonPropertyDescription("S3 region (default us-east-1 when an endpoint is set)") String region,
    @Pattern("^[0-9a-f]{64}$")
        @JsonPropertyDescription("expected SHA-256 of the file for https:// sources")
        String sha256,
    @Pattern("^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$")
        @JsonPropertyDescription(
            "for oci:// image indexes: the os/arch[/variant] to pull (default linux/amd64 or the"
                + " downloader's own architecture)")
        String platform,
    @JsonPropertyDescription(
            "false fetches straight from the origin even where the operator routes hf:// and"
                + " https:// downloads through the node's Dragonfly client (default true)")
        Boolean dragonfly) {

  /** A source with no platform that follows the operator's Dragonfly setting. */
  public Source(
      String uri,
      String revision,
      List<String> include,
      List<String> exclude,
      String credentialsSecret,
      String endpoint,
      String region,
      String sha256) {
    this(uri, revision, include, exclude, credentialsSecret, endpoint, region, sha256, null, null);
  }

  /** Whether the revision is resolved once and pinned (a Hub commit, an OCI manifest digest). */
  public boolean pinsRevision() {
    return uri.startsWith("hf://") || uri.startsWith("oci://");
  }
}
