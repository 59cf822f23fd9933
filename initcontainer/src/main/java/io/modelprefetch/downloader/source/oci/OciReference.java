package io.modelprefetch.downloader.source.oci;

import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code oci://registry[:port]/repository[:tag|@digest]}, parsed by the distribution spec's grammar
 * (lower-case repository path components, tags of at most 128 characters).
 *
 * @param registry host[:port] as given
 * @param repository the repository name (may contain '/')
 * @param reference a tag or a {@code sha256:} digest ({@code latest} when neither was given)
 */
public record OciReference(String registry, String repository, String reference) {
  private static final Pattern FORM =
      Pattern.compile(
          "oci://(?<registry>[A-Za-z0-9.-]+(?::[0-9]{1,5})?|\\[[0-9A-Fa-f:]+\\](?::[0-9]{1,5})?)"
              + "/(?<repo>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)"
              + "(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})|@(?<digest>sha256:[0-9a-f]{64}))?");
  static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  public static OciReference parse(String uri) throws DownloadException {
    Matcher m = FORM.matcher(uri);
    if (!m.matches()) {
      throw new DownloadException(
          Failure.USAGE,
          "invalid OCI reference '"
              + uri
              + "': expected oci://registry[:port]/repository[:tag|@sha256:<64 hex>] (repository in"
              + " lower case)");
    }
    String reference =
        m.group("digest") != null
            ? m.group("digest")
            : m.group("tag") != null ? m.group("tag") : "latest";
    return new OciReference(m.group("registry"), m.group("repo"), reference);
  }

  /** The same repository at another tag or digest ({@code --revision}). */
  public OciReference at(String revision) throws DownloadException {
    if (revision == null) {
      return this;
    }
    if (!DIGEST.matcher(revision).matches()
        && !revision.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")) {
      throw new DownloadException(
          Failure.USAGE,
          "--revision for oci:// must be a tag or sha256:<64 hex>, got '" + revision + "'");
    }
    return new OciReference(registry, repository, revision);
  }

  public boolean pinned() {
    return DIGEST.matcher(reference).matches();
  }

  /**
   * The registry's base URI: {@code endpoint} when given (a mirror, or {@code http://} for a
   * plain-HTTP registry), else https://registry, or http://registry with {@code plainHttp}.
   */
  public URI base(String endpoint, boolean plainHttp) {
    String base = endpoint != null ? endpoint : (plainHttp ? "http://" : "https://") + apiHost();
    return URI.create(base.endsWith("/") ? base : base + "/");
  }

  /** The host the registry API answers on (Docker Hub's differs from its name). */
  public String apiHost() {
    return registry.equals("docker.io") ? "registry-1.docker.io" : registry;
  }

  @Override
  public String toString() {
    return "oci://" + registry + "/" + repository + (pinned() ? "@" : ":") + reference;
  }
}
