package io.modelprefetch.operator.dependent;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.Source;
import io.modelprefetch.operator.config.ContainerResources;
import io.modelprefetch.operator.config.OperatorConfig;
import io.modelprefetch.operator.downloader.DownloaderCommand;
import io.modelprefetch.operator.downloader.DownloaderContainer;
import java.time.Duration;
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
  private static final String MODELS_VOLUME = "models";
  private static final String TMP_VOLUME = "tmp";

  /** The pull container has finished; {@code wait} only confirms the completion record. */
  private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);

  private static final long USER = DownloaderContainer.USER;
  private final OperatorConfig config;

  public DownloadPodTemplate(OperatorConfig config) {
    this.config = config;
  }

  public PodTemplateSpec build(ModelArtifact ma) {
    ArtifactNames names = ArtifactNames.of(ma);
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(names.labels())
        .addToLabels(
            ArtifactNames.GENERATION_LABEL, String.valueOf(ma.getMetadata().getGeneration()))
        .withAnnotations(names.annotations())
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(names.serviceAccount())
        .withAutomountServiceAccountToken(true)
        .withRestartPolicy("Never")
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(USER)
        .withRunAsGroup(USER)
        .withFsGroup(USER)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withInitContainers(pull(ma))
        .withContainers(check())
        .addNewVolume()
        .withName(MODELS_VOLUME)
        .withNewPersistentVolumeClaim()
        .withClaimName(ArtifactNames.claimOf(ma))
        .endPersistentVolumeClaim()
        .endVolume()
        .addNewVolume()
        .withName(TMP_VOLUME)
        .withNewEmptyDir()
        .withSizeLimit(new Quantity("64Mi"))
        .endEmptyDir()
        .endVolume()
        .endSpec()
        .build();
  }

  /** The arguments of {@code modelprefetch pull} for this artifact, reporting to its status. */
  public static List<String> pullArgs(ModelArtifact ma) {
    Source s = ma.getSpec().source();
    List<String> args =
        new ArrayList<>(
            DownloaderCommand.pullArgs(
                s, ma.getSpec().hfCache(), MOUNT_PATH, s.pinsRevision() ? s.revision() : null));
    args.addAll(
        List.of(
            "--status-artifact",
            ma.getMetadata().getNamespace() + "/" + ma.getMetadata().getName()));
    return args;
  }

  private Container pull(ModelArtifact ma) {
    return containers()
        .pull(PULL_CONTAINER, pullArgs(ma), ma.getSpec().source(), config.downloader().pull())
        .addNewVolumeMount()
        .withName(MODELS_VOLUME)
        .withMountPath(MOUNT_PATH)
        .endVolumeMount()
        .build();
  }

  private Container check() {
    return containers()
        .waitFor("check", MOUNT_PATH, CHECK_TIMEOUT, ContainerResources.WAIT)
        .addNewVolumeMount()
        .withName(MODELS_VOLUME)
        .withMountPath(MOUNT_PATH)
        .withReadOnly(true)
        .endVolumeMount()
        .build();
  }

  private DownloaderContainer containers() {
    return new DownloaderContainer(config.downloaderImage(), TMP_VOLUME, config.dragonflyProxy());
  }
}
