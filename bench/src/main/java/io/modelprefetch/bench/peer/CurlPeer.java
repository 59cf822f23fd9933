package io.modelprefetch.bench.peer;

import io.modelprefetch.fixtures.data.FileSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The baseline: one curl, one connection, files one after another. */
public record CurlPeer(Path curl) implements Peer {
  @Override
  public String tool() {
    return "curl (single stream)";
  }

  @Override
  public Source source() {
    return Source.HTTP;
  }

  @Override
  public PeerCommand command(Job job) throws IOException {
    StringBuilder config = new StringBuilder();
    for (FileSpec f : job.data().dataset().files()) {
      config
          .append("url = \"")
          .append(job.endpoints().httpFile(f.path()))
          .append("\"\n")
          .append("output = \"")
          .append(job.dest().resolve(f.path()))
          .append("\"\n");
    }
    Path file = job.scratch().resolve("curl.cfg");
    Files.writeString(file, config);
    return PeerCommand.of(
        List.of(curl.toString(), "-sS", "--fail", "--create-dirs", "-K", file.toString()));
  }
}
