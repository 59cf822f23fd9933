package io.modelprefetch.downloader.source.hf;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import java.net.URI;

/**
 * The tree listing's {@code Link} header: the next page is an http(s) URL, none, or a source error.
 */
public class HfLinkFuzzTest {
  private static final URI CURRENT =
      URI.create("http://hub.test/api/models/a/b/tree/c?recursive=true");

  @FuzzTest(maxDuration = "10s")
  void theNextPageIsAnHttpUrlOrNone(FuzzedDataProvider data) {
    check(data);
  }

  /** One input; also called by {@link io.modelprefetch.downloader.DownloaderParsersFuzzTest}. */
  public static void check(FuzzedDataProvider data) {
    try {
      URI next = HfListing.nextPage(data.consumeRemainingAsString(), CURRENT);
      if (next != null) {
        assertThat(next.getScheme()).isIn("http", "https");
        assertThat(next.getHost()).isNotNull();
      }
    } catch (DownloadException e) {
      assertThat(e.failure()).isEqualTo(Failure.SOURCE);
    }
  }
}
