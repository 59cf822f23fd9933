package io.modelprefetch.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.modelprefetch.api.v1alpha1.Source;
import io.modelprefetch.operator.config.WebhookConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodInjectorTest {
  static final String IMAGE = "registry.test/modelprefetch:1.2.3";
  private final PodInjector injector =
      new PodInjector(new InjectedContainers(WebhookConfig.Injection.defaults(IMAGE)));
  private final ResolvedArtifact llama =
      new ResolvedArtifact.SharedClaim(
          new ArtifactReference("llama", "/models/llama"), "llama-model");
  private final ResolvedArtifact bge =
      new ResolvedArtifact.PerPodDownload(
          new ArtifactReference("bge", "/mnt/bge"),
          TestArtifacts.hf("hf-token"),
          TestArtifacts.COMMIT,
          new Quantity("9Gi"));

  @Test
  void sharedClaimIsMountedReadOnlyWithModelPath() {
    Pod out = injector.inject(TestPods.optedIn("server-0", "llama").build(), List.of(llama));

    assertThat(volume(out, "mp-llama").getPersistentVolumeClaim().getClaimName())
        .isEqualTo("llama-model");
    assertThat(volume(out, "mp-llama").getPersistentVolumeClaim().getReadOnly()).isTrue();
    Container server = out.getSpec().getContainers().getFirst();
    VolumeMount mount = mount(server, "mp-llama");
    assertThat(mount.getMountPath()).isEqualTo("/models/llama");
    assertThat(mount.getReadOnly()).isTrue();
    assertThat(server.getEnv()).containsExactly(new EnvVar("MODEL_PATH", "/models/llama", null));
    assertThat(out.getMetadata().getAnnotations())
        .containsEntry(PodLabels.INJECTED_ANNOTATION, "llama");
  }

  @Test
  void sharedClaimGetsAWaitInitContainerBeforeThePodsOwn() {
    Pod out = injector.inject(TestPods.optedIn("server-0", "llama").build(), List.of(llama));

    assertThat(out.getSpec().getInitContainers())
        .extracting(Container::getName)
        .containsExactly("mp-wait-llama", "setup");
    Container wait = out.getSpec().getInitContainers().getFirst();
    assertThat(wait.getImage()).isEqualTo(IMAGE);
    assertThat(wait.getArgs())
        .containsExactly("wait", "--dest", "/models/llama", "--timeout", "7200s");
    assertThat(mount(wait, "mp-llama").getReadOnly()).isTrue();
    assertThat(mount(wait, InjectionNames.TMP_VOLUME).getMountPath()).isEqualTo("/tmp");
    assertThat(wait.getResources().getRequests())
        .containsEntry("cpu", new Quantity("50m"))
        .containsEntry("memory", new Quantity("64Mi"));
    assertThat(wait.getResources().getLimits()).containsEntry("memory", new Quantity("256Mi"));
    assertRestricted(wait);
  }

  @Test
  void perPodArtifactIsDownloadedIntoASizedEmptyDirWithPinnedRevision() {
    Pod out = injector.inject(TestPods.optedIn("server-0", "bge=/mnt/bge").build(), List.of(bge));

    assertThat(volume(out, "mp-bge").getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("9Gi"));
    Container pull = out.getSpec().getInitContainers().getFirst();
    assertThat(pull.getName()).isEqualTo("mp-pull-bge");
    assertThat(pull.getArgs())
        .containsExactly(
            "pull",
            "hf://meta-llama/Llama-3.1-8B-Instruct",
            "--dest",
            "/mnt/bge",
            "--revision",
            TestArtifacts.COMMIT,
            "--include",
            "*.safetensors",
            "--include",
            "*.json",
            "--exclude",
            "original/*",
            "--progress",
            "json",
            "--termination-message-path",
            "/dev/termination-log");
    assertThat(mount(pull, "mp-bge").getReadOnly()).isNull();
    EnvVar token =
        pull.getEnv().stream()
            .filter(e -> e.getName().equals("HF_TOKEN"))
            .findFirst()
            .orElseThrow();
    assertThat(token.getValue()).isNull();
    assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("hf-token");
    assertThat(token.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("HF_TOKEN");
    assertThat(token.getValueFrom().getSecretKeyRef().getOptional()).isTrue();
    assertThat(pull.getResources().getLimits()).containsEntry("memory", new Quantity("1Gi"));
    assertRestricted(pull);
    assertThat(mount(out.getSpec().getContainers().getFirst(), "mp-bge").getReadOnly()).isTrue();
  }

  @Test
  void perPodPullsGoThroughTheNodesDragonflyClientWhenConfigured() {
    WebhookConfig.Injection d = WebhookConfig.Injection.defaults(IMAGE);
    PodInjector viaDragonfly =
        new PodInjector(
            new InjectedContainers(
                new WebhookConfig.Injection(
                    d.image(),
                    d.waitTimeout(),
                    d.waitResources(),
                    d.pullResources(),
                    d.headroomPercent(),
                    "http://$(NODE_IP):4001")));

    Container pull =
        viaDragonfly
            .inject(TestPods.optedIn("server-0", "bge=/mnt/bge").build(), List.of(bge))
            .getSpec()
            .getInitContainers()
            .getFirst();

    assertThat(pull.getEnv())
        .extracting(EnvVar::getName)
        .containsSubsequence("NODE_IP", "MODELPREFETCH_DRAGONFLY_PROXY");
    assertThat(pull.getEnv())
        .contains(new EnvVar("MODELPREFETCH_DRAGONFLY_PROXY", "http://$(NODE_IP):4001", null));
    Container unconfigured =
        injector
            .inject(TestPods.optedIn("server-0", "bge=/mnt/bge").build(), List.of(bge))
            .getSpec()
            .getInitContainers()
            .getFirst();
    assertThat(unconfigured.getEnv())
        .extracting(EnvVar::getName)
        .doesNotContain("MODELPREFETCH_DRAGONFLY_PROXY");
  }

  @Test
  void s3CredentialsComeFromTheAwsKeys() {
    Source s3 =
        new Source(
            "s3://models/llama/",
            null,
            null,
            null,
            "s3-creds",
            "http://minio:9000",
            "eu-west-1",
            null);
    assertThat(io.modelprefetch.operator.downloader.DownloaderCommand.credentials(s3))
        .extracting(EnvVar::getName)
        .containsExactly("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN");
    var args =
        InjectedContainers.pullArgs(
            new ResolvedArtifact.PerPodDownload(
                new ArtifactReference("llama", "/models/llama"), s3, null, null));
    assertThat(String.join(" ", args))
        .isEqualTo(
            "pull s3://models/llama/ --dest /models/llama --endpoint http://minio:9000 --region"
                + " eu-west-1 --progress json --termination-message-path /dev/termination-log");
  }

  @Test
  void ociCredentialsComeFromADockerConfigSecretAndThePlatformAndPinnedDigestArePassed() {
    String digest = "sha256:" + "ab".repeat(32);
    Source oci =
        new Source(
            "oci://registry.example:5000/models/llama:v1",
            null,
            null,
            null,
            "regcred",
            "http://registry.example:5000",
            null,
            null,
            "linux/arm64",
            null);
    EnvVar auth =
        io.modelprefetch.operator.downloader.DownloaderCommand.credentials(oci).getFirst();
    assertThat(auth.getName()).isEqualTo("MODELPREFETCH_REGISTRY_AUTH");
    assertThat(auth.getValueFrom().getSecretKeyRef().getName()).isEqualTo("regcred");
    assertThat(auth.getValueFrom().getSecretKeyRef().getKey()).isEqualTo(".dockerconfigjson");
    var args =
        InjectedContainers.pullArgs(
            new ResolvedArtifact.PerPodDownload(
                new ArtifactReference("llama", "/models/llama"), oci, digest, null));
    assertThat(String.join(" ", args))
        .isEqualTo(
            "pull oci://registry.example:5000/models/llama:v1 --dest /models/llama"
                + " --platform linux/arm64 --revision "
                + digest
                + " --endpoint http://registry.example:5000"
                + " --progress json --termination-message-path /dev/termination-log");
  }

  @Test
  void anHfCacheArtifactGetsHfHomeAndOfflineModeAndIsPulledInThatLayout() {
    ResolvedArtifact cache =
        new ResolvedArtifact.SharedClaim(
            new ArtifactReference("qwen", "/models/qwen"), "qwen-model", true);
    Pod out =
        injector.inject(TestPods.optedIn("server-0", "llama,qwen").build(), List.of(llama, cache));

    assertThat(out.getSpec().getContainers().getFirst().getEnv())
        .containsExactly(
            new EnvVar("MODEL_PATH", "/models/llama", null),
            new EnvVar("HF_HOME", "/models/qwen", null),
            new EnvVar("HF_HUB_OFFLINE", "1", null),
            new EnvVar("MODEL_PATH_LLAMA", "/models/llama", null),
            new EnvVar("MODEL_PATH_QWEN", "/models/qwen", null));
    var args =
        InjectedContainers.pullArgs(
            new ResolvedArtifact.PerPodDownload(
                new ArtifactReference("qwen", "/models/qwen"),
                TestArtifacts.hf(null),
                TestArtifacts.COMMIT,
                null,
                true));
    assertThat(String.join(" ", args))
        .startsWith(
            "pull hf://meta-llama/Llama-3.1-8B-Instruct --dest /models/qwen"
                + " --layout hf-cache --revision "
                + TestArtifacts.COMMIT);
  }

  @Test
  void severalArtifactsGetOneVariableEachAndKeepAnnotationOrder() {
    Pod out =
        injector.inject(
            TestPods.optedIn("server-0", "llama,bge=/mnt/bge").build(), List.of(llama, bge));

    assertThat(out.getSpec().getInitContainers())
        .extracting(Container::getName)
        .containsExactly("mp-wait-llama", "mp-pull-bge", "setup");
    assertThat(out.getSpec().getContainers().getFirst().getEnv())
        .containsExactly(
            new EnvVar("MODEL_PATH", "/models/llama", null),
            new EnvVar("MODEL_PATH_LLAMA", "/models/llama", null),
            new EnvVar("MODEL_PATH_BGE", "/mnt/bge", null));
    assertThat(out.getMetadata().getAnnotations())
        .containsEntry(PodLabels.INJECTED_ANNOTATION, "llama,bge");
  }

  @Test
  void injectingAnInjectedPodChangesNothing() {
    Pod once =
        injector.inject(
            TestPods.optedIn("server-0", "llama,bge=/mnt/bge").build(), List.of(llama, bge));
    Pod twice = injector.inject(once, List.of(llama, bge));

    assertThat(twice).isEqualTo(once);
    assertThat(new PodPatch(new KubernetesSerialization()).between(once, twice)).isNull();
  }

  @Test
  void reinvocationCompletesContainersAddedByALaterWebhook() {
    Pod once = injector.inject(TestPods.optedIn("server-0", "llama").build(), List.of(llama));
    Pod again = injector.inject(TestPods.withSidecar(once), List.of(llama));

    assertThat(again.getSpec().getInitContainers())
        .extracting(Container::getName)
        .containsExactly("mp-wait-llama", "setup");
    Container proxy = again.getSpec().getContainers().get(1);
    assertThat(mount(proxy, "mp-llama").getMountPath()).isEqualTo("/models/llama");
    assertThat(proxy.getEnv()).containsExactly(new EnvVar("MODEL_PATH", "/models/llama", null));
    assertThat(again.getSpec().getVolumes())
        .extracting(Volume::getName)
        .containsExactly("mp-llama", "mp-tmp");
  }

  @Test
  void aModelPathTheUserSetIsKept() {
    Pod pod =
        new PodBuilder(TestPods.optedIn("server-0", "llama").build())
            .editSpec()
            .editFirstContainer()
            .addNewEnv()
            .withName("MODEL_PATH")
            .withValue("/models/llama/snapshots/x")
            .endEnv()
            .endContainer()
            .endSpec()
            .build();

    Pod out = injector.inject(pod, List.of(llama));

    assertThat(out.getSpec().getContainers().getFirst().getEnv())
        .containsExactly(new EnvVar("MODEL_PATH", "/models/llama/snapshots/x", null));
  }

  @Test
  void aMountPathAlreadyInUseIsRefused() {
    Pod pod =
        new PodBuilder(TestPods.optedIn("server-0", "llama").build())
            .editSpec()
            .addNewVolume()
            .withName("cache")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .editFirstContainer()
            .addNewVolumeMount()
            .withName("cache")
            .withMountPath("/models/llama")
            .endVolumeMount()
            .endContainer()
            .endSpec()
            .build();

    assertThatThrownBy(() -> injector.inject(pod, List.of(llama)))
        .isInstanceOf(AdmissionRefusal.class)
        .hasMessage(
            "container 'server' already mounts volume 'cache' at /models/llama, where artifact"
                + " 'llama' goes; choose another path with 'llama=/other/path' in"
                + " modelprefetch.io/artifacts");
  }

  @Test
  void theAdmittedPodIsNotModified() {
    Pod pod = TestPods.optedIn("server-0", "llama").build();
    Pod copy = new PodBuilder(pod).build();

    injector.inject(pod, List.of(llama));

    assertThat(pod).isEqualTo(copy);
  }

  static void assertRestricted(Container c) {
    var sc = c.getSecurityContext();
    assertThat(sc.getRunAsNonRoot()).isTrue();
    assertThat(sc.getRunAsUser()).isEqualTo(65532L);
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
  }

  static Volume volume(Pod pod, String name) {
    return pod.getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  static VolumeMount mount(Container c, String volume) {
    return c.getVolumeMounts().stream()
        .filter(m -> m.getName().equals(volume))
        .findFirst()
        .orElseThrow();
  }

  static Map<String, String> annotations(Pod pod) {
    return pod.getMetadata().getAnnotations();
  }
}
