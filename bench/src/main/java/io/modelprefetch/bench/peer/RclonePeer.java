package io.modelprefetch.bench.peer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * rclone copy from an on-the-fly S3 remote: 16 transfers, 16 streams per large file. AWS_CA_BUNDLE
 * is removed: rclone 1.60 fails to build its S3 client with a custom CA bundle (all traffic here is
 * plain HTTP).
 */
public record RclonePeer(Path rclone) implements Peer {
  @Override
  public String tool() {
    return "rclone --transfers 16 --multi-thread-streams 16";
  }

  @Override
  public Source source() {
    return Source.S3;
  }

  @Override
  public PeerCommand command(Job job) {
    var e = job.endpoints();
    return new PeerCommand(
        List.of(
            rclone.toString(),
            "copy",
            ":s3:" + e.bucket(),
            job.dest().toString(),
            "--s3-provider",
            "Other",
            "--s3-endpoint",
            e.s3().toString(),
            "--s3-access-key-id",
            e.accessKey(),
            "--s3-secret-access-key",
            e.secretKey(),
            "--s3-region",
            e.region(),
            "--s3-force-path-style=true",
            "--transfers",
            "16",
            "--checkers",
            "32",
            "--multi-thread-streams",
            "16",
            "--multi-thread-cutoff",
            "32M",
            "-q"),
        Map.of("RCLONE_CONFIG", job.scratch().resolve("rclone.conf").toString()),
        List.of("AWS_CA_BUNDLE"));
  }
}
