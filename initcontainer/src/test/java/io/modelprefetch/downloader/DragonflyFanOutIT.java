package io.modelprefetch.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelprefetch.fixtures.data.Datasets;
import io.modelprefetch.fixtures.hub.HubFixture;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "ip",
                "netns",
                "exec",
                bed.getProperty("prefix") + "-n" + i,
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
    Path logs = Files.createDirectories(tmp.resolve("logs-n" + i + "-" + System.nanoTime()));
    cmd.addAll(List.of("--termination-message-path", logs.resolve("termination.json").toString()));
    if (viaDragonfly) {
      cmd.addAll(List.of("--dragonfly-proxy", bed.getProperty("proxy")));
    }
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

  /** The fan-out bench (hack/dragonfly-testbed.sh bench): direct vs through Dragonfly. */
  @Test
  @Order(0)
  void fanOutBench() throws Exception {
    Assumptions.assumeTrue(
        Boolean.getBoolean("modelprefetch.dragonfly.bench"),
        "the fan-out bench runs only from: bash hack/dragonfly-testbed.sh bench");
    int mib = Integer.getInteger("modelprefetch.dragonfly.bench.mib", 256);
    StringBuilder report = new StringBuilder();
    for (boolean viaDragonfly : new boolean[] {false, true}) {
      String repo = "bench/fanout-" + (viaDragonfly ? "dragonfly" : "direct");
      Map<String, byte[]> files = model(repo, mib * 2 / 3, mib / 3, viaDragonfly ? 303 : 304);
      long start = System.nanoTime();
      List<Outcome> outcomes = fanOut(repo, viaDragonfly, files);
      double seconds = (System.nanoTime() - start) / 1e9;
      for (Outcome o : outcomes) {
        assertThat(o.exit()).as("stderr:%n%s", o.stderr()).isZero();
        assertThat(o.stderr())
            .as("the Dragonfly run really went through Dragonfly")
            .doesNotContain("downloading from the origin directly");
      }
      long model = size(files);
      String line =
          String.format(
              "fan-out %s: %d nodes, model %.0f MiB, origin link %s, origin sent %.1f MiB (%.2fx"
                  + " model), last node ready after %.1f s",
              viaDragonfly ? "through Dragonfly" : "direct",
              nodes(),
              model / (double) MiB,
              originLink(),
              originBytes() / (double) MiB,
              originBytes() / (double) model,
              seconds);
      System.out.println(line);
      report.append(line).append('\n');
      hub.close();
      hub = null;
    }
    Path out =
        Path.of(
            System.getProperty(
                "modelprefetch.dragonfly.bench.report", "target/dragonfly-fanout-bench.txt"));
    Files.writeString(out, report);
  }
}
