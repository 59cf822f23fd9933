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
    RemoteFile f =
        new RemoteFile(
            "a", 1, List.of(Digest.parse("md5:00"), Digest.parse("sha256:11")), "a", "v", true);
    assertThat(f.strongestDigest()).isEqualTo(Digest.parse("sha256:11"));
  }

  @Test
  void rejectsUnknownAlgorithmsAndBadHex() {
    assertThatThrownBy(() -> Digest.parse("blake3:00"))
        .hasMessageContaining("unknown digest algorithm 'blake3'");
    assertThatThrownBy(() -> Digest.parse("sha256:xyz"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void compositeDigestsRoundTripWithTheirPartLayout() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Digest d =
        new Digest(
            Digest.Algorithm.CRC32C, "0A0B0C0D", List.of(8L << 20, 8L << 20, 8L << 20, 1234L));
    String text = json.writeValueAsString(d);
    assertThat(text).isEqualTo("\"crc32c:0a0b0c0d;parts=8388608*3,1234\"");
    assertThat(json.readValue(text, Digest.class)).isEqualTo(d);
    assertThat(d.kind()).isEqualTo("crc32c of 4 parts");
    assertThat(Digest.parse("md5:00;parts=5,5,1").parts()).containsExactly(5L, 5L, 1L);
    assertThatThrownBy(() -> Digest.parse("md5:00;parts=0")).hasMessageContaining("positive");
    assertThatThrownBy(() -> Digest.parse("md5:00;parts=1*10001"))
        .hasMessageContaining("10000 parts");
    assertThatThrownBy(() -> Digest.parse("md5:00;parts=x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aWholeFileDigestRanksBeforeTheCompositeOfTheSameAlgorithm() {
    Digest composite = Digest.parse("sha256:11;parts=1,1");
    RemoteFile f =
        new RemoteFile(
            "a",
            2,
            List.of(Digest.parse("md5:00"), composite, Digest.parse("sha256:22")),
            "a",
            "v",
            true);
    assertThat(f.digests())
        .extracting(Digest::toString)
        .containsExactly("sha256:22", "sha256:11;parts=1*2", "md5:00");
  }
}
