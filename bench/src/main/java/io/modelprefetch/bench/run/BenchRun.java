package io.modelprefetch.bench.run;

import io.modelprefetch.bench.data.PreparedDataset;
import io.modelprefetch.bench.origin.ShapedOrigins;
import io.modelprefetch.bench.peer.Job;
import io.modelprefetch.bench.peer.Peer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Runs every peer that supports the dataset against one set of shaped origins, {@code runs} rounds
 * (peers interleaved, so drift hits all alike), checking every output's digests before it counts.
 */
public final class BenchRun {
  private final TimedProcess timed;
  private final OutputVerifier verifier = new OutputVerifier();
  private final Path workDir;
  private final Path logDir;
  private final PrintStream log;

  public BenchRun(TimedProcess timed, Path workDir, Path logDir, PrintStream log) {
    this.timed = timed;
    this.workDir = workDir;
    this.logDir = logDir;
    this.log = log;
  }

  public List<RunResult> run(
      String link, ShapedOrigins origins, PreparedDataset data, List<Peer> peers, int runs)
      throws IOException, InterruptedException {
    List<RunResult> results = new ArrayList<>();
    List<Peer> able = peers.stream().filter(p -> p.supports(data.dataset())).toList();
    for (int run = 1; run <= runs; run++) {
      for (Peer peer : able) {
        results.add(once(link, origins, data, peer, run));
      }
    }
    return results;
  }

  private RunResult once(
      String link, ShapedOrigins origins, PreparedDataset data, Peer peer, int run)
      throws IOException, InterruptedException {
    Path dest = workDir.resolve("dest");
    Path scratch = workDir.resolve("scratch");
    deleteTree(dest);
    deleteTree(scratch);
    Files.createDirectories(dest);
    Files.createDirectories(scratch);
    String name =
        "%s-%s-%s-%s-%d"
            .formatted(
                link,
                data.dataset().name(),
                peer.source().label(),
                peer.tool().replaceAll("[^A-Za-z0-9]+", "_"),
                run);
    Measurement m =
        timed.run(
            peer.command(new Job(origins.endpoints(), data, dest, scratch)),
            logDir,
            name,
            origins.link());
    String error =
        m.timedOut()
            ? "timed out"
            : m.exitCode() != 0
                ? "exit " + m.exitCode() + " (see " + name + ".err)"
                : peer.writesFiles() ? verifier.check(dest, data.sha256()).orElse(null) : null;
    log.printf(
        Locale.ROOT,
        "%-4s %-12s %-5s %-45s run %d: %7.2f s %8.1f MB/s %6.1f CPU s  %s%n",
        link,
        data.dataset().name(),
        peer.source().label(),
        peer.tool(),
        run,
        m.wallSeconds(),
        data.dataset().totalBytes() / 1e6 / m.wallSeconds(),
        m.cpuSeconds(),
        error == null ? "ok" : "FAILED " + error);
    deleteTree(dest);
    return new RunResult(
        peer.tool(),
        peer.source().label(),
        data.dataset().name(),
        link,
        run,
        data.dataset().totalBytes(),
        m,
        error);
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
