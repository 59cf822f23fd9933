package io.modelprefetch.downloader.source.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelprefetch.downloader.manifest.Digest;
import io.modelprefetch.downloader.manifest.RemoteFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which S3 checksums may judge the bytes: only those known to be full-object, or composites with a
 * layout.
 */
class S3ChecksumsTest {
  private static final String MD5 = "0123456789abcdef0123456789abcdef";

  /** base64 of 0x0a0b0c0d. */
  private static final String CRC = "CgsMDQ==";

  private static final List<Long> LAYOUT = List.of(5L, 5L, 2L);
  private static final RemoteFile MULTIPART =
      new RemoteFile("m.bin", 12, List.of(), "k", "\"" + MD5 + "-3\"", true);
  private static final RemoteFile SINGLE =
      new RemoteFile(
          "s.bin",
          12,
          List.of(new Digest(Digest.Algorithm.MD5, MD5)),
          "k",
          "\"" + MD5 + "\"",
          true);

  private static S3Checksums.Response crc32(String value, String type) {
    return new S3Checksums.Response(null, null, null, value, type, null, null);
  }

  private static List<String> of(S3Checksums.Response r, RemoteFile f, List<Long> layout) {
    return S3Checksums.of(r, f, layout).stream().map(Digest::toString).toList();
  }

  @Test
  void aCompositeCrcWithoutSuffixIsNeverTakenForTheWholeObject() {
    assertThat(of(crc32(CRC, "COMPOSITE"), MULTIPART, null)).isEmpty();
    assertThat(of(crc32(CRC, "COMPOSITE"), MULTIPART, LAYOUT))
        .containsExactly("crc32:0a0b0c0d;parts=5*2,2", "md5:" + MD5 + ";parts=5*2,2");
  }

  @Test
  void anUnknownTypeOnAMultipartObjectIsNotUsed() {
    assertThat(of(crc32(CRC, null), MULTIPART, LAYOUT))
        .containsExactly("md5:" + MD5 + ";parts=5*2,2");
    assertThat(of(crc32(CRC, "SOMETHING_NEW"), MULTIPART, LAYOUT))
        .containsExactly("md5:" + MD5 + ";parts=5*2,2");
    assertThat(of(crc32(CRC, "SOMETHING_NEW"), SINGLE, null)).containsExactly("md5:" + MD5);
  }

  @Test
  void aSuffixMakesItCompositeAndMustMatchThePartCount() {
    assertThat(of(crc32(CRC + "-3", null), MULTIPART, LAYOUT))
        .contains("crc32:0a0b0c0d;parts=5*2,2");
    assertThat(of(crc32(CRC + "-4", "COMPOSITE"), MULTIPART, LAYOUT))
        .doesNotContain("crc32:0a0b0c0d;parts=5*2,2");
    assertThat(of(crc32(CRC + "-3", "FULL_OBJECT"), MULTIPART, LAYOUT))
        .doesNotContain("crc32:0a0b0c0d");
  }

  @Test
  void fullObjectChecksumsAreUsedAsTheyAre() {
    assertThat(of(crc32(CRC, "FULL_OBJECT"), MULTIPART, null)).containsExactly("crc32:0a0b0c0d");
    // A single PUT has one part: its checksum is of the whole object even when no type is sent.
    assertThat(of(crc32(CRC, null), SINGLE, null))
        .containsExactlyInAnyOrder("md5:" + MD5, "crc32:0a0b0c0d");
  }

  @Test
  void etagsAreNoMd5UnderKmsOrCustomerKeys() {
    assertThat(
            of(
                new S3Checksums.Response(null, null, null, null, null, "aws:kms", null),
                MULTIPART,
                LAYOUT))
        .isEmpty();
    assertThat(
            of(
                new S3Checksums.Response(null, null, null, null, null, null, "AES256"),
                SINGLE,
                null))
        .isEmpty();
    assertThat(
            of(
                new S3Checksums.Response(null, null, null, null, null, "AES256", null),
                SINGLE,
                null))
        .containsExactly("md5:" + MD5);
  }

  @Test
  void partsCountComesFromTheEtag() {
    assertThat(S3Checksums.partsCount("\"" + MD5 + "-12\"")).isEqualTo(12);
    assertThat(S3Checksums.partsCount("\"" + MD5 + "\"")).isZero();
    assertThat(S3Checksums.partsCount(null)).isZero();
  }

  /** Found by the fuzzer: a part count too long for an int threw NumberFormatException (exit 1). */
  @Test
  void aPartCountBeyondWhatS3AllowsIsNoPartCount() {
    String huge = "300000000000000000000000000000000000000000000";
    assertThat(S3Checksums.partsCount("\"" + MD5 + "-" + huge + "\"")).isZero();
    assertThat(of(crc32(CRC + "-" + huge, null), MULTIPART, LAYOUT))
        .doesNotContain("crc32:0a0b0c0d;parts=5*2,2");
  }
}
