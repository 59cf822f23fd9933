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
    String etag = data.consumeString(48);
    RemoteFile file = new RemoteFile("a.bin", 1, List.of(), "a.bin", etag, true);
    S3Checksums.Response response =
        new S3Checksums.Response(
            data.consumeString(64),
            data.consumeString(64),
            data.consumeString(16),
            data.consumeString(16),
            data.consumeString(16),
            data.consumeString(8),
            data.pickValue(new String[] {null, "AES256"}));
    List<Long> layout = data.consumeBoolean() ? List.of(1L) : null;
    List<Digest> digests = S3Checksums.of(response, file, layout);
    digests.forEach(d -> assertThat(d.hex()).matches("[0-9a-f]*"));
    assertThat(S3Checksums.partsCount(etag)).isNotNegative();
  }
}
