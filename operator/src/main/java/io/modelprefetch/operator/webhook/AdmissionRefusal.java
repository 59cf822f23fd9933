package io.modelprefetch.operator.webhook;

/**
 * A pod the webhook refuses to admit, with a message the user can act on (it is shown by kubectl
 * verbatim, after {@code admission webhook "…" denied the request:}).
 */
public final class AdmissionRefusal extends RuntimeException {
  public AdmissionRefusal(String message) {
    super(message, null, false, false);
  }
}
