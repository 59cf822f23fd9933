package io.modelprefetch.operator.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves mounted certificates and picks up renewals (cert-manager rewrites the Secret volume) on
 * the next handshake, at most one file check per {@code interval}: no restart when a certificate is
 * renewed. A renewal that cannot be read keeps the previous certificate and is logged.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
  private static final Logger LOG = LoggerFactory.getLogger(ReloadingKeyManager.class);
  private final Path watched;
  private final Supplier<TlsBundle> reader;
  private final Clock clock;
  private final Duration interval;
  private volatile Loaded loaded;

  private record Loaded(FileTime modified, X509ExtendedKeyManager delegate, Instant checkedAt) {}

  /**
   * @param watched the file whose modification time signals a renewal (tls.crt)
   */
  ReloadingKeyManager(Path watched, Supplier<TlsBundle> reader, Clock clock, Duration interval) {
    this.watched = watched;
    this.reader = reader;
    this.clock = clock;
    this.interval = interval;
    this.loaded = new Loaded(modified(), reader.get().keyManager(), clock.instant());
  }

  private X509ExtendedKeyManager current() {
    Loaded l = loaded;
    Instant now = clock.instant();
    if (now.isBefore(l.checkedAt().plus(interval))) {
      return l.delegate();
    }
    synchronized (this) {
      l = loaded;
      FileTime modified = modified();
      if (modified.equals(l.modified())) {
        loaded = new Loaded(l.modified(), l.delegate(), now);
        return l.delegate();
      }
      try {
        loaded = new Loaded(modified, reader.get().keyManager(), now);
        LOG.info("reloaded the webhook serving certificate from {}", watched.getParent());
      } catch (RuntimeException e) {
        LOG.error(
            "cannot read the renewed webhook certificate in {} ({}); still serving the previous"
                + " one",
            watched.getParent(),
            e.getMessage());
        loaded = new Loaded(modified, l.delegate(), now);
      }
      return loaded.delegate();
    }
  }

  private FileTime modified() {
    try {
      return Files.getLastModifiedTime(watched);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return current().chooseEngineServerAlias(keyType, issuers, engine);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return current().chooseServerAlias(keyType, issuers, socket);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return current().getServerAliases(keyType, issuers);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return loaded.delegate().getCertificateChain(alias);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return loaded.delegate().getPrivateKey(alias);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }
}
