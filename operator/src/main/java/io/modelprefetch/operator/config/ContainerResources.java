package io.modelprefetch.operator.config;

import java.util.Map;

/** Requests and limits of one downloader container (CPU has no limit: a pull uses what is idle). */
public record ContainerResources(String cpuRequest, String memoryRequest, String memoryLimit) {
  /** A {@code modelprefetch pull}: a bounded heap plus buffers and connections. */
  public static final ContainerResources PULL = new ContainerResources("500m", "512Mi", "1Gi");

  /** A {@code modelprefetch wait}: a small JVM that polls for the completion record. */
  public static final ContainerResources WAIT = new ContainerResources("50m", "64Mi", "256Mi");

  /**
   * {@code <prefix>_CPU_REQUEST}, {@code <prefix>_MEMORY_REQUEST}, {@code <prefix>_MEMORY_LIMIT},
   * each defaulting to {@code defaults}.
   */
  static ContainerResources fromEnv(
      Map<String, String> env, String prefix, ContainerResources defaults) {
    return new ContainerResources(
        env.getOrDefault(prefix + "_CPU_REQUEST", defaults.cpuRequest()),
        env.getOrDefault(prefix + "_MEMORY_REQUEST", defaults.memoryRequest()),
        env.getOrDefault(prefix + "_MEMORY_LIMIT", defaults.memoryLimit()));
  }
}
