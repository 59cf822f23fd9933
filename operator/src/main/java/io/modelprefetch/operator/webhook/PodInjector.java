package io.modelprefetch.operator.webhook;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Pod + resolved artifacts → injected pod (a pure function). Every addition is "ensure present": a
 * volume, container, mount or variable that already exists (by name) is left alone, so injecting an
 * injected pod changes nothing, and a reinvocation after another webhook added containers only
 * completes those.
 */
public final class PodInjector {
  private final InjectedContainers containers;

  public PodInjector(InjectedContainers containers) {
    this.containers = containers;
  }

  /**
   * @throws AdmissionRefusal when a mount path is already used by one of the pod's containers
   */
  public Pod inject(Pod pod, List<ResolvedArtifact> artifacts) {
    if (artifacts.isEmpty()) {
      return pod;
    }
    PodBuilder builder = new PodBuilder(pod);
    builder
        .editOrNewMetadata()
        .addToAnnotations(
            PodLabels.INJECTED_ANNOTATION,
            artifacts.stream().map(a -> a.ref().name()).collect(Collectors.joining(",")))
        .endMetadata();
    Pod injected = builder.build();
    var spec = injected.getSpec();
    spec.setVolumes(volumes(spec.getVolumes(), artifacts));
    spec.setInitContainers(initContainers(spec.getInitContainers(), artifacts));
    spec.setContainers(spec.getContainers().stream().map(c -> appContainer(c, artifacts)).toList());
    return injected;
  }

  private static List<Volume> volumes(List<Volume> existing, List<ResolvedArtifact> artifacts) {
    List<Volume> volumes = new ArrayList<>(existing);
    for (ResolvedArtifact a : artifacts) {
      addIfAbsent(volumes, volume(a));
    }
    addIfAbsent(
        volumes,
        new VolumeBuilder()
            .withName(InjectionNames.TMP_VOLUME)
            .withNewEmptyDir()
            .withSizeLimit(new Quantity("64Mi"))
            .endEmptyDir()
            .build());
    return volumes;
  }

  private static Volume volume(ResolvedArtifact artifact) {
    VolumeBuilder v =
        new VolumeBuilder().withName(new InjectionNames(artifact.ref().name()).volume());
    return switch (artifact) {
      case ResolvedArtifact.SharedClaim c ->
          v.withNewPersistentVolumeClaim()
              .withClaimName(c.claimName())
              .withReadOnly(true)
              .endPersistentVolumeClaim()
              .build();
      case ResolvedArtifact.PerPodDownload d ->
          v.withNewEmptyDir().withSizeLimit(d.sizeLimit()).endEmptyDir().build();
    };
  }

  private static void addIfAbsent(List<Volume> volumes, Volume volume) {
    if (volumes.stream().noneMatch(v -> v.getName().equals(volume.getName()))) {
      volumes.add(volume);
    }
  }

  /**
   * Ours first, in annotation order, so the model is complete before any of the pod's own init
   * containers.
   */
  private List<Container> initContainers(
      List<Container> existing, List<ResolvedArtifact> artifacts) {
    List<Container> ours =
        artifacts.stream()
            .filter(
                a ->
                    existing.stream()
                        .noneMatch(c -> c.getName().equals(InjectedContainers.nameOf(a))))
            .map(containers::forArtifact)
            .toList();
    List<Container> all = new ArrayList<>(ours);
    all.addAll(existing);
    return all;
  }

  private static Container appContainer(Container container, List<ResolvedArtifact> artifacts) {
    List<VolumeMount> mounts = new ArrayList<>(container.getVolumeMounts());
    List<EnvVar> env = new ArrayList<>(container.getEnv());
    for (ResolvedArtifact a : artifacts) {
      String volume = new InjectionNames(a.ref().name()).volume();
      String path = a.ref().mountPath();
      if (mounts.stream().anyMatch(m -> m.getName().equals(volume))) {
        continue;
      }
      mounts.stream()
          .filter(m -> m.getMountPath().equals(path))
          .findFirst()
          .ifPresent(
              m -> {
                throw new AdmissionRefusal(
                    "container '"
                        + container.getName()
                        + "' already mounts volume '"
                        + m.getName()
                        + "' at "
                        + path
                        + ", where artifact '"
                        + a.ref().name()
                        + "' goes; choose another path with '"
                        + a.ref().name()
                        + "=/other/path' in "
                        + PodLabels.ARTIFACTS_ANNOTATION);
              });
      mounts.add(
          new VolumeMountBuilder().withName(volume).withMountPath(path).withReadOnly(true).build());
    }
    for (EnvVar var : modelPathVariables(artifacts)) {
      if (env.stream().noneMatch(e -> e.getName().equals(var.getName()))) {
        env.add(var);
      }
    }
    return new ContainerBuilder(container).withVolumeMounts(mounts).withEnv(env).build();
  }

  /**
   * {@code MODEL_PATH} (the first artifact) and, with several artifacts, {@code MODEL_PATH_<NAME>}
   * for each; for the first artifact laid out as a Hugging Face cache, {@code HF_HOME} (its mount)
   * and {@code HF_HUB_OFFLINE=1}, so engines given the repo id load it from there.
   */
  static List<EnvVar> modelPathVariables(List<ResolvedArtifact> artifacts) {
    List<EnvVar> vars = new ArrayList<>();
    vars.add(new EnvVar("MODEL_PATH", artifacts.getFirst().ref().mountPath(), null));
    artifacts.stream()
        .filter(ResolvedArtifact::hfCache)
        .findFirst()
        .ifPresent(
            a -> {
              vars.add(new EnvVar("HF_HOME", a.ref().mountPath(), null));
              vars.add(new EnvVar("HF_HUB_OFFLINE", "1", null));
            });
    if (artifacts.size() > 1) {
      for (ResolvedArtifact a : artifacts) {
        vars.add(
            new EnvVar(
                "MODEL_PATH_" + new InjectionNames(a.ref().name()).envSuffix(),
                a.ref().mountPath(),
                null));
      }
    }
    return vars;
  }
}
