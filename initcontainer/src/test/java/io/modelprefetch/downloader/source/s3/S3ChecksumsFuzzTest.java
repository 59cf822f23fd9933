package io.modelprefetch.downloader.source.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.modelprefetch.downloader.manifest.Digest;
import io.modelprefetch.downloader.manifest.RemoteFile;
import java.util.List;

/** S3 checksum headers as a server sends them: unreadable ones are ignored, never fatal. */
public class S3ChecksumsFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void unreadableChecksumHeadersAreIgnoredNotFatal(FuzzedDataProvider data) {
    check(data);
  }

  /** One input; also called by {@link io.modelprefetch.downloader.DownloaderParsersFuzzTest}. */
  public static void check(FuzzedDataProvider data) {
    RemoteFile file = new RemoteFile("a.bin", 1, List.of(), "a.bin", "\"etag\"", true);
    List<Digest> digests = S3Checksums.of(data.consumeString(64), data.consumeString(64), data.consumeString(16),
        data.consumeString(16), data.consumeString(16), file);
    digests.forEach(d -> assertThat(d.hex()).matches("[0-9a-f]*"));
  }
}
