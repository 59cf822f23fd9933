package io.modelprefetch.bench.peer;

import io.modelprefetch.fixtures.data.FileSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The most this machine can move through the shaper: one curl (C, no disk, no hashing) running
 * {@value #PARALLEL} transfers at once, each an 8 MiB range (or a whole small file) from the plain
 * HTTP origin into /dev/null. Every other row is measured against it ({@code % of ceiling}).
 */
public record CeilingPeer(Path curl) implements Peer {
  static final int PARALLEL = 64;
  private static final long RANGE = 8L << 20;

  @Override
  public String tool() {
    return "ceiling: curl --parallel-max " + PARALLEL + ", 8 MiB ranges to /dev/null";
  }

  @Override
  public Source source() {
    return Source.HTTP;
  }

  @Override
  public boolean writesFiles() {
    return false;
  }

  @Override
  public PeerCommand command(Job job) throws IOException {
    StringBuilder config = new StringBuilder();
    for (FileSpec f : job.data().dataset().files()) {
      for (long start = 0; start < f.size(); start += RANGE) {
        long end = Math.min(f.size(), start + RANGE) - 1;
        config
            .append("url = \"")
            .append(job.endpoints().httpFile(f.path()))
            .append("\"\n")
            .append("range = \"")
            .append(start)
            .append('-')
            .append(end)
            .append("\"\n")
            .append("output = \"/dev/null\"\n");
      }
    }
    Path file = job.scratch().resolve("ceiling.cfg");
    Files.writeString(file, config);
    return PeerCommand.of(
        List.of(
            curl.toString(),
            "-sS",
            "--fail",
            "--parallel",
            "--parallel-immediate",
            "--parallel-max",
            String.valueOf(PARALLEL),
            "-K",
            file.toString()));
  }
}
