package io.modelprefetch.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelprefetch.fixtures.data.Datasets;
import io.modelprefetch.fixtures.hub.HubFixture;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-node tier: N network-namespace "nodes", each with a real dfdaemon, a Manager-less
 * scheduler and a seed peer (set up by {@code hack/dragonfly-testbed.sh}, which passes the {@code
 * modelprefetch.dragonfly.testbed} property). Each node runs one modelprefetch pull of the same
 * model through its own dfdaemon; the Hub and CDN fixtures count what the origin sent.
 *
 * <p>Without the test bed these tests are reported as skipped with the reason, and {@code
 * hack/test.sh} prints that the tier did not run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DragonflyFanOutIT {
  private static final long MiB = 1 << 20;

  @TempDir Path tmp;
  Properties bed;
  HubFixture hub;

  @BeforeEach
  void testbed() throws IOException {
    String env = System.getProperty("modelprefetch.dragonfly.testbed");
    Assumptions.assumeTrue(
        env != null && !env.isBlank(),
        "the multi-node Dragonfly tier did not run: no test bed (run: bash"
            + " hack/dragonfly-testbed.sh test)");
    bed = new Properties();
    try (InputStream in = Files.newInputStream(Path.of(env))) {
      bed.load(in);
    }
  }

  @AfterEach
  void stopHub() {
    if (hub != null) {
      hub.close();
    }
  }

  /**
   * A model of two LFS shards and a config, under its own repo id (tasks never overlap between
   * tests).
   */
  private Map<String, byte[]> model(String repo, int shard1MiB, int shard2MiB, long seed) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(
        "config.json",
        ("{\"model_type\":\"llama\",\"seed\":" + seed + "}\n").getBytes(StandardCharsets.UTF_8));
    files.put("model-00001-of-00002.safetensors", Datasets.bytes((int) (shard1MiB * MiB), seed));
    files.put(
        "model-00002-of-00002.safetensors", Datasets.bytes((int) (shard2MiB * MiB), seed + 1));
    hub =
        HubFixture.builder()
            .host(bed.getProperty("hub_ip"))
            .cdnHost(bed.getProperty("cdn_ip"))
            .repo(
                repo,
                r -> {
                  r.branch("main");
                  files.forEach(
                      (path, bytes) -> {
                        if (path.endsWith(".safetensors")) {
                          r.lfsFile(path, bytes);
                        } else {
                          r.file(path, bytes);
                        }
                      });
                })
            .start();
    return files;
  }

  private int nodes() {
    return Integer.parseInt(bed.getProperty("nodes"));
  }

  /** A pull running on a node, and where its stderr goes. */
  private record Running(Process process, Path stderr, Path termination) {}

  /** Starts the CLI inside node {@code i}'s namespace. */
  private Running pull(int i, String repo, Path dest, boolean viaDragonfly) throws IOException {
    return pull(i, repo, dest, viaDragonfly, null);
  }

  /**
   * The command prefix that runs a process in node {@code i}'s namespace; with {@code cpu}, under
   * {@code /usr/bin/time}, which writes the user and system CPU seconds of the process and its
   * children there when they end.
   */
  private List<String> inNode(int i, Path cpu) {
    List<String> cmd =
        new ArrayList<>(List.of("ip", "netns", "exec", bed.getProperty("prefix") + "-n" + i));
    if (cpu != null) {
      cmd.addAll(List.of("/usr/bin/time", "-f", "%U %S", "-o", cpu.toString()));
    }
    return cmd;
  }

  private Running pull(int i, String repo, Path dest, boolean viaDragonfly, Path cpu)
      throws IOException {
    List<String> cmd = inNode(i, cpu);
    cmd.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED",
            "-Xmx256m",
            "-jar",
            System.getProperty("modelprefetch.jar"),
            "pull",
            "hf://" + repo,
            "--dest",
            dest.toString(),
            "--endpoint",
            hub.endpoint().toString(),
            "--progress",
            "none",
            "--chunk-size",
            "4MiB"));
    Path logs = logs(i);
    cmd.addAll(List.of("--termination-message-path", logs.resolve("termination.json").toString()));
    if (viaDragonfly) {
      cmd.addAll(List.of("--dragonfly-proxy", bed.getProperty("proxy")));
    }
    return start(cmd, logs);
  }

  private Path logs(int i) throws IOException {
    return Files.createDirectories(tmp.resolve("logs-n" + i + "-" + System.nanoTime()));
  }

  private static Running start(List<String> cmd, Path logs) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectOutput(logs.resolve("out").toFile())
            .redirectError(logs.resolve("err").toFile());
    pb.environment().remove("HF_TOKEN");
    pb.environment().remove("HF_ENDPOINT");
    return new Running(pb.start(), logs.resolve("err"), logs.resolve("termination.json"));
  }

  /** How a pull ended: exit code, stderr, and its termination message (JSON). */
  private record Outcome(int exit, String stderr, JsonNode summary) {}

  private static Outcome await(Running r) throws Exception {
    assertThat(r.process().waitFor(600, TimeUnit.SECONDS))
        .as("pull finished within 10 minutes")
        .isTrue();
    JsonNode summary =
        Files.exists(r.termination())
            ? new ObjectMapper().readTree(r.termination().toFile())
            : null;
    return new Outcome(r.process().exitValue(), Files.readString(r.stderr()), summary);
  }

  private static void assertSameFiles(Path dest, Map<String, byte[]> files) throws IOException {
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      assertThat(Datasets.sha256(dest.resolve(f.getKey())))
          .as(dest + "/" + f.getKey())
          .isEqualTo(Datasets.sha256(f.getValue()));
    }
  }

  private long originBytes() {
    return hub.cdnStats().totalBodyBytes() + hub.hubStats().totalBodyBytes();
  }

  private static long size(Map<String, byte[]> files) {
    return files.values().stream().mapToLong(b -> b.length).sum();
  }

  /** Runs one pull per node at once; returns each node's outcome. */
  private List<Outcome> fanOut(String repo, boolean viaDragonfly, Map<String, byte[]> files)
      throws Exception {
    List<Running> running = new ArrayList<>();
    for (int i = 0; i < nodes(); i++) {
      running.add(
          pull(
              i,
              repo,
              tmp.resolve(repo.replace('/', '_') + (viaDragonfly ? "-df" : "-direct") + "/n" + i),
              viaDragonfly));
    }
    List<Outcome> outcomes = new ArrayList<>();
    for (Running r : running) {
      outcomes.add(await(r));
    }
    return outcomes;
  }

  @Test
  @Order(1)
  void everyNodeGetsTheVerifiedModelWhileTheOriginSendsItAboutOnce() throws Exception {
    String repo = "acme/fanout-llm";
    Map<String, byte[]> files = model(repo, 48, 24, 101);
    List<Outcome> outcomes = fanOut(repo, true, files);
    for (int i = 0; i < outcomes.size(); i++) {
      Outcome o = outcomes.get(i);
      assertThat(o.exit()).as("node n%d exit; stderr:%n%s", i, o.stderr()).isZero();
      assertThat(o.stderr())
          .as("node n%d never fell back", i)
          .doesNotContain("downloading from the origin directly");
      assertSameFiles(tmp.resolve(repo.replace('/', '_') + "-df/n" + i), files);
    }
    long model = size(files);
    long fromPeers =
        outcomes.stream().mapToLong(o -> o.summary().path("bytesFromPeers").asLong(-1)).sum();
    System.out.printf(
        "nodes reported %d bytes from peers in their termination messages%n", fromPeers);
    assertThat(outcomes).allSatisfy(o -> assertThat(o.summary().has("bytesFromPeers")).isTrue());
    assertThat(fromPeers)
        .as("bytes the nodes report from peers (dfdaemon counters)")
        .isGreaterThanOrEqualTo((nodes() - 1) * model);
    System.out.printf(
        "fan-out over %d nodes: origin sent %d bytes for a %d-byte model (%.3fx)%n",
        nodes(), originBytes(), model, originBytes() / (double) model);
    assertThat(originBytes())
        .as("origin bytes for %d nodes", nodes())
        .isLessThanOrEqualTo((long) (1.1 * model));
  }

  @Test
  @Order(2)
  void killingOnePeerMidTransferLeavesTheOthersCompleteAndTheOriginNearlyOnce() throws Exception {
    String repo = "acme/fanout-kill";
    Map<String, byte[]> files = model(repo, 64, 32, 202);
    long model = size(files);
    int victim = nodes() - 1;
    List<Running> running = new ArrayList<>();
    for (int i = 0; i < nodes(); i++) {
      running.add(pull(i, repo, tmp.resolve("kill/n" + i), true));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (hub.cdnStats().totalBodyBytes() < model / 4 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(hub.cdnStats().totalBodyBytes())
        .as("transfer under way before the kill")
        .isGreaterThan(0);
    assertThat(running.get(victim).process().isAlive())
        .as("node n%d still pulling when killed", victim)
        .isTrue();
    // The victim node dies: its dfdaemon (a peer the others may be fetching from) and its pull.
    long daemon =
        Long.parseLong(
            Files.readString(Path.of(bed.getProperty("state"), "pids", "dfdaemon-n" + victim))
                .strip());
    ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly);
    running.get(victim).process().destroyForcibly();
    System.out.printf(
        "killed node n%d (dfdaemon pid %d) with %d of %d origin bytes sent%n",
        victim, daemon, hub.cdnStats().totalBodyBytes(), model);
    for (int i = 0; i < nodes(); i++) {
      if (i == victim) {
        continue;
      }
      Outcome o = await(running.get(i));
      assertThat(o.exit()).as("node n%d exit; stderr:%n%s", i, o.stderr()).isZero();
      assertSameFiles(tmp.resolve("kill/n" + i), files);
    }
    System.out.printf(
        "with one peer killed: origin sent %d bytes for a %d-byte model (%.3fx)%n",
        originBytes(), model, originBytes() / (double) model);
    assertThat(originBytes()).isLessThanOrEqualTo((long) (1.1 * model));
  }

  private String originLink() {
    String mbit = bed.getProperty("origin_mbit", "0");
    return "0".equals(mbit) ? "unshaped" : mbit + " Mbit/s";
  }

  /** How the nodes of a bench row fetch the model. */
  private enum Via {
    /** modelprefetch pull straight from the origin. */
    DIRECT("direct (pull)", 304),
    /** modelprefetch pull, ranges through dfdaemon's HTTP proxy (the downloader's transport). */
    PROXY("Dragonfly HTTP proxy (pull)", 303),
    /**
     * dfget per file: dfdaemon's gRPC DownloadTask over its unix socket, the pieces' content
     * streamed back to dfget, which writes them (what a downloader in a pod would do); the client
     * then checks the sha256 of every file (openssl).
     */
    GRPC("Dragonfly gRPC, content streamed (dfget)", 305),
    /**
     * dfget per file, but dfdaemon writes the file itself (hard link or copy from its storage) and
     * checks the sha256: only possible when the client shares dfdaemon's filesystem.
     */
    GRPC_LINK("Dragonfly gRPC, dfdaemon writes the file (dfget)", 306);

    final String label;
    final long seed;

    Via(String label, long seed) {
      this.label = label;
      this.seed = seed;
    }
  }

  /**
   * The fan-out bench (hack/dragonfly-testbed.sh bench): the same N-node fan-out directly, through
   * dfdaemon's HTTP proxy and through its gRPC DownloadTask, with origin bytes, time to the last
   * node ready and CPU seconds of the clients and of the dfdaemons per row.
   */
  @Test
  @Order(0)
  void fanOutBench() throws Exception {
    Assumptions.assumeTrue(
        Boolean.getBoolean("modelprefetch.dragonfly.bench"),
        "the fan-out bench runs only from: bash hack/dragonfly-testbed.sh bench");
    int mib = Integer.getInteger("modelprefetch.dragonfly.bench.mib", 256);
    StringBuilder report =
        new StringBuilder(
            String.format(
                "| %d nodes, origin link %s | model | origin sent | last node ready | client CPU |"
                    + " nodes' dfdaemon CPU | seed dfdaemon CPU |%n|---|---|---|---|---|---|---|%n",
                nodes(), originLink()));
    for (Via via : Via.values()) {
      String repo = "bench/fanout-" + via.name().toLowerCase(Locale.ROOT).replace('_', '-');
      Map<String, byte[]> files = model(repo, mib * 2 / 3, mib / 3, via.seed);
      double[] daemons = daemonCpuSeconds();
      List<Path> cpu = new ArrayList<>();
      List<Path> dests = new ArrayList<>();
      List<Running> running = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < nodes(); i++) {
        Path dest = tmp.resolve(repo.replace('/', '_') + "/n" + i);
        Path cpuFile = tmp.resolve(repo.replace('/', '_') + "-n" + i + ".cpu");
        dests.add(dest);
        cpu.add(cpuFile);
        running.add(
            switch (via) {
              case DIRECT -> pull(i, repo, dest, false, cpuFile);
              case PROXY -> pull(i, repo, dest, true, cpuFile);
              case GRPC, GRPC_LINK -> dfget(i, repo, files, dest, via == Via.GRPC, cpuFile);
            });
      }
      List<Outcome> outcomes = new ArrayList<>();
      for (Running r : running) {
        outcomes.add(await(r));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double[] daemonsAfter = daemonCpuSeconds();
      for (int i = 0; i < nodes(); i++) {
        Outcome o = outcomes.get(i);
        assertThat(o.exit()).as("%s, node n%d; stderr:%n%s", via, i, o.stderr()).isZero();
        assertThat(o.stderr())
            .as("%s, node n%d never fell back to the origin", via, i)
            .doesNotContain("downloading from the origin directly");
        assertSameFiles(dests.get(i), files);
      }
      double clientCpu = 0;
      for (Path c : cpu) {
        clientCpu += cpuSeconds(c);
      }
      long model = size(files);
      String line =
          String.format(
              Locale.ROOT,
              "| %s | %.0f MiB | %.1f MiB (%.2fx) | %.1f s | %.1f s | %.1f s | %.1f s |",
              via.label,
              model / (double) MiB,
              originBytes() / (double) MiB,
              originBytes() / (double) model,
              seconds,
              clientCpu,
              daemonsAfter[0] - daemons[0],
              daemonsAfter[1] - daemons[1]);
      System.out.println("fan-out bench " + line);
      report.append(line).append('\n');
      hub.close();
      hub = null;
    }
    System.out.print(report);
    Path out =
        Path.of(
            System.getProperty(
                "modelprefetch.dragonfly.bench.report", "target/dragonfly-fanout-bench.txt"));
    Files.writeString(out, report);
  }

  /**
   * Fetches every file of the model on node {@code i} with dfget, one dfget per file, all at once
   * (as a pull fetches files in parallel), under the same task id rule as the proxy (the content's
   * sha256) and from the same origin URLs (the signed CDN URL of an LFS file, each node resolving
   * its own; the resolve URL of a file the Hub serves itself).
   */
  private Running dfget(
      int i, String repo, Map<String, byte[]> files, Path dest, boolean stream, Path cpu)
      throws IOException, InterruptedException {
    Files.createDirectories(dest);
    String bin = Path.of(bed.getProperty("bin"), "dfget").toString();
    String socket = Path.of(bed.getProperty("state"), "n" + i, "dfdaemon.sock").toString();
    StringBuilder script = new StringBuilder("set -u\npids=()\n");
    StringBuilder verify = new StringBuilder();
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      String sha256 = Datasets.sha256(f.getValue());
      String out = quoted(dest.resolve(f.getKey()).toString());
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  bin,
                  "--endpoint",
                  socket,
                  "--no-progress",
                  "--scheduling-policy",
                  "always",
                  "--content-for-calculating-task-id",
                  "sha256:" + sha256,
                  "--output",
                  dest.resolve(f.getKey()).toString()));
      cmd.addAll(
          stream ? List.of("--transfer-from-dfdaemon") : List.of("--digest", "sha256:" + sha256));
      cmd.add(originUrl(repo, f.getKey()).toString());
      script.append(String.join(" ", cmd.stream().map(DragonflyFanOutIT::quoted).toList()));
      script.append(" &\npids+=($!)\n");
      // openssl, like the JDK's SHA-256, uses the CPU's SHA extensions (coreutils' sha256sum
      // here took 7x the CPU time).
      verify
          .append("[[ \"$(openssl dgst -sha256 -r ")
          .append(out)
          .append(")\" == ")
          .append(sha256)
          .append("* ]] || { echo ")
          .append(out)
          .append(": sha256 mismatch >&2; exit 1; }\n");
    }
    script.append("for p in \"${pids[@]}\"; do wait \"$p\" || exit 1; done\n");
    if (stream) {
      script.append(verify);
    }
    Path logs = logs(i);
    Path file = Files.writeString(logs.resolve("dfget.sh"), script);
    List<String> cmd = inNode(i, cpu);
    cmd.addAll(List.of("bash", file.toString()));
    return start(cmd, logs);
  }

  /** Where the Hub sends a client for the file: its CDN URL (signed anew per call), or itself. */
  private URI originUrl(String repo, String path) throws IOException, InterruptedException {
    URI resolve = hub.endpoint().resolve("/" + repo + "/resolve/main/" + path);
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<Void> r =
          http.send(
              HttpRequest.newBuilder(resolve)
                  .method("HEAD", HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() / 100 == 3
          ? resolve.resolve(r.headers().firstValue("Location").orElseThrow())
          : resolve;
    }
  }

  private static String quoted(String arg) {
    return "'" + arg.replace("'", "'\\''") + "'";
  }

  /** User plus system seconds that /usr/bin/time wrote (its last line: "%U %S"). */
  private static double cpuSeconds(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    String[] parts = lines.getLast().strip().split(" ");
    return Double.parseDouble(parts[0]) + Double.parseDouble(parts[1]);
  }

  /** CPU seconds (user + system) so far of the nodes' dfdaemons together, and of the seed's. */
  private double[] daemonCpuSeconds() throws IOException {
    double nodesTotal = 0;
    for (int i = 0; i < nodes(); i++) {
      nodesTotal += processCpuSeconds("dfdaemon-n" + i);
    }
    return new double[] {nodesTotal, processCpuSeconds("seed")};
  }

  /** From /proc/PID/stat: utime and stime (fields 14 and 15, in clock ticks). */
  private double processCpuSeconds(String name) throws IOException {
    String pid = Files.readString(Path.of(bed.getProperty("state"), "pids", name)).strip();
    String stat = Files.readString(Path.of("/proc", pid, "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks / (double) Long.parseLong(bed.getProperty("clk_tck", "100"));
  }
}
