package io.modelprefetch.operator.config;

import io.modelprefetch.operator.downloader.DownloaderCommand;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything the operator can be configured with, parsed once at start-up from the environment.
 *
 * @param namespaces namespaces to watch; empty means all
 * @param downloaderImage the image of the {@code modelprefetch} CLI used by download Jobs
 * @param downloader resources and retry budget of download Jobs
 * @param httpPort port of {@code /metrics}, {@code /healthz} and {@code /readyz}
 * @param leaderElection null when disabled
 * @param resyncInterval safety-net reconciliation of every artifact
 * @param dragonflyProxy the node's Dragonfly proxy for download pods (may use $(NODE_IP)), or null
 */
public record OperatorConfig(
    Set<String> namespaces,
    String downloaderImage,
    DownloaderResources downloader,
    int httpPort,
    LeaderElection leaderElection,
    Duration resyncInterval,
    String dragonflyProxy) {

  /**
   * The downloader image when none is configured (the operator's Job and the webhook's injection).
   */
  public static final String DEFAULT_IMAGE = "ghcr.io/modelprefetch/modelprefetch:0.1.0";

  public OperatorConfig {
    namespaces = Set.copyOf(namespaces);
    Objects.requireNonNull(downloaderImage, "downloaderImage");
    Objects.requireNonNull(downloader, "downloader");
    Objects.requireNonNull(resyncInterval, "resyncInterval");
  }

  /**
   * Requests and limits of the download pod's pull container, and how often a failing pull is
   * retried.
   */
  public record DownloaderResources(ContainerResources pull, int backoffLimit) {
    public static DownloaderResources defaults() {
      return new DownloaderResources(ContainerResources.PULL, 3);
    }
  }

  /** One active replica at a time, coordinated through a Lease. */
  public record LeaderElection(String leaseName, String leaseNamespace, String identity) {}

  /**
   * Reads {@code MODELPREFETCH_*} variables; {@code POD_NAMESPACE} and {@code POD_NAME} (downward
   * API) name the lease namespace and holder.
   *
   * @throws IllegalArgumentException with a message naming the variable when a value is invalid
   */
  public static OperatorConfig fromEnv(Map<String, String> env) {
    DownloaderResources d = DownloaderResources.defaults();
    DownloaderResources downloader =
        new DownloaderResources(
            ContainerResources.fromEnv(env, "MODELPREFETCH_DOWNLOADER", d.pull()),
            integer(env, "MODELPREFETCH_DOWNLOADER_BACKOFF_LIMIT", d.backoffLimit()));
    boolean elect = Boolean.parseBoolean(env.getOrDefault("MODELPREFETCH_LEADER_ELECTION", "true"));
    LeaderElection leaderElection = null;
    if (elect) {
      String ns = env.get("POD_NAMESPACE");
      if (ns == null || ns.isBlank()) {
        throw new IllegalArgumentException(
            "POD_NAMESPACE must be set (downward API) for leader election, or set"
                + " MODELPREFETCH_LEADER_ELECTION=false");
      }
      leaderElection =
          new LeaderElection(
              env.getOrDefault("MODELPREFETCH_LEASE_NAME", "modelprefetch-operator"),
              ns,
              env.getOrDefault("POD_NAME", env.getOrDefault("HOSTNAME", "modelprefetch-operator")));
    }
    return new OperatorConfig(
        Arrays.stream(env.getOrDefault("MODELPREFETCH_WATCH_NAMESPACES", "").split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toSet()),
        env.getOrDefault("MODELPREFETCH_DOWNLOADER_IMAGE", DEFAULT_IMAGE),
        downloader,
        integer(env, "MODELPREFETCH_HTTP_PORT", 8080),
        leaderElection,
        Duration.ofSeconds(integer(env, "MODELPREFETCH_RESYNC_SECONDS", 300)),
        DownloaderCommand.dragonflyProxyFromEnv(env));
  }

  /**
   * An integer environment variable, or {@code fallback} when unset; a clear error when malformed.
   */
  public static int integer(Map<String, String> env, String name, int fallback) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be an integer, got '" + v + "'", e);
    }
  }
}
