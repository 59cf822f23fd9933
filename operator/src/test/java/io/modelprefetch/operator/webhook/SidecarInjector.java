package io.modelprefetch.operator.webhook;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.modelprefetch.operator.tls.CertificateGenerator;
import io.modelprefetch.operator.tls.TlsBundle;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

/**
 * Another vendor's webhook that runs after ours (configuration names sort after "modelprefetch")
 * and appends a "proxy" container, as service meshes do; the API server then reinvokes ours.
 */
final class SidecarInjector implements AutoCloseable {
  static final String NAME = "zz-sidecar-injector";
  private final TlsBundle tls =
      new CertificateGenerator(Clock.systemUTC()).generate(List.of("127.0.0.1"));
  private final KubernetesSerialization serialization = new KubernetesSerialization();
  private final HttpsServer server;

  SidecarInjector() throws Exception {
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.setHttpsConfigurator(new HttpsConfigurator(tls.sslContext()));
    server.createContext(
        "/inject",
        exchange -> {
          try (exchange) {
            AdmissionReview review =
                serialization.unmarshal(exchange.getRequestBody(), AdmissionReview.class);
            Pod pod = (Pod) review.getRequest().getObject();
            boolean present =
                pod.getSpec().getContainers().stream().anyMatch(c -> c.getName().equals("proxy"));
            var response =
                new AdmissionReviewBuilder()
                    .withApiVersion("admission.k8s.io/v1")
                    .withKind("AdmissionReview")
                    .withNewResponse()
                    .withUid(review.getRequest().getUid())
                    .withAllowed(true)
                    .endResponse()
                    .build();
            if (!present) {
              String patch =
                  "[{\"op\":\"add\",\"path\":\"/spec/containers/-\",\"value\":"
                      + serialization.asJson(TestPods.restricted("proxy", "envoy:1.31"))
                      + "}]";
              response.getResponse().setPatchType("JSONPatch");
              response
                  .getResponse()
                  .setPatch(
                      Base64.getEncoder().encodeToString(patch.getBytes(StandardCharsets.UTF_8)));
            }
            byte[] body = serialization.asJson(response).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
        });
    server.start();
  }

  MutatingWebhookConfiguration configuration() {
    MutatingWebhookConfiguration c =
        PodWebhookConfiguration.forUrl(
            NAME, "https://127.0.0.1:" + server.getAddress().getPort() + "/inject", tls.caPem());
    c.getWebhooks().getFirst().setName("sidecar.example.com");
    c.getWebhooks().getFirst().setReinvocationPolicy("Never");
    return c;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
