package io.modelprefetch.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelprefetch.downloader.source.dragonfly.DragonflyProxyStandIn;
import io.modelprefetch.fixtures.data.Datasets;
import io.modelprefetch.fixtures.http.HttpOrigin;
import io.modelprefetch.fixtures.hub.HubFixture;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The downloader's side of the Dragonfly transport against a loopback Hub and a recording stand-in
 * for dfdaemon's proxy (named as one: it forwards, it shares nothing). What is asserted here is
 * what modelprefetch sends to the node's proxy and how it falls back; real dfdaemon peers are
 * exercised by the multi-node tier (hack/dragonfly-testbed.sh).
 */
class DragonflyRouteIT {
  private static final String REPO = "acme/p2p-llm";
  private static final String TOKEN = "hf_dragonfly_secret_42";
  private static final byte[] SHARD_1 = Datasets.bytes(6 << 20, 11);
  private static final byte[] SHARD_2 = Datasets.bytes(3 << 20, 12);
  private static final byte[] CONFIG =
      "{\"model_type\":\"llama\"}\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;
  HubFixture hub;
  DragonflyProxyStandIn proxy;
  Path dest;

  @BeforeEach
  void start() throws Exception {
    proxy = new DragonflyProxyStandIn();
    dest = tmp.resolve("models");
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    if (hub != null) {
      hub.close();
    }
  }

  private void startHub(boolean privateRepo) throws Exception {
    hub =
        HubFixture.builder()
            .token(privateRepo ? TOKEN : null)
            .repo(
                REPO,
                r -> {
                  if (privateRepo) {
                    r.privateRepo();
                  }
                  r.branch("main")
                      .file("config.json", CONFIG)
                      .lfsFile("model-00001-of-00002.safetensors", SHARD_1)
                      .lfsFile("model-00002-of-00002.safetensors", SHARD_2);
                })
            .start();
  }

  private Cli.Run pull(String dragonflyProxy, String... extra) throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "pull",
                "hf://" + REPO,
                "--dest",
                dest.toString(),
                "--endpoint",
                hub.endpoint().toString(),
                "--progress",
                "none",
                "--chunk-size",
                "1MiB",
                "--dragonfly-proxy",
                dragonflyProxy));
    args.addAll(List.of(extra));
    return new Cli().run(args.toArray(String[]::new));
  }

  private void assertFilesArrived() throws Exception {
    assertThat(Files.readAllBytes(dest.resolve("model-00001-of-00002.safetensors")))
        .isEqualTo(SHARD_1);
    assertThat(Files.readAllBytes(dest.resolve("model-00002-of-00002.safetensors")))
        .isEqualTo(SHARD_2);
    assertThat(Files.readAllBytes(dest.resolve("config.json"))).isEqualTo(CONFIG);
  }

  @Test
  void everyLfsRangeGoesThroughTheProxyNamedByItsSha256AndTheTokenNeverDoes() throws Exception {
    startHub(true);
    Path token = Files.writeString(tmp.resolve("token"), TOKEN);
    Cli.Run run = pull(proxy.uri().toString(), "--token-file", token.toString()).assertExit(0);
    assertFilesArrived();

    List<DragonflyProxyStandIn.Seen> seen = proxy.seen();
    assertThat(rangeBytes(seen, SHARD_1))
        .as("ranges of shard 1 through the proxy")
        .isEqualTo(SHARD_1.length);
    assertThat(rangeBytes(seen, SHARD_2))
        .as("ranges of shard 2 through the proxy")
        .isEqualTo(SHARD_2.length);
    for (DragonflyProxyStandIn.Seen s : seen) {
      URI target = URI.create(s.target());
      assertThat(target.getHost())
          .as("absolute-form request to the CDN, not the Hub")
          .isEqualTo(hub.cdnEndpoint().getHost());
      assertThat(target.getPort()).isEqualTo(hub.cdnEndpoint().getPort());
      assertThat(s.headers())
          .containsEntry("x-dragonfly-use-p2p", "true")
          .doesNotContainKey("authorization");
      assertThat(s.headers().toString()).doesNotContain(TOKEN);
      assertThat(s.headers().get("range")).matches("bytes=\\d+-\\d+");
    }
    assertThat(
            seen.stream()
                .map(s -> s.headers().get("x-dragonfly-content-for-calculating-task-id"))
                .distinct())
        .containsExactlyInAnyOrder("sha256:" + sha256(SHARD_1), "sha256:" + sha256(SHARD_2));
    // The private repo's small file is served by the Hub itself: it needs the token, so it goes
    // direct.
    assertThat(
            hub.hubStats()
                .bodyBytes("/" + REPO + "/resolve/" + hub.revision(REPO, "main") + "/config.json"))
        .isEqualTo(CONFIG.length);
    assertThat(hub.cdnStats().authorizationHeaders()).isEmpty();
    assertThat(run.stderr())
        .contains("dragonfly: 9.0 MiB through the Dragonfly client")
        .doesNotContain("downloading from the origin directly");
  }

  @Test
  void aPublicRepoSendsEvenHubServedFilesThroughTheProxy() throws Exception {
    startHub(false);
    pull(proxy.uri().toString()).assertExit(0);
    assertFilesArrived();
    assertThat(proxy.seen()).anySatisfy(s -> assertThat(s.target()).endsWith("/config.json"));
    assertThat(hub.hubStats().requestsMatching(p -> p.endsWith("/config.json")))
        .as("one HEAD, the GET went via the proxy")
        .isEqualTo(2);
  }

  @Test
  void aDragonflyErrorFallsBackToTheOriginOnceWithOneLogLine() throws Exception {
    startHub(false);
    proxy.failWith("dfdaemon");
    Cli.Run run = pull(proxy.uri().toString(), "--connections", "2").assertExit(0);
    assertFilesArrived();
    assertThat(proxy.seen())
        .as("only the ranges already in flight asked the proxy")
        .hasSizeBetween(1, 2);
    assertThat(run.stderr().lines().filter(l -> l.contains("downloading from the origin directly")))
        .singleElement()
        .asString()
        .contains("X-Dragonfly-Error-Type: dfdaemon");
    assertThat(hub.cdnStats().totalBodyBytes()).isEqualTo(SHARD_1.length + SHARD_2.length);
  }

  @Test
  void anUnreachableProxyFallsBackToTheOriginOnce() throws Exception {
    startHub(false);
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Cli.Run run = pull("http://127.0.0.1:" + closedPort).assertExit(0);
    assertFilesArrived();
    assertThat(
            run.stderr().lines().filter(l -> l.startsWith("dragonfly: ") && l.contains("failed")))
        .singleElement()
        .asString()
        .contains("127.0.0.1:" + closedPort);
  }

  @Test
  void everyUrlOfASeveralUrlPullGoesThroughTheProxyUnderItsOwnContentId() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("origin"));
    Files.write(root.resolve("a.bin"), SHARD_1);
    Files.write(root.resolve("b.bin"), SHARD_2);
    try (HttpOrigin origin = HttpOrigin.builder().root(root).start()) {
      Path urls =
          Files.writeString(
              tmp.resolve("urls.txt"),
              origin.uri("b.bin") + "\n  checksum=sha-256=" + sha256(SHARD_2) + "\n");
      Cli.Run run =
          new Cli()
              .run(
                  "pull",
                  origin.uri("a.bin").toString(),
                  "--input-file",
                  urls.toString(),
                  "--dest",
                  dest.toString(),
                  "--progress",
                  "none",
                  "--chunk-size",
                  "1MiB",
                  "--dragonfly-proxy",
                  proxy.uri().toString())
              .assertExit(0);

      assertThat(dest.resolve("a.bin")).hasBinaryContent(SHARD_1);
      assertThat(dest.resolve("b.bin")).hasBinaryContent(SHARD_2);
      assertThat(rangeBytes(proxy.seen(), SHARD_2))
          .as("b.bin, named by its expected sha256")
          .isEqualTo(SHARD_2.length);
      assertThat(proxy.seen())
          .filteredOn(s -> s.target().endsWith("/a.bin"))
          .isNotEmpty()
          .allSatisfy(
              s ->
                  assertThat(s.headers().get("x-dragonfly-content-for-calculating-task-id"))
                      .as("a.bin, named by its ETag and URL")
                      .startsWith("etag:")
                      .endsWith("/a.bin"));
      assertThat(run.stderr()).contains("dragonfly: 9.0 MiB through the Dragonfly client");
    }
  }

  @Test
  void aProxyThatIsNotHttpHostPortIsAUsageError() throws Exception {
    startHub(false);
    pull("https://dfdaemon.example:4001").assertExit(2);
  }

  /** Bytes covered by the distinct ranges the proxy saw for {@code content}. */
  private static long rangeBytes(List<DragonflyProxyStandIn.Seen> seen, byte[] content)
      throws Exception {
    String id = "sha256:" + sha256(content);
    return seen.stream()
        .filter(s -> id.equals(s.headers().get("x-dragonfly-content-for-calculating-task-id")))
        .map(s -> s.headers().get("range"))
        .distinct()
        .mapToLong(
            r -> {
              String[] fromTo = r.substring("bytes=".length()).split("-");
              return Long.parseLong(fromTo[1]) - Long.parseLong(fromTo[0]) + 1;
            })
        .sum();
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
