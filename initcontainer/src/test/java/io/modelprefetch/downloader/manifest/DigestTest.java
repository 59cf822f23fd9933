package io.modelprefetch.downloader.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class DigestTest {

  @Test
  void roundTripsAsAlgorithmColonHexInJson() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Digest d = new Digest(Digest.Algorithm.GIT_SHA1, "E69DE29BB2D1D6434B8B29AE775AD8C2E48C5391");
    String text = json.writeValueAsString(d);
    assertThat(text).isEqualTo("\"git-sha1:e69de29bb2d1d6434b8b29ae775ad8c2e48c5391\"");
    assertThat(json.readValue(text, Digest.class)).isEqualTo(d);
  }

  @Test
  void remoteFilesOrderDigestsStrongestFirst() {
    RemoteFile f = new RemoteFile("a", 1, List.of(Digest.parse("md5:00"), Digest.parse("sha256:11")), "a", "v", true);
    assertThat(f.strongestDigest()).isEqualTo(Digest.parse("sha256:11"));
  }

  @Test
  void rejectsUnknownAlgorithmsAndBadHex() {
    assertThatThrownBy(() -> Digest.parse("blake3:00")).hasMessageContaining("unknown digest algorithm 'blake3'");
    assertThatThrownBy(() -> Digest.parse("sha256:xyz")).isInstanceOf(IllegalArgumentException.class);
  }
}
