package io.modelprefetch.operator.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /mutate-pods}: AdmissionReview in, AdmissionReview out. A refusal is an answer
 * (allowed=false, HTTP 200); a request that cannot be read is HTTP 400 and an internal failure HTTP
 * 500, so the API server applies failurePolicy (Ignore) and the safety net reports the pod. No
 * stack trace ever leaves the process.
 */
public final class AdmissionReviewHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(AdmissionReviewHandler.class);
  private static final int MAX_BODY = 8 * 1024 * 1024;
  private final PodMutator mutator;
  private final KubernetesSerialization serialization;
  private final AtomicLong requests = new AtomicLong();

  public AdmissionReviewHandler(PodMutator mutator, KubernetesSerialization serialization) {
    this.mutator = mutator;
    this.serialization = serialization;
  }

  /** AdmissionReview requests received so far (tests assert that unrelated pods never arrive). */
  public long requests() {
    return requests.get();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        reply(exchange, 405, "{\"message\":\"POST an admission.k8s.io/v1 AdmissionReview\"}");
        return;
      }
      requests.incrementAndGet();
      AdmissionReview review;
      try (InputStream in = exchange.getRequestBody()) {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
          reply(exchange, 413, "{\"message\":\"AdmissionReview larger than 8 MiB\"}");
          return;
        }
        review =
            serialization.unmarshal(
                new String(body, StandardCharsets.UTF_8), AdmissionReview.class);
      } catch (RuntimeException e) {
        reply(exchange, 400, "{\"message\":\"not an AdmissionReview\"}");
        return;
      }
      if (review == null || review.getRequest() == null) {
        reply(exchange, 400, "{\"message\":\"AdmissionReview without request\"}");
        return;
      }
      String answer = answer(review.getRequest());
      if (answer == null) {
        reply(
            exchange,
            500,
            "{\"message\":\"internal error in the modelprefetch webhook (see operator log)\"}");
      } else {
        reply(exchange, 200, answer);
      }
    }
  }

  /**
   * The AdmissionReview to send back, or null after a failure (logged; the API server applies
   * failurePolicy).
   */
  private String answer(AdmissionRequest request) {
    try {
      return serialization.asJson(respond(request));
    } catch (KubernetesClientException e) {
      // The API server was unreachable or refused a lookup: an operational condition, not a bug.
      LOG.warn(
          "admission of pod {}/{} failed, the API server applies failurePolicy: {}",
          request.getNamespace(),
          request.getName(),
          String.valueOf(e.getMessage()).replaceAll("\\p{Cntrl}", " "));
    } catch (RuntimeException e) {
      LOG.error(
          "admission of pod {}/{} failed; the API server applies failurePolicy",
          request.getNamespace(),
          request.getName(),
          e);
    }
    return null;
  }

  private AdmissionReview respond(AdmissionRequest request) {
    AdmissionResponseBuilder response = new AdmissionResponseBuilder().withUid(request.getUid());
    switch (mutator.decide(request)) {
      case AdmissionDecision.Admit a -> {
        response.withAllowed(true).withWarnings(a.warnings().isEmpty() ? null : a.warnings());
        if (a.jsonPatch() != null) {
          response
              .withPatchType("JSONPatch")
              .withPatch(
                  Base64.getEncoder()
                      .encodeToString(a.jsonPatch().getBytes(StandardCharsets.UTF_8)));
        }
      }
      case AdmissionDecision.Refuse r ->
          response
              .withAllowed(false)
              .withStatus(
                  new StatusBuilder()
                      .withCode(403)
                      .withReason("Forbidden")
                      .withMessage(r.message())
                      .build());
    }
    AdmissionResponse built = response.build();
    return new AdmissionReviewBuilder()
        .withApiVersion("admission.k8s.io/v1")
        .withKind("AdmissionReview")
        .withResponse(built)
        .build();
  }

  private static void reply(HttpExchange exchange, int code, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
