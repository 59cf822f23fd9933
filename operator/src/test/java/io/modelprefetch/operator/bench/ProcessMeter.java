package io.modelprefetch.operator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory and CPU of another process from {@code /proc/<pid>} (Linux): resident set now ({@code
 * VmRSS}) and at its peak ({@code VmHWM}), user+system CPU, and the JVM's heap as {@code jcmd
 * GC.heap_info} reports it.
 */
record ProcessMeter(long pid, Path jcmd) {
  private static final Pattern KB = Pattern.compile("^(Vm\\w+):\\s+(\\d+) kB", Pattern.MULTILINE);

  /**
   * The heap's lines: Serial "DefNew total 116160K, used 33071K", G1 "... total reserved 6172672K,
   * committed 393216K, used 11840K".
   */
  private static final Pattern HEAP =
      Pattern.compile(
          "^\\S.*?\\btotal (?:reserved \\d+K, committed )?(\\d+)K, used (\\d+)K",
          Pattern.MULTILINE);

  /**
   * Clock ticks of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on every Linux architecture in
   * use).
   */
  private static final double TICKS_PER_SECOND = 100;

  /** Resident set now and at its peak, in bytes. */
  record Rss(long current, long peak) {}

  /** Heap used and committed, in bytes. */
  record Heap(long used, long committed) {}

  Rss rss() throws IOException {
    String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
    long rss = 0;
    long hwm = 0;
    Matcher m = KB.matcher(status);
    while (m.find()) {
      long bytes = Long.parseLong(m.group(2)) * 1024;
      switch (m.group(1)) {
        case "VmRSS" -> rss = bytes;
        case "VmHWM" -> hwm = bytes;
        default -> {}
      }
    }
    return new Rss(rss, hwm);
  }

  /**
   * User plus system CPU seconds so far (fields 14 and 15 of /proc/<pid>/stat, after the command
   * name).
   */
  double cpuSeconds() throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
  }

  Heap heap() throws IOException, InterruptedException {
    String out = jcmd("GC.heap_info");
    List<long[]> spaces = new ArrayList<>();
    Matcher m = HEAP.matcher(out);
    while (m.find()) {
      spaces.add(new long[] {Long.parseLong(m.group(1)) * 1024, Long.parseLong(m.group(2)) * 1024});
    }
    if (spaces.isEmpty()) {
      throw new IOException("no heap totals in jcmd GC.heap_info output: " + out.strip());
    }
    return new Heap(
        spaces.stream().mapToLong(s -> s[1]).sum(), spaces.stream().mapToLong(s -> s[0]).sum());
  }

  /** A full collection: the heap used after it is the live set. */
  void fullGc() throws IOException, InterruptedException {
    jcmd("GC.run");
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException("jcmd " + pid + " " + command + " failed: " + out.strip());
    }
    return out;
  }

  static String mib(long bytes) {
    return String.format("%.0f MiB", bytes / 1048576.0);
  }
}
