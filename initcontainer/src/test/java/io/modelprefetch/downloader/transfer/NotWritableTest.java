package io.modelprefetch.downloader.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotWritableTest {
  @TempDir Path dir;

  @Test
  void namesTheUserTheOwnerTheModeAndTheFix() throws Exception {
    Path volume = Files.createDirectory(dir.resolve("models"));
    Files.setPosixFilePermissions(volume, PosixFilePermissions.fromString("rwxr-x---"));
    int owner = (Integer) Files.getAttribute(volume, "unix:uid");

    String message =
        NotWritable.message(volume, volume.resolve(".modelprefetch"), "uid 65532 gid 65532");

    assertThat(message)
        .startsWith("destination " + volume + " is not writable by uid 65532 gid 65532: ")
        .contains(volume + " is owned by uid " + owner + " gid ")
        .contains("mode 0750")
        .contains("ignore the pod's fsGroup")
        .contains("README, Storage");
  }

  @Test
  void processIdsAreTheFileSystemIdsOfThisProcess() throws Exception {
    String uid =
        Files.readAllLines(Path.of("/proc/self/status")).stream()
            .filter(l -> l.startsWith("Uid:"))
            .findFirst()
            .orElseThrow()
            .split("\\s+")[4];

    assertThat(NotWritable.processIds()).startsWith("uid " + uid + " gid ");
  }
}
