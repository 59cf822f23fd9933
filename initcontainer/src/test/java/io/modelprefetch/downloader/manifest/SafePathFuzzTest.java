package io.modelprefetch.downloader.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.modelprefetch.downloader.Printable;
import java.nio.file.Path;

/** Remote path validation: a name it accepts never escapes the destination nor hides characters. */
public class SafePathFuzzTest {
  private static final Path ROOT = Path.of("/dest");

  @FuzzTest(maxDuration = "20s")
  void anAcceptedNameStaysInsideTheDestination(FuzzedDataProvider data) {
    check(data);
  }

  /** One input; also called by {@link io.modelprefetch.downloader.DownloaderParsersFuzzTest}. */
  public static void check(FuzzedDataProvider data) {
    String name = data.consumeRemainingAsString();
    String escaped = Printable.escape(name);
    assertThat(Printable.hasUnsafe(escaped)).isFalse();
    assertThat(Printable.escape(escaped)).as("escaping is idempotent").isEqualTo(escaped);
    if (SafePath.problem(name) != null) {
      return;
    }
    Path resolved;
    try {
      resolved = ROOT.resolve(name);
    } catch (java.nio.file.InvalidPathException unusable) {
      throw new AssertionError("accepted a name the file system cannot hold: " + escaped, unusable);
    }
    assertThat(resolved.normalize())
        .as(escaped)
        .isEqualTo(resolved)
        .startsWithRaw(ROOT)
        .isNotEqualTo(ROOT);
    assertThat(ROOT.relativize(resolved).getName(0).toString()).isNotEqualTo(SafePath.STATE_DIR);
    assertThat(Printable.hasUnsafe(name)).isFalse();
  }
}
