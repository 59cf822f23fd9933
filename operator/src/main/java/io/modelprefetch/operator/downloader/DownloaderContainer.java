package io.modelprefetch.operator.downloader;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.modelprefetch.api.v1alpha1.Source;
import io.modelprefetch.operator.config.ContainerResources;
import java.time.Duration;
import java.util.List;

/**
 * The downloader's containers, for the download Job and the webhook's injection alike: the Pod
 * Security "restricted" context as the image's user, JVM options, bounded resources, the
 * termination message, {@code /tmp} on the emptyDir {@code tmpVolume} (the root file system is
 * read-only) and, for a pull, the source's credentials and the node's Dragonfly proxy. Callers add
 * the volume with the files.
 *
 * @param image the {@code modelprefetch} CLI image (its entrypoint is the CLI)
 * @param tmpVolume the pod's emptyDir volume mounted at {@code /tmp}
 * @param dragonflyProxy the node's Dragonfly proxy for pulls (may use {@code $(NODE_IP)}), or null
 */
public record DownloaderContainer(String image, String tmpVolume, String dragonflyProxy) {
  /** The image's non-root user (and group). */
  public static final long USER = 65532;

  /**
   * As the CLI runs (hack/modelprefetch): the serial collector (one buffer per connection, no heap
   * growth with model size: no concurrent GC threads needed), compile thresholds x10 (set-up code
   * runs once and stays interpreted) but the digests' at 1/100 (they reach C2, the only tier with
   * the CPU's SHA and MD5 instructions, during the listing): README "The downloader's JVM flags".
   */
  private static final String PULL_JAVA_OPTIONS =
      "-XX:-UsePerfData -XX:MaxRAMPercentage=60 -XX:+UseSerialGC -XX:CompileThresholdScaling=10"
          + " -XX:CompileCommand=quiet"
          + " -XX:CompileCommand=CompileThresholdScaling,sun.security.provider.*::*,0.01";

  private static final String WAIT_JAVA_OPTIONS = "-XX:-UsePerfData -XX:TieredStopAtLevel=1";

  /**
   * {@code modelprefetch pull …} with the source's credentials (optional Secret keys, never values)
   * and, unless the source opts out, the node's Dragonfly proxy.
   */
  public ContainerBuilder pull(
      String name, List<String> args, Source source, ContainerResources resources) {
    return base(name, resources, PULL_JAVA_OPTIONS)
        .withArgs(args)
        .addAllToEnv(DownloaderCommand.credentials(source))
        .addAllToEnv(DownloaderCommand.dragonfly(source, dragonflyProxy));
  }

  /**
   * {@code modelprefetch wait --dest <dest> --timeout <timeout>}: succeeds once a verified pull is
   * complete.
   */
  public ContainerBuilder waitFor(
      String name, String dest, Duration timeout, ContainerResources resources) {
    return base(name, resources, WAIT_JAVA_OPTIONS)
        .withArgs("wait", "--dest", dest, "--timeout", timeout.toSeconds() + "s");
  }

  private ContainerBuilder base(String name, ContainerResources resources, String javaOptions) {
    return new ContainerBuilder()
        .withName(name)
        .withImage(image)
        .addNewEnv()
        .withName("JAVA_TOOL_OPTIONS")
        .withValue(javaOptions)
        .endEnv()
        .withTerminationMessagePath(DownloaderCommand.TERMINATION_LOG)
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withSecurityContext(restricted())
        .withResources(requirements(resources))
        .addNewVolumeMount()
        .withName(tmpVolume)
        .withMountPath("/tmp")
        .endVolumeMount();
  }

  private static ResourceRequirements requirements(ContainerResources r) {
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity(r.cpuRequest()))
        .addToRequests("memory", new Quantity(r.memoryRequest()))
        .addToLimits("memory", new Quantity(r.memoryLimit()))
        .build();
  }

  /** Pod Security "restricted" for one container, whatever the pod itself declares. */
  private static SecurityContext restricted() {
    return new SecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(USER)
        .withRunAsGroup(USER)
        .withReadOnlyRootFilesystem(true)
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }
}
