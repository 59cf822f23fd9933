package io.modelprefetch.downloader.source.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.modelprefetch.downloader.manifest.SafePath;
import java.nio.file.Path;

/** S3 listing keys: one that passes validation lands inside the destination. */
public class S3KeysFuzzTest {
  private static final Path ROOT = Path.of("/dest");

  @FuzzTest(maxDuration = "10s")
  void aListedKeyThatPassesValidationLandsInsideTheDestination(FuzzedDataProvider data) {
    check(data);
  }

  /** One input; also called by {@link io.modelprefetch.downloader.DownloaderParsersFuzzTest}. */
  public static void check(FuzzedDataProvider data) {
    String prefix = data.consumeBoolean() ? "" : data.consumeString(16) + "/";
    String path = S3Source.pathOf(prefix, prefix + data.consumeRemainingAsString());
    if (SafePath.problem(path) == null) {
      assertThat(ROOT.resolve(path).normalize()).startsWithRaw(ROOT).isNotEqualTo(ROOT);
    }
  }
}
