package io.modelprefetch.operator.webhook;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.modelprefetch.operator.tls.TlsBundle;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Plays the API server: POSTs AdmissionReviews over TLS, trusting only the webhook's CA. */
public final class WebhookClient {
  private final HttpClient http;
  private final URI uri;
  private final KubernetesSerialization serialization = new KubernetesSerialization();

  public WebhookClient(String caPem, int port) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", TlsBundle.certificates(caPem).getFirst());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    this.http =
        HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).build();
    this.uri = URI.create("https://127.0.0.1:" + port + WebhookServer.PATH);
  }

  public String reviewJson(Pod pod, String namespace) {
    return serialization.asJson(
        new AdmissionReviewBuilder()
            .withApiVersion("admission.k8s.io/v1")
            .withKind("AdmissionReview")
            .withNewRequest()
            .withUid(UUID.randomUUID().toString())
            .withOperation("CREATE")
            .withNamespace(namespace)
            .withNewKind("", "Pod", "v1")
            .withNewResource("", "pods", "v1")
            .withObject(pod)
            .endRequest()
            .build());
  }

  public HttpResponse<String> post(String body) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public AdmissionReview review(Pod pod, String namespace)
      throws IOException, InterruptedException {
    HttpResponse<String> response = post(reviewJson(pod, namespace));
    if (response.statusCode() != 200) {
      throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
    }
    return serialization.unmarshal(response.body(), AdmissionReview.class);
  }
}
