package io.modelprefetch.operator.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed CA and a serving certificate it signs (ECDSA P-256), for running the webhook
 * without cert-manager. Both last {@link #VALIDITY}; {@link TlsSecretStore} renews them well
 * before.
 */
public final class CertificateGenerator {
  public static final Duration VALIDITY = Duration.ofDays(3650);
  private static final Pattern IP = Pattern.compile("^[0-9.]+$|:");
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public CertificateGenerator(Clock clock) {
    this.clock = clock;
  }

  /**
   * @param subjectAlternativeNames DNS names and IP addresses (IPv4 dotted or IPv6)
   */
  public TlsBundle generate(List<String> subjectAlternativeNames) {
    try {
      Instant now = clock.instant();
      KeyPair caKey = keyPair();
      X500Name caName = new X500Name("CN=modelprefetch-webhook-ca");
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder ca =
          new JcaX509v3CertificateBuilder(
                  caName,
                  serial(),
                  Date.from(now.minusSeconds(300)),
                  Date.from(now.plus(VALIDITY)),
                  caName,
                  caKey.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(caKey.getPublic()));
      X509Certificate caCert = sign(ca, caKey);

      KeyPair leafKey = keyPair();
      GeneralName[] names =
          subjectAlternativeNames.stream()
              .map(
                  n ->
                      IP.matcher(n).find()
                          ? new GeneralName(GeneralName.iPAddress, n)
                          : new GeneralName(GeneralName.dNSName, n))
              .toArray(GeneralName[]::new);
      X509v3CertificateBuilder leaf =
          new JcaX509v3CertificateBuilder(
                  caCert,
                  serial(),
                  Date.from(now.minusSeconds(300)),
                  Date.from(now.plus(VALIDITY)),
                  new X500Name("CN=" + subjectAlternativeNames.getFirst()),
                  leafKey.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
              .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  ext.createAuthorityKeyIdentifier(caCert));
      X509Certificate leafCert = sign(leaf, caKey);
      return new TlsBundle(
          pem(caCert),
          pem(leafCert),
          pem(new JcaPKCS8Generator(leafKey.getPrivate(), null).generate()));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException(
          "cannot generate the webhook certificate: " + e.getMessage(), e);
    }
  }

  private KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), random);
    return generator.generateKeyPair();
  }

  private BigInteger serial() {
    return new BigInteger(128, random);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }

  private static String pem(Object o) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(o);
    }
    return out.toString();
  }
}
