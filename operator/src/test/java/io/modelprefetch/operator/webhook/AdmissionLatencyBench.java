package io.modelprefetch.operator.webhook;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.modelprefetch.operator.config.WebhookConfig;
import io.modelprefetch.operator.tls.CertificateGenerator;
import io.modelprefetch.operator.tls.TlsBundle;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * Admission latency of the webhook server as the API server sees it: AdmissionReview POSTs over a
 * kept-alive TLS connection on loopback, artifacts from memory (as from the informer cache). A
 * benchmark, not a test. Run (after a build):
 *
 * <pre>
 * ./mvnw -B -q -pl operator -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
 * java -XX:+UseSerialGC -Xms256m -Xmx256m \
 *   -cp operator/target/test-classes:operator/target/classes:$(cat operator/target/bench.classpath) \
 *   io.modelprefetch.operator.webhook.AdmissionLatencyBench [requests, default 2000]
 * </pre>
 *
 * It prints p50/p90/p99/max over HTTPS and for the same work in process (no socket, no TLS); on a
 * busy 2-core machine the tail is CPU contention, so compare runs on a quiet one.
 *
 * <pre>
 * </pre>
 */
public final class AdmissionLatencyBench {
  private AdmissionLatencyBench() {}

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int warmup = 1000;
    TlsBundle tls = new CertificateGenerator(Clock.systemUTC()).generate(List.of("127.0.0.1"));
    var serialization = new KubernetesSerialization();
    var artifacts =
        new TestArtifacts()
            .add(TestArtifacts.onCreatedClaim("serving", "llama"))
            .add(TestArtifacts.perPod("serving", "bge", TestArtifacts.hf("hf-token"), 2L << 30));
    var mutator =
        new PodMutator(
            new ArtifactResolver(artifacts, 10),
            new PodInjector(
                new InjectedContainers(
                    WebhookConfig.Injection.defaults("registry.test/modelprefetch:1"))),
            new PodPatch(serialization));
    try (var server =
        new WebhookServer(
            "127.0.0.1", 0, tls.sslContext(), new AdmissionReviewHandler(mutator, serialization))) {
      WebhookClient client = new WebhookClient(tls.caPem(), server.port());
      Pod pod = TestPods.optedIn("server-0", "llama,bge=/mnt/bge").build();
      String body = client.reviewJson(pod, "serving");
      for (int i = 0; i < warmup; i++) {
        send(client, body);
      }
      long[] nanos = new long[requests];
      for (int i = 0; i < requests; i++) {
        long start = System.nanoTime();
        send(client, body);
        nanos[i] = System.nanoTime() - start;
      }
      System.out.printf(
          "over HTTPS: %d AdmissionReview requests (after %d warm-up), server count %d%n",
          requests, warmup, server.requests());
      print(nanos);
      // The same work without sockets and TLS: parse, decide, patch, serialize (what the CPU spends
      // per pod).
      long[] processing = new long[requests];
      for (int i = 0; i < requests; i++) {
        long start = System.nanoTime();
        var review =
            serialization.unmarshal(
                body, io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview.class);
        var decision = mutator.decide(review.getRequest());
        if (!(decision instanceof AdmissionDecision.Admit a) || a.jsonPatch() == null) {
          throw new IllegalStateException("unexpected decision " + decision);
        }
        processing[i] = System.nanoTime() - start;
      }
      System.out.printf("in process (no socket/TLS): %d decisions%n", requests);
      print(processing);
    }
  }

  private static void print(long[] nanos) {
    Arrays.sort(nanos);
    System.out.printf(
        "  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms%n",
        ms(nanos, 0.50), ms(nanos, 0.90), ms(nanos, 0.99), nanos[nanos.length - 1] / 1e6);
  }

  private static void send(WebhookClient client, String body) throws Exception {
    var response = client.post(body);
    if (response.statusCode() != 200 || !response.body().contains("\"allowed\":true")) {
      throw new IllegalStateException(
          "unexpected answer: HTTP " + response.statusCode() + " " + response.body());
    }
  }

  private static double ms(long[] sorted, double quantile) {
    return sorted[(int) Math.ceil(quantile * sorted.length) - 1] / 1e6;
  }
}
