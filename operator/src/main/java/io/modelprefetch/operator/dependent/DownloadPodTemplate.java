package io.modelprefetch.operator.dependent;

import io.modelprefetch.operator.downloader.DownloaderCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.Source;
import io.modelprefetch.operator.config.OperatorConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The download pod: an init container runs {@code modelprefetch pull} into the claim and reports
 * progress into the artifact's status; the main container runs {@code modelprefetch wait}, which
 * only succeeds when the completion manifest is in place, so "Job complete" means "verified files
 * on the volume". Pod Security "restricted" throughout.
 */
public final class DownloadPodTemplate {
  public static final String PULL_CONTAINER = "pull";
  public static final String MOUNT_PATH = "/models";
  public static final String TERMINATION_LOG = DownloaderCommand.TERMINATION_LOG;
  private static final long USER = 65532;
  private final OperatorConfig config;

  public DownloadPodTemplate(OperatorConfig config) {
    this.config = config;
  }

  public PodTemplateSpec build(ModelArtifact ma) {
    ArtifactNames names = ArtifactNames.of(ma);
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
          .withLabels(names.labels())
          .addToLabels(ArtifactNames.GENERATION_LABEL, String.valueOf(ma.getMetadata().getGeneration()))
          .withAnnotations(names.annotations())
        .endMetadata()
        .withNewSpec()
          .withServiceAccountName(names.serviceAccount())
          .withAutomountServiceAccountToken(true)
          .withRestartPolicy("Never")
          .withNewSecurityContext()
            .withRunAsNonRoot(true).withRunAsUser(USER).withRunAsGroup(USER).withFsGroup(USER)
            .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
          .endSecurityContext()
          .withInitContainers(pull(ma))
          .withContainers(check())
          .addNewVolume().withName("models")
            .withNewPersistentVolumeClaim().withClaimName(ArtifactNames.claimOf(ma)).endPersistentVolumeClaim()
          .endVolume()
          .addNewVolume().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity("64Mi")).endEmptyDir().endVolume()
        .endSpec()
        .build();
  }

  /** The arguments of {@code modelprefetch pull} for this artifact, reporting to its status. */
  public static List<String> pullArgs(ModelArtifact ma) {
    Source s = ma.getSpec().source();
    List<String> args = new ArrayList<>(DownloaderCommand.pullArgs(s, MOUNT_PATH,
        s.uri().startsWith("hf://") ? s.revision() : null));
    args.addAll(List.of("--status-artifact", ma.getMetadata().getNamespace() + "/" + ma.getMetadata().getName()));
    return args;
  }




  private Container pull(ModelArtifact ma) {
    OperatorConfig.DownloaderResources r = config.downloader();
    return new ContainerBuilder()
        .withName(PULL_CONTAINER)
        .withImage(config.downloaderImage())
        .withArgs(pullArgs(ma))
        .withEnv(DownloaderCommand.credentials(ma.getSpec().source()))
        .addAllToEnv(DownloaderCommand.dragonfly(ma.getSpec().source(), config.dragonflyProxy()))
        .addNewEnv().withName("JAVA_TOOL_OPTIONS").withValue("-XX:-UsePerfData -XX:MaxRAMPercentage=60").endEnv()
        .withTerminationMessagePath(TERMINATION_LOG)
        .withTerminationMessagePolicy("FallbackToLogsOnError")
        .withSecurityContext(restricted())
        .withResources(new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity(r.cpuRequest()))
            .addToRequests("memory", new Quantity(r.memoryRequest()))
            .addToLimits("memory", new Quantity(r.memoryLimit()))
            .build())
        .addNewVolumeMount().withName("models").withMountPath(MOUNT_PATH).endVolumeMount()
        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
        .build();
  }

  private Container check() {
    return new ContainerBuilder()
        .withName("check")
        .withImage(config.downloaderImage())
        .withArgs("wait", "--dest", MOUNT_PATH, "--timeout", "10s")
        .addNewEnv().withName("JAVA_TOOL_OPTIONS").withValue("-XX:-UsePerfData -XX:TieredStopAtLevel=1").endEnv()
        .withSecurityContext(restricted())
        .withResources(new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity("50m"))
            .addToRequests("memory", new Quantity("64Mi"))
            .addToLimits("memory", new Quantity("256Mi"))
            .build())
        .addNewVolumeMount().withName("models").withMountPath(MOUNT_PATH).withReadOnly(true).endVolumeMount()
        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
        .build();
  }

  private static SecurityContext restricted() {
    return new SecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withReadOnlyRootFilesystem(true)
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities().withDrop("ALL").endCapabilities()
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .build();
  }

  private static List<String> nullToEmpty(List<String> list) {
    return list == null ? List.of() : list;
  }
}
