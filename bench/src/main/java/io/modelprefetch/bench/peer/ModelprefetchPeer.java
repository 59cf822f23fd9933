package io.modelprefetch.bench.peer;

import io.modelprefetch.fixtures.data.FileSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code modelprefetch pull} through {@code hack/modelprefetch}. Over HTTP it pulls every file of
 * the dataset in one run from an input file (URL, {@code out=} path and {@code checksum=sha-256=}
 * per file, as aria2c's {@code -i}), so its rows compare with aria2c's on every dataset.
 */
public record ModelprefetchPeer(Path launcher, Source source, List<String> flags) implements Peer {
  @Override
  public String tool() {
    return flags.isEmpty() ? "modelprefetch" : "modelprefetch " + String.join(" ", flags);
  }

  @Override
  public PeerCommand command(Job job) throws IOException {
    var e = job.endpoints();
    return switch (source) {
      case HF ->
          PeerCommand.of(
              pull(List.of("hf://" + e.hubRepo()), job.dest(), "--endpoint", e.hub().toString()));
      case S3 ->
          new PeerCommand(
              pull(
                  List.of("s3://" + e.bucket() + "/"), job.dest(), "--endpoint", e.s3().toString()),
              job.s3Env());
      case HTTP ->
          PeerCommand.of(pull(List.of(), job.dest(), "--input-file", urlList(job).toString()));
    };
  }

  private List<String> pull(List<String> sources, Path dest, String... more) {
    List<String> argv = new ArrayList<>(List.of(launcher.toString(), "pull"));
    argv.addAll(sources);
    argv.addAll(List.of("--dest", dest.toString(), "--progress", "none"));
    argv.addAll(List.of(more));
    argv.addAll(flags);
    return argv;
  }

  private static Path urlList(Job job) throws IOException {
    StringBuilder list = new StringBuilder();
    for (FileSpec f : job.data().dataset().files()) {
      list.append(job.endpoints().httpFile(f.path()))
          .append('\n')
          .append("  out=")
          .append(f.path())
          .append('\n')
          .append("  checksum=sha-256=")
          .append(job.data().sha256().get(f.path()))
          .append('\n');
    }
    Path file = job.scratch().resolve("modelprefetch-urls.txt");
    Files.writeString(file, list);
    return file;
  }
}
