package io.modelprefetch.bench.peer;

import java.nio.file.Path;
import java.util.List;

/** s5cmd with many workers and 16 parallel 16 MiB parts per object. */
public record S5cmdPeer(Path s5cmd) implements Peer {
  @Override
  public String tool() {
    return "s5cmd --numworkers 64 cp --concurrency 16";
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
            s5cmd.toString(),
            "--endpoint-url",
            e.s3().toString(),
            "--numworkers",
            "64",
            "cp",
            "--concurrency",
            "16",
            "--part-size",
            "16",
            "s3://" + e.bucket() + "/*",
            job.dest() + "/"),
        job.s3Env());
  }
}
