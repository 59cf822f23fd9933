package io.modelprefetch.downloader.transfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Why a destination is not writable, said so that the fix is obvious: who we run as, who owns the
 * directory and its mode. The usual cause in a cluster is a volume from a hostPath-style
 * provisioner (root-owned, 0750/0755): such volumes ignore the pod's fsGroup.
 */
final class NotWritable {
  private NotWritable() {}

  /** The message for a pull into {@code dest} that was denied at {@code denied}. */
  static String message(Path dest, Path denied, String processIds) {
    Path dir = nearestExisting(denied == null ? dest : denied);
    return "destination "
        + dest
        + " is not writable by "
        + processIds
        + ": "
        + describe(dir)
        + ". Volumes of hostPath-style provisioners ignore the pod's fsGroup: give the directory to"
        + " that user (or make it writable by that group), or use a StorageClass whose driver"
        + " applies fsGroup (CSI) or creates writable directories (local-path); see the README,"
        + " Storage";
  }

  /** "uid 65532 gid 65532" of this process (Linux /proc), or "this process' user". */
  static String processIds() {
    try {
      List<String> status = Files.readAllLines(Path.of("/proc/self/status"));
      String uid = field(status, "Uid:");
      String gid = field(status, "Gid:");
      return uid == null || gid == null ? "this process' user" : "uid " + uid + " gid " + gid;
    } catch (IOException | RuntimeException e) {
      return "this process' user";
    }
  }

  private static String field(List<String> status, String name) {
    // "Uid:\t65532\t65532\t65532\t65532": real, effective, saved, filesystem; the filesystem one
    // counts.
    return status.stream()
        .filter(l -> l.startsWith(name))
        .findFirst()
        .map(l -> l.substring(name.length()).trim().split("\\s+"))
        .filter(parts -> parts.length == 4)
        .map(parts -> parts[3])
        .orElse(null);
  }

  private static String describe(Path dir) {
    try {
      int uid = (Integer) Files.getAttribute(dir, "unix:uid");
      int gid = (Integer) Files.getAttribute(dir, "unix:gid");
      int mode = (Integer) Files.getAttribute(dir, "unix:mode") & 07777;
      return dir
          + " is owned by uid "
          + uid
          + " gid "
          + gid
          + ", mode "
          + String.format("%04o", mode);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return dir + " cannot be inspected (" + e.getClass().getSimpleName() + ")";
    }
  }

  private static Path nearestExisting(Path path) {
    Path p = path.toAbsolutePath();
    while (p.getParent() != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p;
  }
}
