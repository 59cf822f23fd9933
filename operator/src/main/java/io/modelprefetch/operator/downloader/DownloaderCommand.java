package io.modelprefetch.operator.downloader;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.modelprefetch.api.v1alpha1.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The downloader's command line and credentials for a source: one definition for the operator's
 * download Job and the webhook's per-pod download, so both fetch exactly the same way.
 */
public final class DownloaderCommand {
  /** Where Kubernetes reads a container's termination message from. */
  public static final String TERMINATION_LOG = "/dev/termination-log";

  /** The downloader's variable for a docker config JSON (oci:// registry credentials). */
  public static final String REGISTRY_AUTH_ENV = "MODELPREFETCH_REGISTRY_AUTH";

  private DownloaderCommand() {}

  /**
   * {@code pull <uri> --dest <dest> [--revision <revision>] [--include …] [--exclude …] …}; the
   * image's entrypoint is the CLI.
   *
   * @param revision the revision to pin, or null
   */
  public static List<String> pullArgs(Source s, String dest, String revision) {
    return pullArgs(s, false, dest, revision);
  }

  /**
   * As {@link #pullArgs(Source, String, String)}; {@code hfCache} adds {@code --layout hf-cache}.
   */
  public static List<String> pullArgs(Source s, boolean hfCache, String dest, String revision) {
    List<String> args = new ArrayList<>(List.of("pull", s.uri(), "--dest", dest));
    if (hfCache) {
      args.addAll(List.of("--layout", "hf-cache"));
    }
    if (s.platform() != null) {
      args.addAll(List.of("--platform", s.platform()));
    }
    if (revision != null) {
      args.addAll(List.of("--revision", revision));
    }
    for (String glob : s.include() == null ? List.<String>of() : s.include()) {
      args.addAll(List.of("--include", glob));
    }
    for (String glob : s.exclude() == null ? List.<String>of() : s.exclude()) {
      args.addAll(List.of("--exclude", glob));
    }
    if (s.endpoint() != null) {
      args.addAll(List.of("--endpoint", s.endpoint()));
    }
    if (s.region() != null) {
      args.addAll(List.of("--region", s.region()));
    }
    if (s.sha256() != null) {
      args.addAll(List.of("--sha256", s.sha256()));
    }
    args.addAll(List.of("--progress", "json", "--termination-message-path", TERMINATION_LOG));
    return args;
  }

  /**
   * The environment that sends a pull through the node's Dragonfly client: {@code NODE_IP} (the
   * node's address, where a hostNetwork dfdaemon listens) and {@code MODELPREFETCH_DRAGONFLY_PROXY}
   * set to {@code proxy}, which may refer to {@code $(NODE_IP)}. Empty when {@code proxy} is null,
   * the source opts out ({@code dragonfly: false}) or its scheme does not go through Dragonfly
   * (s3://).
   */
  public static List<EnvVar> dragonfly(Source s, String proxy) {
    boolean routed =
        s.uri().startsWith("hf://")
            || s.uri().startsWith("http://")
            || s.uri().startsWith("https://");
    if (proxy == null || proxy.isBlank() || Boolean.FALSE.equals(s.dragonfly()) || !routed) {
      return List.of();
    }
    return List.of(
        new EnvVarBuilder()
            .withName("NODE_IP")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("status.hostIP")
            .endFieldRef()
            .endValueFrom()
            .build(),
        new EnvVarBuilder().withName("MODELPREFETCH_DRAGONFLY_PROXY").withValue(proxy).build());
  }

  /**
   * The operator's {@code MODELPREFETCH_DRAGONFLY_PROXY} (chart value dragonfly.proxy), or null.
   */
  public static String dragonflyProxyFromEnv(Map<String, String> env) {
    String proxy = env.get("MODELPREFETCH_DRAGONFLY_PROXY");
    return proxy == null || proxy.isBlank() ? null : proxy.strip();
  }

  /**
   * Credentials by scheme from {@code source.credentialsSecret}, each key optional; values never
   * enter the spec.
   */
  public static List<EnvVar> credentials(Source s) {
    if (s.credentialsSecret() == null) {
      return List.of();
    }
    if (s.uri().startsWith("oci://")) {
      // A kubernetes.io/dockerconfigjson Secret; the downloader reads the JSON from this variable.
      return List.of(
          new EnvVarBuilder()
              .withName(REGISTRY_AUTH_ENV)
              .withNewValueFrom()
              .withNewSecretKeyRef(".dockerconfigjson", s.credentialsSecret(), true)
              .endValueFrom()
              .build());
    }
    List<String> keys =
        s.uri().startsWith("hf://")
            ? List.of("HF_TOKEN")
            : s.uri().startsWith("s3://")
                ? List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
                : List.of("BEARER_TOKEN");
    return keys.stream()
        .map(
            key ->
                new EnvVarBuilder()
                    .withName(key)
                    .withNewValueFrom()
                    .withNewSecretKeyRef(key, s.credentialsSecret(), true)
                    .endValueFrom()
                    .build())
        .toList();
  }
}
