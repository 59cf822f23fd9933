package io.modelprefetch.bench.peer;

import java.net.URI;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.transfer.s3.S3TransferManager;
import software.amazon.awssdk.transfer.s3.model.CompletedDirectoryDownload;
import software.amazon.awssdk.transfer.s3.model.DownloadDirectoryRequest;

/**
 * Peer process: {@code downloadDirectory} of a whole bucket with S3TransferManager on the CRT
 * client, tuned as AWS documents for throughput (target throughput near the link, 8 MiB parts).
 * Args: endpoint bucket dest; keys from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.
 */
public final class CrtDownloadMain {
  private static final double TARGET_GBPS = 10.0;
  private static final long PART_BYTES = 8L << 20;

  private CrtDownloadMain() {}

  public static void main(String[] args) {
    try (S3AsyncClient s3 =
            S3AsyncClient.crtBuilder()
                .endpointOverride(URI.create(args[0]))
                .forcePathStyle(true)
                .region(Region.of(System.getenv().getOrDefault("AWS_REGION", "us-east-1")))
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .targetThroughputInGbps(TARGET_GBPS)
                .minimumPartSizeInBytes(PART_BYTES)
                .build();
        S3TransferManager tm = S3TransferManager.builder().s3Client(s3).build()) {
      CompletedDirectoryDownload done =
          tm.downloadDirectory(
                  DownloadDirectoryRequest.builder()
                      .bucket(args[1])
                      .destination(Path.of(args[2]))
                      .build())
              .completionFuture()
              .join();
      if (!done.failedTransfers().isEmpty()) {
        done.failedTransfers().forEach(f -> System.err.println("failed: " + f.exception()));
        System.exit(1);
      }
    }
  }
}
