/**
 * The pod-mutating admission webhook: "annotate a pod, get the model".
 *
 * <h2>Contract with users</h2>
 *
 * A pod opts in with the label {@code modelprefetch.io/inject: "true"} (the webhook's
 * objectSelector, so no other pod ever reaches it) and the annotation {@code
 * modelprefetch.io/artifacts: name[,name=/mount/path…]} naming ModelArtifacts in its own namespace
 * (default mount {@code /models/<name>}). For a claim-backed artifact the pod gets the claim
 * mounted read-only into every app container, {@code MODEL_PATH} (and {@code MODEL_PATH_<NAME>}
 * with several artifacts) and an init container {@code modelprefetch wait}; for an emptyDir
 * artifact an emptyDir sized from {@code status.resolved.totalBytes} plus headroom and an init
 * container {@code modelprefetch pull} at the pinned revision. Injected init containers run before
 * the pod's own, satisfy Pod Security "restricted" and have requests/limits. The marker annotation
 * {@code modelprefetch.io/injected} names what was injected. Unknown artifacts, other namespaces
 * and malformed annotations are refused with a message naming the problem.
 *
 * <h2>Wiring (the operator's bootstrap)</h2>
 *
 * <pre>{@code
 * WebhookConfig webhookConfig = WebhookConfig.fromEnv(System.getenv());
 * PodWebhook webhook = PodWebhook.start(webhookConfig, client, clock);      // TLS, cache, HTTPS on :9443
 * // status.consumers and the not-injected safety net: the reconciler's one informer over
 * //   opted-in pods (status.ConsumerPods counts, events.NotInjectedPods reports)
 * // shutdown: webhook.close();
 * }</pre>
 *
 * Every replica serves the webhook (admission is stateless; no leader needed). TLS (package {@code
 * tls}): mounted {@code tls.crt}/{@code tls.key} in {@code MODELPREFETCH_WEBHOOK_CERT_DIR}
 * (cert-manager; renewals picked up without restart; caBundle left to cert-manager's CA injector)
 * or else a generated CA and certificate kept in Secret {@code MODELPREFETCH_WEBHOOK_SECRET} with
 * the CA kept in the caBundle of {@code MODELPREFETCH_WEBHOOK_CONFIGURATION}. Resources for the
 * chart: {@code mutating-webhook-configuration.yml} and {@code webhook-rbac.yml} next to this
 * package.
 */
package io.modelprefetch.operator.webhook;
