package io.modelprefetch.bench.peer;

import io.modelprefetch.fixtures.data.FileSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** aria2c -x16 -s16 over the list of file URLs, 16 files at a time. */
public record Aria2Peer(Path aria2c) implements Peer {
  @Override
  public String tool() {
    return "aria2c -x16 -s16 -j16";
  }

  @Override
  public Source source() {
    return Source.HTTP;
  }

  @Override
  public PeerCommand command(Job job) throws IOException {
    StringBuilder list = new StringBuilder();
    for (FileSpec f : job.data().dataset().files()) {
      Path target = job.dest().resolve(f.path());
      list.append(job.endpoints().httpFile(f.path()))
          .append('\n')
          .append("  dir=")
          .append(target.getParent())
          .append('\n')
          .append("  out=")
          .append(target.getFileName())
          .append('\n');
    }
    Path input = job.scratch().resolve("aria2.list");
    Files.writeString(input, list);
    return PeerCommand.of(
        List.of(
            aria2c.toString(),
            "-i",
            input.toString(),
            "-x16",
            "-s16",
            "-j16",
            "-k1M",
            "--file-allocation=none",
            "--console-log-level=warn",
            "--summary-interval=0",
            "--download-result=hide",
            "--allow-overwrite=true",
            "--auto-file-renaming=false",
            "-q"));
  }
}
