package io.modelprefetch.bench.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * AWS CLI v1 {@code aws s3 cp --recursive} (s3transfer) with 32 concurrent requests and 16 MB
 * parts.
 */
public record AwsCliPeer(Path aws) implements Peer {
  private static final String CONFIG =
      """
      [default]
      region = us-east-1
      s3 =
        max_concurrent_requests = 32
        max_queue_size = 10000
        multipart_threshold = 16MB
        multipart_chunksize = 16MB
        addressing_style = path
      """;

  @Override
  public String tool() {
    return "aws s3 cp (s3transfer, 32 requests)";
  }

  @Override
  public Source source() {
    return Source.S3;
  }

  @Override
  public PeerCommand command(Job job) throws IOException {
    var e = job.endpoints();
    Path config = job.scratch().resolve("aws-config");
    Files.writeString(config, CONFIG);
    Map<String, String> env = new HashMap<>(job.s3Env());
    env.put("AWS_CONFIG_FILE", config.toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", job.scratch().resolve("aws-credentials").toString());
    return new PeerCommand(
        List.of(
            aws.toString(),
            "s3",
            "cp",
            "--recursive",
            "s3://" + e.bucket() + "/",
            job.dest().toString(),
            "--endpoint-url",
            e.s3().toString(),
            "--no-progress",
            "--only-show-errors"),
        env);
  }
}
