package io.modelprefetch.operator.webhook;

/** The pod-facing contract of the webhook: the opt-in label and the annotations. */
public final class PodLabels {
  /**
   * Opt-in label, matched by the webhook's objectSelector so other pods never reach the webhook.
   */
  public static final String INJECT_LABEL = "modelprefetch.io/inject";

  /** {@code name[,name=/mount/path…]}: the ModelArtifacts (in the pod's namespace) to mount. */
  public static final String ARTIFACTS_ANNOTATION = "modelprefetch.io/artifacts";

  /**
   * Set by the webhook: the artifacts it injected. Its absence on an opted-in pod means "not
   * injected".
   */
  public static final String INJECTED_ANNOTATION = "modelprefetch.io/injected";

  private PodLabels() {}
}
