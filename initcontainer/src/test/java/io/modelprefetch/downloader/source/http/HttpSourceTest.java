package io.modelprefetch.downloader.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class HttpSourceTest {
  private static final URI FILE =
      URI.create("https://files.example/models/m.gguf?X-Amz-Signature=abc");

  @Test
  void theExpectedSha256NamesTheContentForDragonfly() {
    assertThat(HttpSource.contentId("ABCDEF" + "0".repeat(58), "\"etag\"", FILE))
        .isEqualTo("sha256:abcdef" + "0".repeat(58));
  }

  @Test
  void aStrongEtagNamesItOnlyTogetherWithTheUrlWithoutItsQuery() {
    assertThat(HttpSource.contentId(null, "\"5d41402abc4b2a76b9719d911017c592\"", FILE))
        .isEqualTo("etag:5d41402abc4b2a76b9719d911017c592@https://files.example/models/m.gguf");
  }

  @Test
  void aWeakOrMissingEtagLeavesTheTaskToTheUrl() {
    assertThat(HttpSource.contentId(null, "W/\"abc\"", FILE)).isNull();
    assertThat(HttpSource.contentId(null, null, FILE)).isNull();
    assertThat(HttpSource.contentId(null, "\"has space\"", FILE)).isNull();
  }
}
