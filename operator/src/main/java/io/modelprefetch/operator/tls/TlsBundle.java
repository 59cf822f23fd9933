package io.modelprefetch.operator.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * PEM-encoded serving material: the CA the API server trusts ({@code caBundle}), the serving
 * certificate chain and its private key (PKCS#8, PKCS#1 or SEC1, as cert-manager may write).
 *
 * @param caPem null when unknown (mounted certificates without ca.crt)
 */
public record TlsBundle(String caPem, String certPem, String keyPem) {

  public List<X509Certificate> certificateChain() {
    return certificates(certPem);
  }

  public X509Certificate ca() {
    return certificates(caPem).getFirst();
  }

  /** A TLS context serving this certificate. */
  public SSLContext sslContext() {
    return sslContext(keyManager());
  }

  static SSLContext sslContext(KeyManager keyManager) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {keyManager}, null, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot build the webhook's TLS context: " + e.getMessage(), e);
    }
  }

  X509ExtendedKeyManager keyManager() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] password = new char[0];
      store.setKeyEntry(
          "webhook", privateKey(), password, certificateChain().toArray(Certificate[]::new));
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, password);
      return (X509ExtendedKeyManager) kmf.getKeyManagers()[0];
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(
          "cannot use the webhook certificate and key: " + e.getMessage(), e);
    }
  }

  PrivateKey privateKey() throws IOException {
    try (PEMParser parser = new PEMParser(new StringReader(keyPem))) {
      Object o = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      return switch (o) {
        case PEMKeyPair pair ->
            converter.getPrivateKey(pair.getPrivateKeyInfo()); // SEC1 keys may omit the public key
        case PrivateKeyInfo info -> converter.getPrivateKey(info);
        case null, default -> throw new IOException("tls.key holds no private key in PEM");
      };
    }
  }

  public static List<X509Certificate> certificates(String pem) {
    try {
      return CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
          .stream()
          .map(X509Certificate.class::cast)
          .toList();
    } catch (java.security.cert.CertificateException e) {
      throw new IllegalStateException("not a PEM certificate: " + e.getMessage(), e);
    }
  }
}
