package io.modelprefetch.downloader.source.hf;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelprefetch.downloader.DownloadException;
import io.modelprefetch.downloader.Failure;
import io.modelprefetch.downloader.manifest.PathFilter;
import io.modelprefetch.downloader.manifest.RemoteFile;
import java.util.List;

/**
 * Tree pages and revisions as the Hub API answers them: malformed input is a source error (exit 3),
 * never a crash; what is accepted has sizes that are never negative and well-formed digests.
 */
public class HfTreeFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @FuzzTest(maxDuration = "10s")
  void aTreePageIsASourceErrorOrSaneFiles(FuzzedDataProvider data) {
    check(data);
  }

  /** One input; also called by {@link io.modelprefetch.downloader.DownloaderParsersFuzzTest}. */
  public static void check(FuzzedDataProvider data) {
    JsonNode page;
    try {
      page = JSON.readTree(data.consumeRemainingAsString());
    } catch (JacksonException notJson) {
      return;
    }
    if (page == null) {
      return;
    }
    try {
      for (RemoteFile f : HfListing.files(page, PathFilter.of(List.of(), List.of()))) {
        assertThat(f.size()).isNotNegative();
        assertThat(f.path()).isNotNull();
        f.digests().forEach(d -> assertThat(d.hex()).matches("[0-9a-f]+"));
      }
    } catch (DownloadException e) {
      assertThat(e.failure()).isEqualTo(Failure.SOURCE);
    }
    String commit = HfListing.commit(page);
    assertThat(commit == null || commit.matches("[0-9a-f]{40}")).isTrue();
  }
}
