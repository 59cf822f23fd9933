package io.modelprefetch.bench.peer;

import java.nio.file.Path;
import java.util.List;

/**
 * The AWS SDK v2 S3TransferManager on the CRT client, run as its own JVM ({@link CrtDownloadMain}).
 */
public record CrtTransferManagerPeer(Path java, String classpath) implements Peer {
  @Override
  public String tool() {
    return "S3TransferManager (CRT)";
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
            java.toString(),
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            classpath,
            CrtDownloadMain.class.getName(),
            e.s3().toString(),
            e.bucket(),
            job.dest().toString()),
        job.s3Env());
  }
}
