package io.modelprefetch.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelprefetch.api.v1alpha1.Consumers;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.ModelArtifactStatus;
import io.modelprefetch.api.v1alpha1.Phase;
import io.modelprefetch.operator.testing.ApiServerExtension;
import io.modelprefetch.operator.testing.Artifacts;
import io.modelprefetch.operator.testing.DownloaderStandIn;
import io.modelprefetch.operator.testing.JobControllerStandIn;
import io.modelprefetch.operator.testing.Operators;
import io.modelprefetch.operator.testing.OptedInPods;
import io.modelprefetch.operator.testing.TestCluster;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The operator against a real API server: what it creates and what status it reports. */
@ExtendWith(ApiServerExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelArtifactReconcilerIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private TestCluster cluster;
  private KubernetesClient kube;
  private Operators operator;
  private String ns;

  @BeforeAll
  void startOperator(TestCluster cluster) {
    this.cluster = cluster;
    this.kube = cluster.admin();
    this.operator = Operators.start(cluster);
  }

  @AfterAll
  void stopOperator() {
    operator.close();
  }

  @BeforeEach
  void namespace() {
    ns = cluster.newNamespace("rec");
  }

  @Test
  void createsTheClaimFromTheTemplateAndKeepsItByDefault() {
    kube.resource(Artifacts.hf(ns, "llama").createdClaim("40Gi", null).build()).create();

    PersistentVolumeClaim pvc =
        await()
            .atMost(WAIT)
            .until(
                () -> kube.persistentVolumeClaims().inNamespace(ns).withName("llama-model").get(),
                p -> p != null);
    assertThat(pvc.getSpec().getResources().getRequests().get("storage"))
        .isEqualTo(new Quantity("40Gi"));
    assertThat(pvc.getSpec().getStorageClassName()).isEqualTo("fast");
    assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
    assertThat(pvc.getMetadata().getOwnerReferences())
        .as("retain defaults to true: no owner, outlives the artifact")
        .isEmpty();
  }

  @Test
  void aClaimWithRetainFalseIsOwnedByTheArtifact() {
    ModelArtifact ma =
        kube.resource(Artifacts.hf(ns, "tmp").createdClaim("1Gi", false).build()).create();

    PersistentVolumeClaim pvc =
        await()
            .atMost(WAIT)
            .until(
                () -> kube.persistentVolumeClaims().inNamespace(ns).withName("tmp-model").get(),
                p -> p != null);
    assertThat(pvc.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(ma.getMetadata().getUid()));
  }

  @Test
  void givesEachArtifactAServiceAccountThatMayOnlyPatchItsOwnStatus() {
    kube.resource(Artifacts.hf(ns, "llama").build()).create();

    Role role =
        await()
            .atMost(WAIT)
            .until(
                () -> kube.rbac().roles().inNamespace(ns).withName("llama-status-writer").get(),
                r -> r != null);
    assertThat(role.getRules())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getApiGroups()).containsExactly("modelprefetch.io");
              assertThat(rule.getResources()).containsExactly("modelartifacts/status");
              assertThat(rule.getResourceNames()).containsExactly("llama");
              assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "patch");
            });
    RoleBinding binding =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    kube.rbac()
                        .roleBindings()
                        .inNamespace(ns)
                        .withName("llama-status-writer")
                        .get(),
                b -> b != null);
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo("llama-downloader"));
    ServiceAccount sa = kube.serviceAccounts().inNamespace(ns).withName("llama-downloader").get();
    assertThat(sa.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("llama"));
  }

  @Test
  void startsADownloadJobWhosePodPullsTheSpecIntoTheClaimUnderTheRestrictedProfile() {
    kube.resource(
            Artifacts.hf(ns, "llama")
                .revision("v1.0")
                .include("*.safetensors", "*.json")
                .credentialsSecret("hf-token")
                .build())
        .create();

    Job job = awaitJob("llama");
    assertThat(job.getMetadata().getName()).startsWith("llama-g1-");
    assertThat(job.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("llama"));
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    Container pull = pod.getInitContainers().getFirst();
    assertThat(pull.getImage()).isEqualTo(Operators.IMAGE);
    assertThat(pull.getArgs())
        .containsExactly(
            "pull",
            "hf://demo/tiny-model",
            "--dest",
            "/models",
            "--revision",
            "v1.0",
            "--include",
            "*.safetensors",
            "--include",
            "*.json",
            "--progress",
            "json",
            "--termination-message-path",
            "/dev/termination-log",
            "--status-artifact",
            ns + "/llama");
    EnvVar token =
        pull.getEnv().stream()
            .filter(e -> e.getName().equals("HF_TOKEN"))
            .findFirst()
            .orElseThrow();
    assertThat(token.getValue()).isNull();
    assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("hf-token");
    assertThat(token.getValueFrom().getSecretKeyRef().getOptional()).isTrue();
    assertThat(pod.getServiceAccountName()).isEqualTo("llama-downloader");
    assertThat(pod.getVolumes())
        .anySatisfy(
            v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("llama-model"));
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    for (Container c : List.of(pull, pod.getContainers().getFirst())) {
      assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(c.getResources().getLimits()).containsKey("memory");
    }
    assertThat(
            job.getSpec().getPodFailurePolicy().getRules().getFirst().getOnExitCodes().getValues())
        .containsExactly(2, 3, 5, 6);
  }

  @Test
  void reportsPendingWithConditionsBeforeTheDownloadStarts() {
    kube.resource(Artifacts.hf(ns, "llama").build()).create();

    ModelArtifactStatus status =
        awaitStatus("llama", s -> s.phase() == Phase.Pending && s.conditions() != null);
    assertThat(status.observedGeneration()).isEqualTo(1);
    assertThat(condition(status, "Ready"))
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getObservedGeneration()).isEqualTo(1);
              assertThat(c.getLastTransitionTime()).isNotBlank();
            });
    assertThat(condition(status, "StorageReady").getStatus())
        .as("the claim is not bound yet")
        .isEqualTo("False");
    assertThat(condition(status, "StorageReady").getReason()).isEqualTo("ClaimPending");
  }

  @Test
  void theStorageIsReadyOnceTheClaimIsBound() {
    kube.resource(Artifacts.hf(ns, "llama").createdClaim("40Gi", null).build()).create();
    PersistentVolumeClaim pvc =
        await()
            .atMost(WAIT)
            .until(
                () -> kube.persistentVolumeClaims().inNamespace(ns).withName("llama-model").get(),
                p -> p != null);
    awaitStatus(
        "llama",
        s -> s.conditions() != null && "False".equals(condition(s, "StorageReady").getStatus()));

    pvc.setStatus(
        new io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder()
            .withPhase("Bound")
            .addToCapacity("storage", new Quantity("40Gi"))
            .build());
    kube.resource(pvc).updateStatus();

    ModelArtifactStatus status =
        awaitStatus("llama", s -> "True".equals(condition(s, "StorageReady").getStatus()));
    assertThat(condition(status, "StorageReady").getReason()).isEqualTo("ClaimReady");
    assertThat(condition(status, "StorageReady").getMessage())
        .isEqualTo("PersistentVolumeClaim llama-model (40.0 GiB)");
  }

  @Test
  void followsTheDownloaderFromResolvingThroughDownloadingToReady() {
    kube.resource(Artifacts.hf(ns, "llama").build()).create();
    Job job = awaitJob("llama");
    JobControllerStandIn jobs = new JobControllerStandIn(kube);
    Pod pod = jobs.startPod(job);

    awaitStatus("llama", s -> s.phase() == Phase.Resolving);
    new DownloaderStandIn(kube).progress(ns, "llama", 400, 1000, 0, 2);
    ModelArtifactStatus downloading = awaitStatus("llama", s -> s.phase() == Phase.Downloading);
    assertThat(downloading.progress().bytesDone()).isEqualTo(400);
    assertThat(condition(downloading, "Downloading").getStatus()).isEqualTo("True");
    String readyFalseSince = condition(downloading, "Ready").getLastTransitionTime();

    new DownloaderStandIn(kube).progress(ns, "llama", Phase.Verifying, 1000, 1000, 1, 2);
    assertThat(awaitStatus("llama", s -> s.phase() == Phase.Verifying).message())
        .isEqualTo("verifying 2 files");
    new DownloaderStandIn(kube).progress(ns, "llama", 1000, 1000, 2, 2);
    jobs.finish(job, pod, 0, "{\"status\":\"done\"}");
    ModelArtifactStatus ready = awaitStatus("llama", s -> s.phase() == Phase.Ready);
    assertThat(condition(ready, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(ready, "Verified").getStatus()).isEqualTo("True");
    assertThat(condition(ready, "Downloading").getStatus()).isEqualTo("False");
    assertThat(condition(ready, "StorageReady").getLastTransitionTime())
        .isEqualTo(condition(downloading, "StorageReady").getLastTransitionTime());
    assertThat(readyFalseSince).isNotNull();
    assertThat(ready.startedAt()).isNotNull();
    assertThat(ready.completedAt()).isNotNull();
    assertThat(ready.attempts()).isEqualTo(1);
    assertThat(ready.resolved().totalBytes())
        .as("the downloader's fields survive the operator's patches")
        .isEqualTo(1000);
    assertThat(ready.message()).contains("2 files");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(kube.v1().events().inNamespace(ns).list().getItems())
                    .extracting(e -> e.getReason())
                    .contains("DownloadStarted", "Ready"));
  }

  @Test
  void reportsTheDownloadersErrorWhenThePullFails() {
    kube.resource(Artifacts.hf(ns, "gone").build()).create();
    Job job = awaitJob("gone");
    JobControllerStandIn jobs = new JobControllerStandIn(kube);
    Pod pod = jobs.startPod(job);

    jobs.finish(
        job,
        pod,
        3,
        "{\"status\":\"failed\",\"error\":\"repository demo/tiny-model not found (404)\"}");

    ModelArtifactStatus failed = awaitStatus("gone", s -> s.phase() == Phase.Failed);
    assertThat(failed.message()).isEqualTo("repository demo/tiny-model not found (404)");
    assertThat(condition(failed, "Ready").getReason()).isEqualTo("SourceError");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(kube.v1().events().inNamespace(ns).list().getItems())
                    .anySatisfy(
                        e -> {
                          assertThat(e.getReason()).isEqualTo("SourceError");
                          assertThat(e.getType()).isEqualTo("Warning");
                        }));
  }

  @Test
  void waitsForAnExistingClaimThatDoesNotExistYet() {
    kube.resource(Artifacts.hf(ns, "llama").existingClaim("shared-models").build()).create();

    ModelArtifactStatus status =
        awaitStatus("llama", s -> s.phase() == Phase.Pending && s.conditions() != null);
    assertThat(condition(status, "StorageReady").getReason()).isEqualTo("ClaimMissing");
    assertThat(kube.batch().v1().jobs().inNamespace(ns).list().getItems()).isEmpty();
  }

  @Test
  void refusesToStartADownloadThatCannotFitTheClaim() {
    kube.resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("small")
                .withNamespace(ns)
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources()
                .addToRequests("storage", new Quantity("1Mi"))
                .endResources()
                .endSpec()
                .build())
        .create();
    kube.resource(Artifacts.hf(ns, "big").existingClaim("small").build()).create();
    awaitJob("big");

    new DownloaderStandIn(kube).progress(ns, "big", 0, 10L << 20, 0, 3);

    ModelArtifactStatus status = awaitStatus("big", s -> s.phase() == Phase.Failed);
    assertThat(condition(status, "StorageReady").getReason()).isEqualTo("InsufficientCapacity");
    assertThat(condition(status, "Ready").getReason()).isEqualTo("InsufficientCapacity");
    assertThat(status.message()).contains("1.0 MiB").contains("10.0 MiB");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(kube.batch().v1().jobs().inNamespace(ns).list().getItems()).isEmpty());
  }

  @Test
  void aSpecChangeStartsANewGenerationAndRemovesTheOlderJob() {
    kube.resource(Artifacts.hf(ns, "llama").build()).create();
    Job first = awaitJob("llama");

    kube.resources(ModelArtifact.class)
        .inNamespace(ns)
        .withName("llama")
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"spec\":{\"source\":{\"revision\":\"v2\"}}}");

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(kube.batch().v1().jobs().inNamespace(ns).list().getItems())
                    .singleElement()
                    .satisfies(
                        j -> {
                          assertThat(j.getMetadata().getName())
                              .startsWith("llama-g2-")
                              .isNotEqualTo(first.getMetadata().getName());
                          assertThat(
                                  j.getSpec()
                                      .getTemplate()
                                      .getSpec()
                                      .getInitContainers()
                                      .getFirst()
                                      .getArgs())
                              .contains("v2");
                        }));
    assertThat(
            awaitStatus("llama", s -> Long.valueOf(2).equals(s.observedGeneration())).conditions())
        .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(2));
  }

  @Test
  void anEmptyDirArtifactHasNoSharedDownload() {
    kube.resource(Artifacts.hf(ns, "per-pod").emptyDir().build()).create();

    ModelArtifactStatus status = awaitStatus("per-pod", s -> s.phase() != null);
    assertThat(status.phase()).isEqualTo(Phase.Pending);
    assertThat(condition(status, "StorageReady").getReason()).isEqualTo("EmptyDir");
    assertThat(kube.batch().v1().jobs().inNamespace(ns).list().getItems()).isEmpty();
  }

  @Test
  void countsTheOptedInPodsThatNameItAsWaitingReadyOrNotInjected() {
    kube.resource(Artifacts.hf(ns, "llama").build()).create();
    OptedInPods pods = new OptedInPods(kube);

    pods.injected(ns, "waiting-0", "llama");
    pods.ready(pods.injected(ns, "ready-0", "bge,llama=/mnt/llama"));
    pods.notInjected(ns, "missed-0", "llama");
    pods.injected(ns, "other-artifact-0", "bge");

    ModelArtifactStatus status =
        awaitStatus(
            "llama",
            s ->
                s.consumers() != null
                    && s.consumers().notInjected() == 1
                    && s.consumers().ready() == 1);
    assertThat(status.consumers()).isEqualTo(new Consumers(1, 1, 1));
    assertThat(awaitJob("llama"))
        .as("consumer pods are not mistaken for an earlier generation's download")
        .isNotNull();
  }

  @Test
  void reportsEachConsumerAdmittedWithoutInjectionOnceOnTheArtifact() {
    kube.resource(Artifacts.hf(ns, "llama").build()).create();
    OptedInPods pods = new OptedInPods(kube);

    pods.notInjected(ns, "missed-0", "llama");
    await().atMost(WAIT).until(() -> notInjectedEvents("llama"), l -> l.size() == 1);
    pods.notInjected(ns, "missed-1", "llama");
    awaitStatus("llama", s -> s.consumers() != null && s.consumers().notInjected() == 2);

    List<Event> events =
        await().atMost(WAIT).until(() -> notInjectedEvents("llama"), l -> l.size() >= 2);
    assertThat(events)
        .extracting(Event::getMessage)
        .containsExactlyInAnyOrder(
            "pod missed-0 was admitted without modelprefetch injection (the webhook was"
                + " unreachable): this model is not mounted in it. Delete the pod (or"
                + " rollout-restart its workload)",
            "pod missed-1 was admitted without modelprefetch injection (the webhook was"
                + " unreachable): this model is not mounted in it. Delete the pod (or"
                + " rollout-restart its workload)");
    assertThat(events)
        .allSatisfy(
            e -> {
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getCount()).isEqualTo(1);
            });
  }

  @Test
  void servesPrometheusMetricsWithoutPerResourceJosdkTagsAndHealthEndpoints() {
    kube.resource(Artifacts.hf(ns, "metered").build()).create();
    awaitStatus("metered", s -> s.phase() == Phase.Pending);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              String metrics = operator.get("/metrics");
              assertThat(metrics).startsWith("200");
              assertThat(metrics)
                  .contains(
                      "modelprefetch_artifact_phase{name=\"metered\",namespace=\""
                          + ns
                          + "\",phase=\"Pending\"} 1.0");
              assertThat(metrics).contains("modelprefetch_artifact_size_bytes{name=\"metered\"");
              assertThat(metrics).contains("operator_sdk_");
              assertThat(metrics.lines().filter(l -> l.startsWith("operator_sdk_")))
                  .noneMatch(l -> l.contains("name=\"metered\""));
            });
    assertThat(operator.get("/healthz")).startsWith("200");
    assertThat(operator.get("/readyz")).startsWith("200");

    kube.resources(ModelArtifact.class).inNamespace(ns).withName("metered").delete();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(operator.get("/metrics")).doesNotContain("name=\"metered\""));
  }

  private Job awaitJob(String artifact) {
    return await()
        .atMost(WAIT)
        .until(
            () ->
                kube.batch().v1().jobs().inNamespace(ns).list().getItems().stream()
                    .filter(j -> j.getMetadata().getName().startsWith(artifact + "-g"))
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  private List<Event> notInjectedEvents(String artifact) {
    return kube.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(
            e ->
                "ModelArtifact".equals(e.getInvolvedObject().getKind())
                    && artifact.equals(e.getInvolvedObject().getName()))
        .filter(e -> "ModelNotInjected".equals(e.getReason()))
        .toList();
  }

  private ModelArtifactStatus awaitStatus(
      String name, java.util.function.Predicate<ModelArtifactStatus> until) {
    return await()
        .atMost(WAIT)
        .until(
            () -> {
              ModelArtifact ma =
                  kube.resources(ModelArtifact.class).inNamespace(ns).withName(name).get();
              return ma == null ? null : ma.getStatus();
            },
            s -> s != null && until.test(s));
  }

  private static Condition condition(ModelArtifactStatus s, String type) {
    return s.conditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type + " in " + s.conditions()));
  }
}
