package io.modelprefetch.operator.tls;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.modelprefetch.operator.config.WebhookConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * Where the serving certificate comes from. Mounted files win ({@code tls.crt} + {@code tls.key} in
 * the cert dir, e.g. a cert-manager Certificate's Secret; cert-manager's CA injector then owns the
 * caBundle and nothing here touches it). Otherwise a generated CA and certificate are kept in a
 * Secret and a {@link CaBundleKeeper} keeps the configuration's caBundle trusting them.
 *
 * @param bundle the material read at start (renewals of mounted files are served by {@code
 *     sslContext})
 * @param keeper null with mounted certificates
 */
public record WebhookTls(TlsBundle bundle, SSLContext sslContext, CaBundleKeeper keeper)
    implements AutoCloseable {
  /** How often a handshake may look for a renewed mounted certificate. */
  public static final Duration RELOAD_INTERVAL = Duration.ofSeconds(30);

  public static WebhookTls start(WebhookConfig.Tls config, KubernetesClient client, Clock clock) {
    return start(config, client, clock, RELOAD_INTERVAL);
  }

  static WebhookTls start(
      WebhookConfig.Tls config, KubernetesClient client, Clock clock, Duration reloadInterval) {
    Path cert = config.certDir().resolve("tls.crt");
    Path key = config.certDir().resolve("tls.key");
    if (Files.isReadable(cert) && Files.isReadable(key)) {
      var keyManager =
          new ReloadingKeyManager(cert, () -> mounted(config.certDir()), clock, reloadInterval);
      return new WebhookTls(mounted(config.certDir()), TlsBundle.sslContext(keyManager), null);
    }
    TlsBundle generated =
        new TlsSecretStore(client, new CertificateGenerator(clock), clock)
            .loadOrCreate(
                config.namespace(), config.secretName(), config.subjectAlternativeNames());
    return new WebhookTls(
        generated,
        generated.sslContext(),
        new CaBundleKeeper(client, config.configurationName(), generated, clock).start());
  }

  static TlsBundle mounted(Path dir) {
    try {
      Path ca = dir.resolve("ca.crt");
      return new TlsBundle(
          Files.isReadable(ca) ? Files.readString(ca) : null,
          Files.readString(dir.resolve("tls.crt")),
          Files.readString(dir.resolve("tls.key")));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the webhook certificate in " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (keeper != null) {
      keeper.close();
    }
  }
}
