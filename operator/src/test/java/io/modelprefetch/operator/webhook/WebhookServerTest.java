package io.modelprefetch.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.modelprefetch.operator.config.WebhookConfig;
import io.modelprefetch.operator.tls.CertificateGenerator;
import io.modelprefetch.operator.tls.TlsBundle;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTPS server on loopback, called as the API server calls it. */
class WebhookServerTest {
  private final TlsBundle tls =
      new CertificateGenerator(Clock.systemUTC()).generate(List.of("webhook.test", "127.0.0.1"));
  private WebhookServer server;
  private WebhookClient client;

  @BeforeEach
  void start() throws Exception {
    var serialization = new KubernetesSerialization();
    var artifacts = new TestArtifacts().add(TestArtifacts.onCreatedClaim("serving", "llama"));
    var mutator =
        new PodMutator(
            new ArtifactResolver(artifacts, 10),
            new PodInjector(
                new InjectedContainers(WebhookConfig.Injection.defaults(PodInjectorTest.IMAGE))),
            new PodPatch(serialization));
    server =
        new WebhookServer(
            "127.0.0.1", 0, tls.sslContext(), new AdmissionReviewHandler(mutator, serialization));
    client = new WebhookClient(tls.caPem(), server.port());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void theServingCertificateNamesTheSansAndChainsToTheCa() throws Exception {
    X509Certificate leaf = tls.certificateChain().getFirst();

    leaf.verify(tls.ca().getPublicKey());
    assertThat(
            leaf.getSubjectAlternativeNames().stream()
                .map(san -> String.valueOf(san.get(1)))
                .toList())
        .containsExactly("webhook.test", "127.0.0.1");
    assertThat(tls.ca().getBasicConstraints()).isZero();
  }

  @Test
  void anOptedInPodIsAdmittedWithAJsonPatch() throws Exception {
    String body = client.reviewJson(TestPods.optedIn("server-0", "llama").build(), "serving");
    String uid =
        new KubernetesSerialization()
            .unmarshal(body, io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview.class)
            .getRequest()
            .getUid();

    var response =
        new KubernetesSerialization()
            .unmarshal(
                client.post(body).body(),
                io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview.class)
            .getResponse();

    assertThat(response.getUid()).isEqualTo(uid);
    assertThat(response.getAllowed()).isTrue();
    assertThat(response.getPatchType()).isEqualTo("JSONPatch");
    assertThat(new String(Base64.getDecoder().decode(response.getPatch())))
        .contains("\"mp-wait-llama\"", "\"llama-model\"");
    assertThat(server.requests()).isEqualTo(1);
  }

  @Test
  void aRefusalIsAnAnswerWithTheMessage() throws Exception {
    var response =
        client.review(TestPods.optedIn("server-0", "ghost").build(), "serving").getResponse();

    assertThat(response.getAllowed()).isFalse();
    assertThat(response.getPatch()).isNull();
    assertThat(response.getStatus().getCode()).isEqualTo(403);
    assertThat(response.getStatus().getMessage())
        .isEqualTo(
            "ModelArtifact 'ghost' not found in namespace 'serving'"
                + " (annotation modelprefetch.io/artifacts); create it first or correct the name");
  }

  @Test
  void anInternalFailureIsA500WithoutAStackTraceSoFailurePolicyApplies() throws Exception {
    var serialization = new KubernetesSerialization();
    ArtifactLookup broken =
        (ns, name) -> {
          throw new io.fabric8.kubernetes.client.KubernetesClientException("connection refused");
        };
    var mutator =
        new PodMutator(
            new ArtifactResolver(broken, 10),
            new PodInjector(new InjectedContainers(WebhookConfig.Injection.defaults("img"))),
            new PodPatch(serialization));
    try (var failing =
        new WebhookServer(
            "127.0.0.1", 0, tls.sslContext(), new AdmissionReviewHandler(mutator, serialization))) {
      var failingClient = new WebhookClient(tls.caPem(), failing.port());

      var response =
          failingClient.post(
              failingClient.reviewJson(TestPods.optedIn("server-0", "llama").build(), "serving"));

      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(response.body())
          .isEqualTo(
              "{\"message\":\"internal error in the modelprefetch webhook (see operator log)\"}");
    }
  }

  @Test
  void garbageIsABadRequestWithoutAStackTrace() throws Exception {
    var response = client.post("{\"kind\": [");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo("{\"message\":\"not an AdmissionReview\"}");
  }
}
