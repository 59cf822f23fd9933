package io.modelprefetch.downloader;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.modelprefetch.downloader.cli.DurationArgumentFuzzTest;
import io.modelprefetch.downloader.cli.SizeArgumentFuzzTest;
import io.modelprefetch.downloader.manifest.SafePathFuzzTest;
import io.modelprefetch.downloader.source.hf.HfLinkFuzzTest;
import io.modelprefetch.downloader.source.hf.HfTreeFuzzTest;
import io.modelprefetch.downloader.source.http.ContentRangeFuzzTest;
import io.modelprefetch.downloader.source.http.RetryAfterFuzzTest;
import io.modelprefetch.downloader.source.s3.S3ChecksumsFuzzTest;
import io.modelprefetch.downloader.source.s3.S3KeysFuzzTest;

/**
 * Every downloader parser of remote or user input in one fuzz test: Jazzer fuzzes one test per JVM,
 * so hack/fuzz.sh's time-boxed run fuzzes them all in one JVM, each input going to the parser its
 * first byte picks. The per-parser fuzz tests hold the invariants and their own regression inputs.
 */
class DownloaderParsersFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void everyParser(FuzzedDataProvider data) {
    switch (data.consumeInt(0, 8)) {
      case 0 -> DurationArgumentFuzzTest.check(data);
      case 1 -> SizeArgumentFuzzTest.check(data);
      case 2 -> SafePathFuzzTest.check(data);
      case 3 -> HfLinkFuzzTest.check(data);
      case 4 -> HfTreeFuzzTest.check(data);
      case 5 -> ContentRangeFuzzTest.check(data);
      case 6 -> RetryAfterFuzzTest.check(data);
      case 7 -> S3ChecksumsFuzzTest.check(data);
      case 8 -> S3KeysFuzzTest.check(data);
      default -> throw new IllegalStateException("no parser");
    }
  }
}
