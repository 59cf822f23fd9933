package io.modelprefetch.operator.tls;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the generated CA and serving certificate in a Secret ({@code ca.crt}, {@code tls.crt},
 * {@code tls.key}) so that restarts and other replicas serve the same certificate. A stored bundle
 * is reused while it covers the wanted names and has more than {@link #RENEW_BEFORE} left.
 */
public final class TlsSecretStore {
  public static final Duration RENEW_BEFORE = Duration.ofDays(30);
  private static final Logger LOG = LoggerFactory.getLogger(TlsSecretStore.class);
  private final KubernetesClient client;
  private final CertificateGenerator generator;
  private final Clock clock;

  public TlsSecretStore(KubernetesClient client, CertificateGenerator generator, Clock clock) {
    this.client = client;
    this.generator = generator;
    this.clock = clock;
  }

  /**
   * The stored bundle when still good, else a new one written to the Secret (created or replaced).
   */
  public TlsBundle loadOrCreate(
      String namespace, String secretName, List<String> subjectAlternativeNames) {
    var resource = client.secrets().inNamespace(namespace).withName(secretName);
    Secret existing = resource.get();
    Optional<TlsBundle> stored = Optional.ofNullable(existing).flatMap(TlsSecretStore::read);
    if (stored.isPresent() && usable(stored.get(), subjectAlternativeNames)) {
      return stored.get();
    }
    TlsBundle fresh = generator.generate(subjectAlternativeNames);
    Secret secret =
        new SecretBuilder()
            .withNewMetadata()
            .withName(secretName)
            .withNamespace(namespace)
            .addToLabels("app.kubernetes.io/name", "modelprefetch")
            .addToLabels("app.kubernetes.io/component", "webhook")
            .withResourceVersion(
                existing == null ? null : existing.getMetadata().getResourceVersion())
            .endMetadata()
            .withType("kubernetes.io/tls")
            .withData(
                Map.of(
                    "ca.crt",
                    b64(fresh.caPem()),
                    "tls.crt",
                    b64(fresh.certPem()),
                    "tls.key",
                    b64(fresh.keyPem())))
            .build();
    try {
      if (existing == null) {
        client.resource(secret).create();
      } else {
        client.resource(secret).update();
      }
      LOG.info(
          "generated a webhook CA and serving certificate for {} in Secret {}/{}",
          subjectAlternativeNames,
          namespace,
          secretName);
      return fresh;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        // Another replica wrote it first: serve what it wrote, so all replicas agree.
        return read(resource.get()).orElseThrow(() -> e);
      }
      throw e;
    }
  }

  static Optional<TlsBundle> read(Secret secret) {
    Map<String, String> data =
        secret == null || secret.getData() == null ? Map.of() : secret.getData();
    if (!data.containsKey("ca.crt")
        || !data.containsKey("tls.crt")
        || !data.containsKey("tls.key")) {
      return Optional.empty();
    }
    return Optional.of(
        new TlsBundle(
            decode(data.get("ca.crt")), decode(data.get("tls.crt")), decode(data.get("tls.key"))));
  }

  private boolean usable(TlsBundle bundle, List<String> wanted) {
    try {
      X509Certificate leaf = bundle.certificateChain().getFirst();
      leaf.verify(bundle.ca().getPublicKey());
      boolean fresh = leaf.getNotAfter().toInstant().isAfter(clock.instant().plus(RENEW_BEFORE));
      return fresh && names(leaf).containsAll(wanted);
    } catch (Exception e) {
      LOG.warn(
          "the stored webhook certificate is unusable ({}); generating a new one", e.getMessage());
      return false;
    }
  }

  private static Set<String> names(X509Certificate leaf) throws CertificateParsingException {
    Set<String> names = new HashSet<>();
    for (List<?> san :
        Objects.requireNonNullElse(leaf.getSubjectAlternativeNames(), List.<List<?>>of())) {
      names.add(String.valueOf(san.get(1)));
    }
    return names;
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
  }

  private static String decode(String s) {
    return new String(Base64.getDecoder().decode(s), StandardCharsets.US_ASCII);
  }
}
