package io.modelprefetch.downloader.source.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * {@code Content-Range} as servers send it: a parsed range lies inside its total and round-trips.
 */
public class ContentRangeFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void aParsedRangeIsInsideItsTotalAndRoundTrips(FuzzedDataProvider data) {
    check(data);
  }

  /** One input; also called by {@link io.modelprefetch.downloader.DownloaderParsersFuzzTest}. */
  public static void check(FuzzedDataProvider data) {
    String header = data.consumeRemainingAsString();
    ContentRange r = ContentRange.parse(header);
    if (r == null) {
      return;
    }
    assertThat(r.first()).isNotNegative().isLessThanOrEqualTo(r.last());
    assertThat(r.total() == -1 || r.last() < r.total()).as(header).isTrue();
    String again = "bytes " + r.first() + "-" + r.last() + "/" + (r.total() < 0 ? "*" : r.total());
    assertThat(ContentRange.parse(again)).isEqualTo(r);
    assertThat(ContentRange.covers(header, r.first(), r.last() + 1)).isTrue();
  }
}
