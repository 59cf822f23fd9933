package io.modelprefetch.operator.webhook;

import io.fabric8.kubernetes.api.model.Container;
import io.modelprefetch.operator.config.WebhookConfig;
import io.modelprefetch.operator.downloader.DownloaderCommand;
import io.modelprefetch.operator.downloader.DownloaderContainer;
import java.util.List;

/**
 * The init containers the webhook adds: {@code modelprefetch wait} for a shared claim, {@code
 * modelprefetch pull} for a per-pod emptyDir, built as the download Job's are ({@link
 * DownloaderContainer}): Pod Security "restricted" and bounded resources, whatever the pod itself
 * declares.
 */
public final class InjectedContainers {
  private final WebhookConfig.Injection config;
  private final DownloaderContainer containers;

  public InjectedContainers(WebhookConfig.Injection config) {
    this.config = config;
    this.containers =
        new DownloaderContainer(config.image(), InjectionNames.TMP_VOLUME, config.dragonflyProxy());
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
    return artifact instanceof ResolvedArtifact.SharedClaim
        ? names.waitContainer()
        : names.pullContainer();
  }

  private Container waitFor(ResolvedArtifact.SharedClaim c) {
    InjectionNames names = new InjectionNames(c.ref().name());
    return containers
        .waitFor(
            names.waitContainer(),
            c.ref().mountPath(),
            config.waitTimeout(),
            config.waitResources())
        .addNewVolumeMount()
        .withName(names.volume())
        .withMountPath(c.ref().mountPath())
        .withReadOnly(true)
        .endVolumeMount()
        .build();
  }

  private Container pull(ResolvedArtifact.PerPodDownload d) {
    InjectionNames names = new InjectionNames(d.ref().name());
    return containers
        .pull(names.pullContainer(), pullArgs(d), d.source(), config.pullResources())
        .addNewVolumeMount()
        .withName(names.volume())
        .withMountPath(d.ref().mountPath())
        .endVolumeMount()
        .build();
  }

  /** {@code pull <uri> --dest <mount> [--revision <pinned>] …}, as the download Job runs it. */
  static List<String> pullArgs(ResolvedArtifact.PerPodDownload d) {
    return DownloaderCommand.pullArgs(d.source(), d.hfCache(), d.ref().mountPath(), d.revision());
  }
}
