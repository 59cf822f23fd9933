package io.modelprefetch.downloader.source.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelprefetch.downloader.DownloadException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class OciReferenceTest {
  private static final String DIGEST = "sha256:" + "0a".repeat(32);

  @Test
  void parsesRegistryRepositoryTagAndDigest() throws Exception {
    assertThat(OciReference.parse("oci://registry.example.com:5000/models/llama-3.1_8b:v1.0"))
        .isEqualTo(new OciReference("registry.example.com:5000", "models/llama-3.1_8b", "v1.0"));
    assertThat(OciReference.parse("oci://ghcr.io/acme/model@" + DIGEST).pinned()).isTrue();
    assertThat(OciReference.parse("oci://ghcr.io/acme/model").reference()).isEqualTo("latest");
    assertThat(OciReference.parse("oci://ghcr.io/acme/model:v1").at(DIGEST).reference())
        .isEqualTo(DIGEST);
  }

  @Test
  void refusesWhatTheDistributionGrammarRefuses() {
    for (String bad :
        new String[] {
          "oci://ghcr.io/Acme/model",
          "oci://ghcr.io/acme/../x",
          "oci://ghcr.io",
          "oci://ghcr.io/acme/model@sha256:short",
          "oci://ghcr.io/acme/model:" + "t".repeat(129)
        }) {
      assertThatThrownBy(() -> OciReference.parse(bad))
          .as(bad)
          .isInstanceOf(DownloadException.class)
          .hasMessageContaining("invalid OCI reference");
    }
  }

  @Test
  void baseUrlIsHttpsUnlessPlainHttpOrAnEndpointSaysOtherwise() throws Exception {
    OciReference r = OciReference.parse("oci://docker.io/library/model:v1");
    assertThat(r.base(null, false)).hasToString("https://registry-1.docker.io/");
    assertThat(OciReference.parse("oci://127.0.0.1:5000/m:v1").base(null, true))
        .hasToString("http://127.0.0.1:5000/");
    assertThat(r.base("http://mirror:5000", false)).hasToString("http://mirror:5000/");
  }

  @Test
  void layerKindsFollowModelPackOrasAndImageConventions() {
    assertThat(Layer.archiveOf("application/vnd.cncf.model.weight.v1.raw", "w.safetensors", false))
        .isEqualTo(Layer.Archive.RAW);
    assertThat(Layer.archiveOf("application/vnd.cncf.model.weight.v1.tar", "w", false))
        .isEqualTo(Layer.Archive.TAR);
    assertThat(Layer.archiveOf("application/vnd.cncf.model.weight.v1.tar+zstd", "w", false))
        .isEqualTo(Layer.Archive.UNSUPPORTED);
    // oras gives plain files the image layer type; the title makes them files.
    assertThat(Layer.archiveOf("application/vnd.oci.image.layer.v1.tar", "model.bin", false))
        .isEqualTo(Layer.Archive.RAW);
    assertThat(Layer.archiveOf("application/vnd.oci.image.layer.v1.tar+gzip", "dir", true))
        .isEqualTo(Layer.Archive.TAR_GZIP);
    assertThat(Layer.archiveOf("application/vnd.docker.image.rootfs.diff.tar.gzip", null, false))
        .isEqualTo(Layer.Archive.TAR_GZIP);
    assertThat(Layer.archiveOf("application/octet-stream", null, false)).isNull();
  }

  @Test
  void tarNamesAndLinkTargetsAreNormalizedWithinTheImage() {
    assertThat(LayerUnpacker.clean("./models/a.bin")).isEqualTo("models/a.bin");
    assertThat(LayerUnpacker.clean("/models/dir/")).isEqualTo("models/dir");
    assertThat(LayerUnpacker.clean("./")).isEmpty();
    assertThat(LayerUnpacker.normalize("models/./x/../a.bin")).isEqualTo("models/a.bin");
    assertThat(LayerUnpacker.normalize("models/../../etc/passwd")).isNull();
  }

  @Test
  void dockerConfigCredentialsByRegistryHost() throws Exception {
    String auth = Base64.getEncoder().encodeToString("user:pa:ss".getBytes(StandardCharsets.UTF_8));
    String config =
        "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\""
            + auth
            + "\"},"
            + "\"registry.example.com:5000\":{\"username\":\"u2\",\"password\":\"p2\"}}}";
    assertThat(RegistryAuth.fromDockerConfig(config, "registry-1.docker.io"))
        .isEqualTo(new RegistryAuth.Credentials("user", "pa:ss"));
    assertThat(RegistryAuth.fromDockerConfig(config, "registry.example.com:5000"))
        .isEqualTo(new RegistryAuth.Credentials("u2", "p2"));
    assertThat(RegistryAuth.fromDockerConfig(config, "other.example.com")).isNull();
    assertThat(new RegistryAuth.Credentials("u", "secret").toString()).doesNotContain("secret");
    assertThatThrownBy(() -> RegistryAuth.fromDockerConfig("not json", "x"))
        .hasMessageContaining("not JSON");
  }
}
