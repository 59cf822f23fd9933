package io.modelprefetch.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelprefetch.fixtures.data.Datasets;
import io.modelprefetch.fixtures.s3.CorruptingForwarder;
import io.modelprefetch.fixtures.s3.MinioServer;
import io.modelprefetch.fixtures.s3.MultipartUploads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Multipart objects against MinIO (real S3 behaviour: {@code md5-of-part-md5s-N} ETags, composite
 * checksums with {@code -N} and {@code x-amz-checksum-type: COMPOSITE}, GetObjectAttributes with
 * ObjectParts), uploaded with the AWS SDK's multipart API in parts of 5 MiB and a shorter last
 * part; the checksummed ones under SSE-KMS (no MD5 ETag, and ObjectParts sizes of the encrypted
 * parts, so the part sizes come from HeadObject with partNumber). Every object must be checked by
 * its digests, composite or whole, never by its size alone.
 */
class S3MultipartVerifyIT {
  private static final int MIB = 1 << 20;
  private static final int PART = 5 * MIB;

  /** 5 MiB, 5 MiB and 1 MiB + 777: the last part is shorter, as with the AWS CLI and boto3. */
  private static final int SIZE = 11 * MIB + 777;

  private static final String LAYOUT = ";parts=5242880*2,1049353";
  private static final Map<ChecksumAlgorithm, String> LABELS =
      Map.of(
          ChecksumAlgorithm.CRC32,
          "crc32",
          ChecksumAlgorithm.CRC32_C,
          "crc32c",
          ChecksumAlgorithm.SHA1,
          "sha1",
          ChecksumAlgorithm.SHA256,
          "sha256");
  private static MinioServer minio;

  @TempDir Path tmp;

  /** Fails (never skips) without the binary: set MODELPREFETCH_MINIO as hack/test.sh does. */
  @BeforeAll
  static void startMinio() {
    minio = MinioServer.start();
  }

  @AfterAll
  static void stopMinio() {
    if (minio != null) {
      minio.close();
    }
  }

  private static Cli cli() {
    return new Cli()
        .env("AWS_ACCESS_KEY_ID", minio.accessKey())
        .env("AWS_SECRET_ACCESS_KEY", minio.secretKey())
        .env("AWS_REGION", "us-east-1");
  }

  private static Cli.Run pull(String uri, String endpoint, Path dest) throws Exception {
    return cli()
        .run(
            "pull",
            uri,
            "--endpoint",
            endpoint,
            "--dest",
            dest.toString(),
            "--progress",
            "none",
            "--chunk-size",
            "4MiB");
  }

  private static void kms(String bucket, String key, byte[] bytes, ChecksumAlgorithm algorithm) {
    try (S3Client s3 = minio.newClient()) {
      MultipartUploads.upload(
          s3, bucket, key, bytes, PART, algorithm, ServerSideEncryption.AWS_KMS);
    }
  }

  private static HeadObjectResponse head(String bucket, String key) {
    try (S3Client s3 = minio.newClient()) {
      return s3.headObject(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED));
    }
  }

  /** The composite checksum MinIO serves ({@code base64-N}), as the hex our manifest writes. */
  private static String compositeHex(HeadObjectResponse h, ChecksumAlgorithm algorithm) {
    String value =
        switch (algorithm) {
          case CRC32 -> h.checksumCRC32();
          case CRC32_C -> h.checksumCRC32C();
          case SHA1 -> h.checksumSHA1();
          case SHA256 -> h.checksumSHA256();
          default -> throw new IllegalArgumentException(algorithm.toString());
        };
    assertThat(value).as("MinIO's %s checksum", algorithm).endsWith("-3");
    return HexFormat.of()
        .formatHex(Base64.getDecoder().decode(value.substring(0, value.length() - 2)));
  }

  private static String entry(String manifest, String path) {
    int at = manifest.indexOf("\"path\" : \"" + path + "\"");
    assertThat(at).as("%s in the manifest", path).isGreaterThanOrEqualTo(0);
    int end = manifest.indexOf('}', at);
    return manifest.substring(at, end);
  }

  @Test
  void everyMultipartObjectIsVerifiedPartByPart() throws Exception {
    String bucket = "verify";
    minio.createBucket(bucket);
    Map<String, byte[]> objects = new TreeMap<>();
    Map<String, String> expected = new TreeMap<>();
    long seed = 1;
    for (ChecksumAlgorithm algorithm : LABELS.keySet()) {
      String label = LABELS.get(algorithm);
      byte[] bytes = Datasets.bytes(SIZE, seed++);
      String key = "m/composite-" + label + ".bin";
      // Under SSE-KMS the ETag is no MD5, so the composite checksum is the digest that decides.
      kms(bucket, key, bytes, algorithm);
      HeadObjectResponse h = head(bucket, key);
      assertThat(h.checksumTypeAsString()).as("fixture behaviour").isEqualTo("COMPOSITE");
      assertThat(h.serverSideEncryptionAsString()).isEqualTo("aws:kms");
      objects.put("composite-" + label + ".bin", bytes);
      expected.put(
          "composite-" + label + ".bin",
          "\"" + label + ":" + compositeHex(h, algorithm) + LAYOUT + "\"");
    }
    byte[] plain = Datasets.bytes(SIZE, seed++);
    String etag = minio.putMultipart(bucket, "m/etag.bin", plain, PART, null).replace("\"", "");
    assertThat(etag).matches("[0-9a-f]{32}-3");
    objects.put("etag.bin", plain);
    expected.put("etag.bin", "\"md5:" + etag.substring(0, 32) + LAYOUT + "\"");
    // One part uploaded through the multipart API ("-1"): small enough to be fetched with one GET.
    byte[] onePart = Datasets.bytes(MIB + 3, seed++);
    kms(bucket, "m/one-part.bin", onePart, ChecksumAlgorithm.CRC32_C);
    objects.put("one-part.bin", onePart);
    expected.put(
        "one-part.bin",
        "\"crc32c:" + compositeHex1(head(bucket, "m/one-part.bin")) + ";parts=" + (MIB + 3) + "\"");
    // Single PutObject: full-object checksum, and the ETag is the MD5.
    byte[] single = Datasets.bytes(6 * MIB + 1, seed++);
    minio.put(bucket, "m/single-sha256.bin", single, ChecksumAlgorithm.SHA256);
    objects.put("single-sha256.bin", single);
    expected.put("single-sha256.bin", "\"sha256:" + Datasets.sha256(single) + "\"");
    byte[] singleMd5 = Datasets.bytes(5 * MIB + 5, seed);
    minio.put(bucket, "m/single-md5.bin", singleMd5);
    objects.put("single-md5.bin", singleMd5);
    expected.put("single-md5.bin", "\"md5:" + md5(singleMd5) + "\"");

    Path dest = tmp.resolve("dest");
    Cli.Run run = pull("s3://verify/m/", minio.endpoint().toString(), dest).assertExit(0);
    assertThat(run.stderr())
        .doesNotContain("gives no digest")
        .doesNotContain("part sizes")
        .doesNotContain("failed verification");
    String manifest = Files.readString(dest.resolve(".modelprefetch/manifest.json"));
    for (var o : objects.entrySet()) {
      String name = o.getKey();
      assertThat(Files.readAllBytes(dest.resolve(name))).as(name).isEqualTo(o.getValue());
      String e = entry(manifest, name);
      assertThat(e)
          .as(name)
          .contains("\"sha256:" + Datasets.sha256(o.getValue()) + "\"")
          .contains(expected.get(name));
      String digest = expected.get(name).replace("\"", "");
      String kind =
          digest.substring(0, digest.indexOf(':'))
              + (digest.contains(";parts=")
                  ? " of " + (digest.contains(";parts=5242880*2") ? "3 parts" : "1 part")
                  : "");
      assertThat(e).as(name).contains("\"verifiedBy\" : \"" + kind + " from the source\"");
      if (name.startsWith("composite-")) {
        assertThat(e).as("%s: no ETag digest under SSE-KMS", name).doesNotContain("md5:");
      }
    }
    cli().run("verify", "--dest", dest.toString()).assertExit(0);
    // Later checks use the sha256 the pull recorded.
    Path damaged = dest.resolve("composite-crc32.bin");
    byte[] bytes = Files.readAllBytes(damaged);
    bytes[SIZE / 2] ^= 1;
    Files.write(damaged, bytes);
    Cli.Run verify = cli().run("verify", "--dest", dest.toString()).assertExit(5);
    assertThat(verify.stderr()).contains("mismatch: composite-crc32.bin: sha256:");
  }

  private static String compositeHex1(HeadObjectResponse h) {
    String value = h.checksumCRC32C();
    assertThat(value).as("MinIO's CRC32C of a one-part upload").endsWith("-1");
    return HexFormat.of()
        .formatHex(Base64.getDecoder().decode(value.substring(0, value.length() - 2)));
  }

  private static String md5(byte[] bytes) throws Exception {
    return HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("MD5").digest(bytes))
        .toLowerCase(Locale.ROOT);
  }

  /** Bytes that do not match the composite: one re-fetch, then exit 5, nothing in place. */
  @Test
  void corruptBytesOfAMultipartObjectFailAfterOneRefetch() throws Exception {
    minio.createBucket("corrupt");
    byte[] crc = Datasets.bytes(SIZE, 21);
    kms("corrupt", "c/model.bin", crc, ChecksumAlgorithm.CRC32_C);
    byte[] plain = Datasets.bytes(SIZE, 22);
    minio.putMultipart("corrupt", "e/model.bin", plain, PART, null);
    try (CorruptingForwarder path = CorruptingForwarder.start(minio.endpoint())) {
      // A byte in the middle of part 2, corrupted in both the first fetch and the re-fetch.
      path.corrupt("/corrupt/c/model.bin", 7L * MIB + 11, 2);
      Path dest = tmp.resolve("c");
      Cli.Run run = pull("s3://corrupt/c/", path.endpoint().toString(), dest);
      run.assertExit(5);
      assertThat(path.corrupted()).isEqualTo(2);
      assertThat(run.stderr())
          .contains("model.bin failed verification (crc32c of 3 parts ")
          .contains("fetching it again")
          .contains("failed verification twice: crc32c of 3 parts ");
      assertThat(dest.resolve("model.bin")).doesNotExist();
      assertThat(dest.resolve(".modelprefetch/manifest.json")).doesNotExist();

      // The multipart ETag catches it too (last part this time).
      path.corrupt("/corrupt/e/model.bin", SIZE - 1, 2);
      Path etagDest = tmp.resolve("e");
      Cli.Run etagRun = pull("s3://corrupt/e/", path.endpoint().toString(), etagDest);
      etagRun.assertExit(5);
      assertThat(etagRun.stderr()).contains("failed verification twice: md5 of 3 parts ");
      assertThat(etagDest.resolve("model.bin")).doesNotExist();

      // Corrupted once: the re-fetch brings the right bytes, and the pull succeeds.
      path.corrupt("/corrupt/c/model.bin", 3, 1);
      Cli.Run healed = pull("s3://corrupt/c/", path.endpoint().toString(), dest);
      healed.assertExit(0);
      assertThat(healed.stderr())
          .contains("failed verification (crc32c of 3 parts ")
          .contains("fetching it again");
      assertThat(Files.readAllBytes(dest.resolve("model.bin"))).isEqualTo(crc);
    }
  }

  /** A single-part object is still checked by its whole-object checksum or MD5 ETag. */
  @Test
  void corruptBytesOfASinglePartObjectFailToo() throws Exception {
    minio.createBucket("single");
    byte[] bytes = Datasets.bytes(6 * MIB, 31);
    minio.put("single", "s/model.bin", bytes, ChecksumAlgorithm.SHA256);
    try (CorruptingForwarder path = CorruptingForwarder.start(minio.endpoint())) {
      path.corrupt("/single/s/model.bin", MIB, 2);
      Cli.Run run = pull("s3://single/s/", path.endpoint().toString(), tmp.resolve("s"));
      run.assertExit(5);
      assertThat(run.stderr()).contains("failed verification twice: sha256 ");
    }
  }
}
