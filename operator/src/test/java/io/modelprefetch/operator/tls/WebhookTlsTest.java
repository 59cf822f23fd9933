package io.modelprefetch.operator.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.modelprefetch.operator.config.WebhookConfig;
import io.modelprefetch.operator.webhook.AdmissionReviewHandler;
import io.modelprefetch.operator.webhook.ArtifactResolver;
import io.modelprefetch.operator.webhook.InjectedContainers;
import io.modelprefetch.operator.webhook.PodInjector;
import io.modelprefetch.operator.webhook.PodMutator;
import io.modelprefetch.operator.webhook.PodPatch;
import io.modelprefetch.operator.webhook.TestArtifacts;
import io.modelprefetch.operator.webhook.TestPods;
import io.modelprefetch.operator.webhook.WebhookClient;
import io.modelprefetch.operator.webhook.WebhookServer;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mounted certificates (cert-manager) are served as they are; nothing is generated or patched. */
class WebhookTlsTest {

  @Test
  void mountedCertificatesWinAndNeedNoCluster(@TempDir Path dir) throws Exception {
    TlsBundle issued = new CertificateGenerator(Clock.systemUTC()).generate(List.of("127.0.0.1"));
    Files.writeString(dir.resolve("tls.crt"), issued.certPem());
    Files.writeString(dir.resolve("tls.key"), sec1(issued)); // cert-manager writes EC keys as SEC1
    Files.writeString(dir.resolve("ca.crt"), issued.caPem());
    var config =
        new WebhookConfig.Tls("svc", "ns", "unused-secret", "unused-config", dir, List.of());

    try (WebhookTls tls = WebhookTls.start(config, null, Clock.systemUTC())) {
      assertThat(tls.keeper()).isNull();
      assertThat(tls.bundle().caPem()).isEqualTo(issued.caPem());
      var serialization = new KubernetesSerialization();
      var mutator =
          new PodMutator(
              new ArtifactResolver(new TestArtifacts(), 10),
              new PodInjector(new InjectedContainers(WebhookConfig.Injection.defaults("img"))),
              new PodPatch(serialization));
      try (var server =
          new WebhookServer(
              "127.0.0.1",
              0,
              tls.bundle().sslContext(),
              new AdmissionReviewHandler(mutator, serialization))) {
        var response =
            new WebhookClient(issued.caPem(), server.port())
                .review(TestPods.plain("web-0").build(), "serving");
        assertThat(response.getResponse().getAllowed()).isTrue();
      }
    }
  }

  @Test
  void aRenewedMountedCertificateIsServedWithoutRestart(@TempDir Path dir) throws Exception {
    CertificateGenerator generator = new CertificateGenerator(Clock.systemUTC());
    TlsBundle first = generator.generate(List.of("127.0.0.1"));
    TlsBundle renewed = generator.generate(List.of("127.0.0.1"));
    write(dir, first, FileTime.from(Instant.now().minusSeconds(60)));
    var config =
        new WebhookConfig.Tls("svc", "ns", "unused-secret", "unused-config", dir, List.of());
    var serialization = new KubernetesSerialization();
    var mutator =
        new PodMutator(
            new ArtifactResolver(new TestArtifacts(), 10),
            new PodInjector(new InjectedContainers(WebhookConfig.Injection.defaults("img"))),
            new PodPatch(serialization));

    try (WebhookTls tls = WebhookTls.start(config, null, Clock.systemUTC(), Duration.ZERO);
        var server =
            new WebhookServer(
                "127.0.0.1",
                0,
                tls.sslContext(),
                new AdmissionReviewHandler(mutator, serialization))) {
      assertThat(
              new WebhookClient(first.caPem(), server.port())
                  .review(TestPods.plain("a").build(), "ns")
                  .getResponse()
                  .getAllowed())
          .isTrue();

      write(dir, renewed, FileTime.from(Instant.now()));

      assertThat(
              new WebhookClient(renewed.caPem(), server.port())
                  .review(TestPods.plain("b").build(), "ns")
                  .getResponse()
                  .getAllowed())
          .isTrue();
      assertThatThrownBy(
              () ->
                  new WebhookClient(first.caPem(), server.port())
                      .review(TestPods.plain("c").build(), "ns"))
          .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }
  }

  private static void write(Path dir, TlsBundle bundle, FileTime modified) throws Exception {
    Files.writeString(dir.resolve("tls.key"), bundle.keyPem());
    Files.writeString(dir.resolve("tls.crt"), bundle.certPem());
    Files.setLastModifiedTime(dir.resolve("tls.crt"), modified);
  }

  /** SEC1 with the curve named and no public key, as openssl and cert-manager write it. */
  private static String sec1(TlsBundle bundle) throws Exception {
    PrivateKeyInfo pkcs8 = PrivateKeyInfo.getInstance(bundle.privateKey().getEncoded());
    ECPrivateKey inner = ECPrivateKey.getInstance(pkcs8.parsePrivateKey());
    ECPrivateKey sec1 =
        new ECPrivateKey(256, inner.getKey(), pkcs8.getPrivateKeyAlgorithm().getParameters());
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    }
    assertThat(out.toString()).startsWith("-----BEGIN EC PRIVATE KEY-----");
    return out.toString();
  }
}
