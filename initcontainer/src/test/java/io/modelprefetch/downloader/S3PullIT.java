package io.modelprefetch.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelprefetch.fixtures.data.Datasets;
import io.modelprefetch.fixtures.s3.CorruptingForwarder;
import io.modelprefetch.fixtures.s3.MotoServer;
import io.modelprefetch.fixtures.s3.S3Fixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;

/**
 * Pulls from real S3 servers on loopback: S3Proxy in-process, and moto for what S3Proxy refuses.
 */
class S3PullIT {
  private static final int MIB = 1 << 20;
  @TempDir Path tmp;

  /**
   * {@code pull <uri> --endpoint <endpoint> --dest <dest> --progress none <extra...>} with these
   * credentials.
   */
  private static Cli.Run pull(
      String accessKey,
      String secretKey,
      String uri,
      java.net.URI endpoint,
      Path dest,
      String... extra)
      throws Exception {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "pull",
                uri,
                "--endpoint",
                endpoint.toString(),
                "--dest",
                dest.toString(),
                "--progress",
                "none"));
    args.addAll(java.util.List.of(extra));
    return cli(accessKey, secretKey).run(args.toArray(String[]::new));
  }

  private static Cli cli(String accessKey, String secretKey) {
    return new Cli()
        .env("AWS_ACCESS_KEY_ID", accessKey)
        .env("AWS_SECRET_ACCESS_KEY", secretKey)
        .env("AWS_REGION", "us-east-1");
  }

  @Test
  void pullsAPrefixWithRangedBigObjectsAndVerifiesChecksums() throws Exception {
    byte[] weights = Datasets.bytes(20 * MIB, 1);
    byte[] config = "{\"a\":1}".getBytes();
    byte[] other = Datasets.bytes(3 * MIB, 2);
    try (S3Fixture s3 = S3Fixture.start()) {
      s3.createBucket("models");
      s3.put("models", "llama/model.safetensors", weights, ChecksumAlgorithm.SHA256);
      s3.put("models", "llama/config.json", config);
      s3.put("models", "llama/sub/extra.bin", other, ChecksumAlgorithm.CRC32_C);
      s3.put("models", "llama-other/not-me.bin", config);
      Path dest = tmp.resolve("dest");
      pull(
              s3.accessKey(),
              s3.secretKey(),
              "s3://models/llama",
              s3.endpoint(),
              dest,
              "--chunk-size",
              "4MiB")
          .assertExit(0);
      assertThat(Files.readAllBytes(dest.resolve("model.safetensors"))).isEqualTo(weights);
      assertThat(Files.readAllBytes(dest.resolve("config.json"))).isEqualTo(config);
      assertThat(Files.readAllBytes(dest.resolve("sub/extra.bin"))).isEqualTo(other);
      assertThat(dest.resolve("not-me.bin")).doesNotExist();
      String manifest = Files.readString(dest.resolve(".modelprefetch/manifest.json"));
      assertThat(manifest).contains("sha256:" + Datasets.sha256(weights)).contains("\"md5:");
      assertThat(s3.traffic("models", "llama/model.safetensors").getRequests())
          .as("ranged GETs")
          .isGreaterThan(3);
    }
  }

  @Test
  void followsListingPagesPastAThousandKeys() throws Exception {
    try (S3Fixture s3 = S3Fixture.start()) {
      s3.createBucket("many");
      for (int i = 0; i < 1010; i++) {
        s3.put("many", "shards/%04d.bin".formatted(i), ("shard " + i).getBytes());
      }
      Path dest = tmp.resolve("dest");
      pull(
              s3.accessKey(),
              s3.secretKey(),
              "s3://many/shards/",
              s3.endpoint(),
              dest,
              "--connections",
              "32")
          .assertExit(0);
      try (Stream<Path> files = Files.list(dest)) {
        assertThat(files.filter(p -> p.toString().endsWith(".bin")).count()).isEqualTo(1010);
      }
      assertThat(Files.readString(dest.resolve("1009.bin"))).isEqualTo("shard 1009");
    }
  }

  @Test
  void aRefusedListingPageIsRetriedAloneKeepingThePagesAlreadyRead() throws Exception {
    try (S3Fixture s3 = S3Fixture.start();
        CorruptingForwarder path = CorruptingForwarder.start(s3.endpoint())) {
      s3.createBucket("paged");
      for (int i = 0; i < 2500; i++) {
        s3.put("paged", "m/%04d.bin".formatted(i), ("shard " + i).getBytes());
      }
      path.refuseEachListPageOnce();
      Path dest = tmp.resolve("dest");
      Cli.Run run =
          pull(
              s3.accessKey(),
              s3.secretKey(),
              "s3://paged/m/",
              path.endpoint(),
              dest,
              "--include",
              "24*.bin");
      run.assertExit(0);
      assertThat(path.listRequests())
          .as(
              "3 pages of 1,000 keys, each refused once and asked again once; stderr:%n%s",
              run.stderr())
          .isEqualTo(6);
      assertThat(run.stderr()).contains("listing page 3 of s3://paged/m/").contains("503 SlowDown");
      try (Stream<Path> files = Files.list(dest)) {
        assertThat(files.filter(p -> p.toString().endsWith(".bin")).count()).isEqualTo(100);
      }
      assertThat(Files.readString(dest.resolve("2499.bin"))).isEqualTo("shard 2499");
    }
  }

  @Test
  void everyRefusedRequestWaitsItsOwnFullRetryAfter() throws Exception {
    try (S3Fixture s3 = S3Fixture.start();
        CorruptingForwarder path = CorruptingForwarder.start(s3.endpoint())) {
      s3.createBucket("slow");
      byte[] big = new byte[24 << 20];
      new Random(7).nextBytes(big);
      s3.put("slow", "m/big.bin", big);
      for (int i = 0; i < 6; i++) {
        s3.put("slow", "m/%d.json".formatted(i), ("{\"n\":" + i + "}").getBytes());
      }
      path.refuseEachListPageOnce();
      path.refuseEachObjectGetOnce();
      Path dest = tmp.resolve("dest");
      Cli.Run run =
          pull(
              s3.accessKey(),
              s3.secretKey(),
              "s3://slow/m/",
              path.endpoint(),
              dest,
              "--connections",
              "8");
      run.assertExit(0);
      // The listing page, the 6 small objects and the ranges of big.bin were each refused once with
      // 503 SlowDown and Retry-After: 1; each must come back no sooner than one second after its
      // refusal.
      assertThat(path.waitedAfterRefusalMillis())
          .as("stderr:%n%s", run.stderr())
          .hasSizeGreaterThan(7)
          .allSatisfy(waited -> assertThat(waited).isGreaterThanOrEqualTo(1000L));
      assertThat(Files.readAllBytes(dest.resolve("big.bin"))).isEqualTo(big);
      assertThat(Files.readString(dest.resolve("5.json"))).isEqualTo("{\"n\":5}");
    }
  }

  @Test
  void wrongCredentialsAreASourceErrorWithAHint() throws Exception {
    try (S3Fixture s3 = S3Fixture.start()) {
      s3.createBucket("models");
      s3.put("models", "m/a.bin", new byte[] {1});
      Cli.Run run =
          pull(
              s3.accessKey(), "wrong-secret", "s3://models/m/", s3.endpoint(), tmp.resolve("dest"));
      run.assertExit(3);
      assertThat(run.stderr()).contains("403").contains("AWS_ACCESS_KEY_ID");
    }
  }

  @Test
  void aHostileListingIsRefusedBeforeAnythingIsWritten() throws Exception {
    try (MotoServer moto = MotoServer.start()) {
      moto.createBucket("evil");
      moto.put("evil", "m/ok.bin", new byte[] {1, 2, 3});
      moto.put("evil", "m/../../escape.bin", new byte[] {6, 6, 6});
      moto.put("evil", "m//abs.bin", new byte[] {6, 6, 6});
      Path dest = tmp.resolve("a/b/dest");
      Cli.Run run = pull(moto.accessKey(), moto.secretKey(), "s3://evil/m/", moto.endpoint(), dest);
      run.assertExit(3);
      assertThat(run.stderr())
          .contains("refusing the listing")
          .contains("'../../escape.bin'")
          .contains("escape the destination")
          .contains("'/abs.bin'");
      assertThat(tmp.resolve("a/escape.bin")).doesNotExist();
      assertThat(tmp.resolve("escape.bin")).doesNotExist();
      assertThat(dest.resolve("ok.bin")).doesNotExist();
    }
  }

  @Test
  void keysWithControlCharactersAreRefusedAndPrintedEscaped() throws Exception {
    try (S3Fixture s3 = S3Fixture.start()) {
      s3.createBucket("ctl");
      s3.put("ctl", "m/ok.bin", new byte[] {1});
      s3.put("ctl", "m/tab\there.bin", new byte[] {6});
      s3.put("ctl", "m/forged\n2026-01-01 [INFO] done.bin", new byte[] {6});
      Path dest = tmp.resolve("dest");
      Cli.Run run = pull(s3.accessKey(), s3.secretKey(), "s3://ctl/m/", s3.endpoint(), dest);
      run.assertExit(3);
      assertThat(run.stderr())
          .contains("control character")
          .contains("'tab\\x09here.bin'")
          .contains("'forged\\x0a2026-01-01 [INFO] done.bin'")
          .doesNotContain("\t")
          .doesNotContain("\n2026");
      assertThat(dest).doesNotExist();
    }
  }

  /**
   * Issue 11 item 3: moto answers HeadObject of a multipart CRC32 upload with the composite CRC32
   * (the CRC of the part CRCs) without its {@code -N} suffix or a checksum type. Taken for a
   * full-object CRC it failed correct bytes twice (exit 5); now it is not used, and the multipart
   * ETag (MD5 of the part MD5s) checks the bytes part by part.
   */
  @Test
  void aCompositeCrcWithoutSuffixDoesNotFailCorrectBytes() throws Exception {
    byte[] weights = Datasets.bytes(12 * MIB + 12345, 5);
    try (MotoServer moto = MotoServer.start()) {
      moto.createBucket("parts");
      String etag =
          moto.putMultipart("parts", "m/model.bin", weights, 5 * MIB, ChecksumAlgorithm.CRC32);
      assertThat(etag).endsWith("-3\"");
      try (var s3 = moto.newClient()) {
        var head = s3.headObject(b -> b.bucket("parts").key("m/model.bin").checksumMode("ENABLED"));
        assertThat(head.checksumCRC32())
            .as("the fixture behaviour this test is about")
            .isNotNull()
            .doesNotContain("-");
      }
      Path dest = tmp.resolve("dest");
      Cli.Run run =
          pull(
              moto.accessKey(),
              moto.secretKey(),
              "s3://parts/m/",
              moto.endpoint(),
              dest,
              "--chunk-size",
              "4MiB");
      run.assertExit(0);
      assertThat(run.stderr())
          .doesNotContain("failed verification")
          .doesNotContain("gives no digest");
      assertThat(Files.readAllBytes(dest.resolve("model.bin"))).isEqualTo(weights);
      String manifest = Files.readString(dest.resolve(".modelprefetch/manifest.json"));
      assertThat(manifest)
          .contains("\"sha256:" + Datasets.sha256(weights) + "\"")
          .contains(
              "\"md5:"
                  + etag.replace("\"", "").replaceAll("-3$", "")
                  + ";parts=5242880*2,2109497\"")
          .contains("\"verifiedBy\" : \"md5 of 3 parts from the source\"");
    }
  }
}
