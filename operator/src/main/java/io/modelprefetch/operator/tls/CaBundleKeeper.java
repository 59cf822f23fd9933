package io.modelprefetch.operator.tls;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps our CA in the {@code caBundle} of every webhook of the MutatingWebhookConfiguration: at
 * start and whenever the configuration changes (a {@code helm upgrade} resets it to the chart's
 * empty value). "Contains" rather than "equals": during a certificate renewal replicas still
 * serving the previous certificate stay trusted, and two replicas never fight over the field.
 */
public final class CaBundleKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CaBundleKeeper.class);
  private final KubernetesClient client;
  private final String configurationName;
  private final X509Certificate ca;
  private final String caPem;
  private final Clock clock;
  private SharedIndexInformer<MutatingWebhookConfiguration> informer;

  public CaBundleKeeper(
      KubernetesClient client, String configurationName, TlsBundle bundle, Clock clock) {
    this.client = client;
    this.configurationName = configurationName;
    this.ca = bundle.ca();
    this.caPem = bundle.caPem();
    this.clock = clock;
  }

  /** Patches now (when the configuration exists) and on every later change. */
  public CaBundleKeeper start() {
    informer =
        client
            .admissionRegistration()
            .v1()
            .mutatingWebhookConfigurations()
            .withName(configurationName)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(MutatingWebhookConfiguration c) {
                    ensureOrReport();
                  }

                  @Override
                  public void onUpdate(
                      MutatingWebhookConfiguration old, MutatingWebhookConfiguration c) {
                    ensureOrReport();
                  }

                  @Override
                  public void onDelete(MutatingWebhookConfiguration c, boolean unknownFinalState) {
                    LOG.warn(
                        "MutatingWebhookConfiguration {} was deleted: opted-in pods are no longer"
                            + " injected",
                        configurationName);
                  }
                });
    return this;
  }

  private void ensureOrReport() {
    try {
      ensure();
    } catch (KubernetesClientException e) {
      LOG.error(
          "cannot write the webhook CA into MutatingWebhookConfiguration {} (HTTP {}: {}); the API"
              + " server cannot call the webhook until it can. The operator's ServiceAccount needs"
              + " get/list/watch/update on it (webhook-rbac.yml)",
          configurationName,
          e.getCode(),
          e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage());
    }
  }

  /**
   * One pass: read, add our CA where missing, update with optimistic locking (a conflict retries).
   */
  public void ensure() {
    for (int attempt = 0; attempt < 5; attempt++) {
      var resource =
          client
              .admissionRegistration()
              .v1()
              .mutatingWebhookConfigurations()
              .withName(configurationName);
      MutatingWebhookConfiguration current = resource.get();
      if (current == null) {
        LOG.warn(
            "MutatingWebhookConfiguration {} not found; pods are injected once it exists",
            configurationName);
        return;
      }
      boolean changed = false;
      for (MutatingWebhook webhook : current.getWebhooks()) {
        String bundle = webhook.getClientConfig().getCaBundle();
        if (!trusts(bundle)) {
          webhook.getClientConfig().setCaBundle(merged(bundle));
          changed = true;
        }
      }
      if (!changed) {
        return;
      }
      try {
        client.resource(current).update();
        LOG.info(
            "wrote the webhook CA into the caBundle of MutatingWebhookConfiguration {}",
            configurationName);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
  }

  private boolean trusts(String bundle) {
    return existing(bundle).contains(ca);
  }

  /** Our CA first, then the still-valid CAs already there. */
  private String merged(String bundle) {
    StringBuilder pem = new StringBuilder(caPem);
    for (X509Certificate other : existing(bundle)) {
      if (other.getNotAfter().after(Date.from(clock.instant()))) {
        pem.append(PemText.of(other));
      }
    }
    return Base64.getEncoder().encodeToString(pem.toString().getBytes(StandardCharsets.US_ASCII));
  }

  private static List<X509Certificate> existing(String bundle) {
    if (bundle == null || bundle.isBlank()) {
      return List.of();
    }
    try {
      return new ArrayList<>(
          TlsBundle.certificates(
              new String(Base64.getDecoder().decode(bundle), StandardCharsets.US_ASCII)));
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
