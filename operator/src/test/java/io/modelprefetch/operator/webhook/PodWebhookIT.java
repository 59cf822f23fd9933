package io.modelprefetch.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.ModelArtifactStatus;
import io.modelprefetch.api.v1alpha1.Phase;
import io.modelprefetch.api.v1alpha1.Resolved;
import io.modelprefetch.operator.testing.ApiServerExtension;
import io.modelprefetch.operator.testing.TestCluster;
import io.modelprefetch.operator.tls.CertificateGenerator;
import io.modelprefetch.operator.tls.TlsBundle;
import io.modelprefetch.operator.tls.TlsSecretStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API server itself calls the webhook over TLS; namespaces enforce Pod Security "restricted".
 */
@ExtendWith(ApiServerExtension.class)
class PodWebhookIT {
  private static final long GIB = 1L << 30;
  private static TestCluster cluster;
  private static KubernetesClient client;
  private static RunningWebhook webhook;
  private static String system;
  private static String ns;

  @BeforeAll
  static void start(TestCluster c) throws Exception {
    cluster = c;
    client = c.admin();
    system = c.newNamespace("modelprefetch-system", false);
    ns = c.newNamespace("serving", true);
    client.resource(TestArtifacts.onCreatedClaim(ns, "llama")).create();
    webhook = new RunningWebhook(client, system, "modelprefetch-it");
    webhook.register();
    webhook.awaitServing(ns, TestArtifacts.onCreatedClaim(ns, "llama"));
  }

  @AfterAll
  static void stop() {
    webhook.unregister();
    webhook.close();
  }

  @Test
  void anOptedInPodIsCreatedWithTheModelMountedAndAWaitInitContainerFirst() {
    Pod pod = create(TestPods.optedIn("server-0", "llama").build());

    assertThat(pod.getSpec().getInitContainers())
        .extracting(Container::getName)
        .containsExactly("mp-wait-llama", "setup");
    Container wait = pod.getSpec().getInitContainers().getFirst();
    assertThat(wait.getImage()).isEqualTo(RunningWebhook.IMAGE);
    assertThat(wait.getArgs())
        .containsExactly("wait", "--dest", "/models/llama", "--timeout", "7200s");
    PodInjectorTest.assertRestricted(wait);
    assertThat(PodInjectorTest.volume(pod, "mp-llama").getPersistentVolumeClaim().getClaimName())
        .isEqualTo("llama-model");
    Container server = pod.getSpec().getContainers().getFirst();
    assertThat(PodInjectorTest.mount(server, "mp-llama").getMountPath()).isEqualTo("/models/llama");
    assertThat(PodInjectorTest.mount(server, "mp-llama").getReadOnly()).isTrue();
    assertThat(server.getEnv()).containsExactly(new EnvVar("MODEL_PATH", "/models/llama", null));
    assertThat(pod.getMetadata().getAnnotations())
        .containsEntry(PodLabels.INJECTED_ANNOTATION, "llama");
  }

  @Test
  void aPerPodArtifactIsPulledAtThePinnedRevisionIntoASizedEmptyDir() {
    ModelArtifact bge =
        client
            .resource(
                TestArtifacts.artifact(
                    ns,
                    "bge",
                    TestArtifacts.hf("hf-token"),
                    new io.modelprefetch.api.v1alpha1.Storage(
                        null, new io.modelprefetch.api.v1alpha1.EmptyDirStorage(null))))
            .create();
    bge.setStatus(
        new ModelArtifactStatus(
            Phase.Pending,
            List.of(),
            1L,
            new Resolved(TestArtifacts.COMMIT, 3, 16 * GIB, null),
            null,
            null,
            null,
            null,
            null,
            null));
    client.resource(bge).updateStatus();

    Pod pod = create(TestPods.optedIn("server-1", "bge=/mnt/bge").build());

    Container pull = pod.getSpec().getInitContainers().getFirst();
    assertThat(pull.getName()).isEqualTo("mp-pull-bge");
    assertThat(pull.getArgs())
        .containsSequence(
            "pull",
            "hf://meta-llama/Llama-3.1-8B-Instruct",
            "--dest",
            "/mnt/bge",
            "--revision",
            TestArtifacts.COMMIT);
    assertThat(pull.getEnv()).extracting(EnvVar::getName).contains("HF_TOKEN");
    PodInjectorTest.assertRestricted(pull);
    assertThat(PodInjectorTest.volume(pod, "mp-bge").getEmptyDir().getSizeLimit())
        .isEqualTo(new Quantity("18023Mi"));
  }

  @Test
  void theNamespaceReallyEnforcesRestricted() {
    Pod privileged =
        new PodBuilder(TestPods.plain("control-0").build())
            .editSpec()
            .editFirstContainer()
            .editSecurityContext()
            .withAllowPrivilegeEscalation(true)
            .endSecurityContext()
            .endContainer()
            .endSpec()
            .build();

    assertThatThrownBy(() -> create(privileged))
        .hasMessageContaining(
            "violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false");
  }

  @Test
  void anUnknownArtifactIsRefusedWithItsName() {
    assertThatThrownBy(() -> create(TestPods.optedIn("server-2", "ghost").build()))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining(
            "admission webhook \"pods.modelprefetch.io\" denied the request: ModelArtifact 'ghost'"
                + " not found in namespace '"
                + ns
                + "' (annotation modelprefetch.io/artifacts); create it first or correct the name");
  }

  @Test
  void anArtifactOfAnotherNamespaceIsRefused() {
    assertThatThrownBy(() -> create(TestPods.optedIn("server-3", "other-ns/llama").build()))
        .hasMessageContaining(
            "denied the request: artifact 'other-ns/llama' refers to another namespace; a pod can"
                + " only use ModelArtifacts in its own namespace '"
                + ns
                + "'");
  }

  @Test
  void aMalformedAnnotationIsRefused() {
    assertThatThrownBy(() -> create(TestPods.optedIn("server-4", "llama,,").build()))
        .hasMessageContaining(
            "denied the request: annotation modelprefetch.io/artifacts has an empty entry in"
                + " 'llama,,'");
    assertThatThrownBy(() -> create(TestPods.optedIn("server-5", "llama=relative/path").build()))
        .hasMessageContaining(
            "denied the request: mount path 'relative/path' of artifact 'llama' must be an absolute"
                + " path");
  }

  @Test
  void podsWithoutTheLabelNeverReachTheWebhook() {
    long before = webhook.webhook.server().requests();

    Pod pod =
        create(
            TestPods.plain("web-0")
                .editMetadata()
                .addToAnnotations(PodLabels.ARTIFACTS_ANNOTATION, "llama")
                .endMetadata()
                .build());

    assertThat(webhook.webhook.server().requests()).isEqualTo(before);
    assertThat(pod.getSpec().getInitContainers())
        .extracting(Container::getName)
        .containsExactly("setup");
  }

  @Test
  void updatingAnInjectedPodDoesNotInjectAgain() {
    create(TestPods.optedIn("server-6", "llama").build());
    long before = webhook.webhook.server().requests();

    Pod updated =
        client
            .pods()
            .inNamespace(ns)
            .withName("server-6")
            .edit(
                p ->
                    new PodBuilder(p)
                        .editMetadata()
                        .addToLabels("rollout", "2")
                        .endMetadata()
                        .build());

    assertThat(updated.getSpec().getInitContainers())
        .extracting(Container::getName)
        .containsExactly("mp-wait-llama", "setup");
    assertThat(updated.getSpec().getVolumes())
        .extracting(v -> v.getName())
        .containsOnlyOnce("mp-llama");
    assertThat(webhook.webhook.server().requests()).isEqualTo(before);
  }

  @Test
  void aContainerAddedByALaterWebhookGetsTheModelOnReinvocation() throws Exception {
    try (SidecarInjector sidecar = new SidecarInjector()) {
      client.resource(sidecar.configuration()).create();
      try {
        await()
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () ->
                    client
                            .pods()
                            .inNamespace(ns)
                            .resource(TestPods.optedIn("probe", "llama").build())
                            .dryRun()
                            .create()
                            .getSpec()
                            .getContainers()
                            .size()
                        == 2);

        Pod pod = create(TestPods.optedIn("server-7", "llama").build());

        Container proxy = pod.getSpec().getContainers().get(1);
        assertThat(proxy.getName()).isEqualTo("proxy");
        assertThat(PodInjectorTest.mount(proxy, "mp-llama").getMountPath())
            .isEqualTo("/models/llama");
        assertThat(proxy.getEnv()).containsExactly(new EnvVar("MODEL_PATH", "/models/llama", null));
        assertThat(pod.getSpec().getInitContainers())
            .extracting(Container::getName)
            .containsExactly("mp-wait-llama", "setup");
      } finally {
        client
            .admissionRegistration()
            .v1()
            .mutatingWebhookConfigurations()
            .withName(SidecarInjector.NAME)
            .delete();
      }
    }
  }

  @Test
  void aResetCaBundleIsWrittenBackByTheKeeper() {
    var name = webhook.config.tls().configurationName();
    client
        .admissionRegistration()
        .v1()
        .mutatingWebhookConfigurations()
        .withName(name)
        .edit(
            c -> {
              c.getWebhooks().forEach(w -> w.getClientConfig().setCaBundle(null));
              return c;
            });

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .admissionRegistration()
                            .v1()
                            .mutatingWebhookConfigurations()
                            .withName(name)
                            .get()
                            .getWebhooks()
                            .getFirst()
                            .getClientConfig()
                            .getCaBundle())
                    .isNotBlank());
    webhook.awaitServing(ns, TestArtifacts.onCreatedClaim(ns, "llama"));
  }

  @Test
  void theGeneratedCertificateIsKeptInASecretAndReusedOnRestart() {
    var tls = webhook.config.tls();
    TlsBundle again =
        new TlsSecretStore(client, new CertificateGenerator(Clock.systemUTC()), Clock.systemUTC())
            .loadOrCreate(tls.namespace(), tls.secretName(), tls.subjectAlternativeNames());

    assertThat(again.caPem()).isEqualTo(webhook.webhook.caPem());
    var secret = client.secrets().inNamespace(system).withName(tls.secretName()).get();
    assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
    assertThat(secret.getData()).containsOnlyKeys("ca.crt", "tls.crt", "tls.key");
  }

  private static Pod create(Pod pod) {
    return client.pods().inNamespace(ns).resource(pod).create();
  }
}
