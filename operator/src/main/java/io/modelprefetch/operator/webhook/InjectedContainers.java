package io.modelprefetch.operator.webhook;

import io.modelprefetch.operator.downloader.DownloaderCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.util.List;

/**
 * The init containers the webhook adds: {@code modelprefetch wait} for a shared claim,
 * {@code modelprefetch pull} for a per-pod emptyDir. Pod Security "restricted" and bounded
 * resources, whatever the pod itself declares.
 */
public final class InjectedContainers {
  public static final long USER = 65532;
  public static final String TERMINATION_LOG = DownloaderCommand.TERMINATION_LOG;
  private final WebhookConfig.Injection config;

  public InjectedContainers(WebhookConfig.Injection config) {
    this.config = config;
  }

  public Container forArtifact(ResolvedArtifact artifact) {
    return switch (artifact) {
      case ResolvedArtifact.SharedClaim c -> waitFor(c);
      case ResolvedArtifact.PerPodDownload d -> pull(d);
    };
  }

  /** The container name used for this artifact, whichever kind. */
  public static String nameOf(ResolvedArtifact artifact) {
    InjectionNames names = new InjectionNames(artifact.ref().name());
    return artifact instanceof ResolvedArtifact.SharedClaim ? names.waitContainer() : names.pullContainer();
  }

  private Container waitFor(ResolvedArtifact.SharedClaim c) {
    InjectionNames names = new InjectionNames(c.ref().name());
    return base(names.waitContainer(), config.waitResources(), "-XX:-UsePerfData -XX:TieredStopAtLevel=1")
        .withArgs("wait", "--dest", c.ref().mountPath(), "--timeout", config.waitTimeout().toSeconds() + "s")
        .addNewVolumeMount().withName(names.volume()).withMountPath(c.ref().mountPath()).withReadOnly(true).endVolumeMount()
        .build();
  }

  private Container pull(ResolvedArtifact.PerPodDownload d) {
    InjectionNames names = new InjectionNames(d.ref().name());
    return base(names.pullContainer(), config.pullResources(), "-XX:-UsePerfData -XX:MaxRAMPercentage=60")
        .withArgs(pullArgs(d))
        .addAllToEnv(DownloaderCommand.credentials(d.source()))
        .addAllToEnv(DownloaderCommand.dragonfly(d.source(), config.dragonflyProxy()))
        .addNewVolumeMount().withName(names.volume()).withMountPath(d.ref().mountPath()).endVolumeMount()
        .build();
  }

  /** {@code pull <uri> --dest <mount> [--revision <pinned>] …}, as the download Job runs it. */
  static List<String> pullArgs(ResolvedArtifact.PerPodDownload d) {
    return DownloaderCommand.pullArgs(d.source(), d.ref().mountPath(), d.revision());
  }




  private ContainerBuilder base(String name, WebhookConfig.Resources resources, String javaOptions) {
    return new ContainerBuilder()
        .withName(name)
        .withImage(config.image())
        .addNewEnv().withName("JAVA_TOOL_OPTIONS").withValue(javaOptions).endEnv()
        .withTerminationMessagePath(TERMINATION_LOG)
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withSecurityContext(restricted())
        .withResources(resources(resources))
        .addNewVolumeMount().withName(InjectionNames.TMP_VOLUME).withMountPath("/tmp").endVolumeMount();
  }

  private static ResourceRequirements resources(WebhookConfig.Resources r) {
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity(r.cpuRequest()))
        .addToRequests("memory", new Quantity(r.memoryRequest()))
        .addToLimits("memory", new Quantity(r.memoryLimit()))
        .build();
  }

  static SecurityContext restricted() {
    return new SecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(USER)
        .withRunAsGroup(USER)
        .withReadOnlyRootFilesystem(true)
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities().withDrop("ALL").endCapabilities()
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .build();
  }
}
