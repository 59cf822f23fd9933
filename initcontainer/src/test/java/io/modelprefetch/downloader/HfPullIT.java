package io.modelprefetch.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelprefetch.fixtures.data.Datasets;
import io.modelprefetch.fixtures.http.Fault;
import io.modelprefetch.fixtures.hub.HubFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls from a loopback Hub that speaks the real protocol (the huggingface_hub client accepts it).
 */
class HfPullIT {
  private static final String REPO = "acme/tiny-llm";
  private static final String TOKEN = "hf_test_token_123";
  private static final byte[] SHARD_1 = Datasets.bytes(9 << 20, 1);
  private static final byte[] SHARD_2 = Datasets.bytes(5 << 20, 2);
  private static final byte[] CONFIG =
      "{\"model_type\":\"llama\"}\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] TOKENIZER = Datasets.bytes(300_000, 3);

  @TempDir Path tmp;
  HubFixture hub;
  Path dest;
  Path tokenFile;

  @BeforeEach
  void start() throws Exception {
    hub =
        HubFixture.builder()
            .token(TOKEN)
            .treePageSize(2)
            .repo(
                REPO,
                r ->
                    r.privateRepo()
                        .branch("main")
                        .file("config.json", CONFIG)
                        .regularFile("tokenizer/tokenizer.json", TOKENIZER)
                        .lfsFile("model-00001-of-00002.safetensors", SHARD_1)
                        .lfsFile("model-00002-of-00002.safetensors", SHARD_2)
                        .file("README.md", "# tiny\n")
                        .regularFile("tokenizer/__init__.py", new byte[0]))
            .start();
    dest = tmp.resolve("models");
    tokenFile = Files.writeString(tmp.resolve("token"), TOKEN + "\n");
  }

  @AfterEach
  void stop() {
    hub.close();
  }

  private Cli.Run pull(String... extra) throws Exception {
    String[] base = {
      "pull",
      "hf://" + REPO,
      "--dest",
      dest.toString(),
      "--endpoint",
      hub.endpoint().toString(),
      "--token-file",
      tokenFile.toString(),
      "--progress",
      "json",
      "--progress-interval",
      "200ms",
      "--chunk-size",
      "1MiB"
    };
    String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return new Cli().run(args);
  }

  @Test
  void pullsEveryFileOfAPrivateRepoAcrossTreePagesWithTheirBytes() throws Exception {
    Cli.Run run = pull().assertExit(0);
    assertThat(Files.readAllBytes(dest.resolve("config.json"))).isEqualTo(CONFIG);
    assertThat(Files.readAllBytes(dest.resolve("tokenizer/tokenizer.json"))).isEqualTo(TOKENIZER);
    assertThat(dest.resolve("tokenizer/__init__.py")).isEmptyFile();
    assertThat(Datasets.sha256(dest.resolve("model-00001-of-00002.safetensors")))
        .isEqualTo(Datasets.sha256(SHARD_1));
    assertThat(Datasets.sha256(dest.resolve("model-00002-of-00002.safetensors")))
        .isEqualTo(Datasets.sha256(SHARD_2));
    assertThat(dest.resolve(".modelprefetch/partial")).doesNotExist();
    assertThat(dest.resolve(".modelprefetch/journal")).doesNotExist();
    JsonNode last = lastJsonLine(run.stdout());
    assertThat(last.path("event").asText()).isEqualTo("done");
    assertThat(last.path("bytesDone").asLong())
        .isEqualTo(last.path("bytesTotal").asLong())
        .isEqualTo(CONFIG.length + TOKENIZER.length + SHARD_1.length + SHARD_2.length + 7);
  }

  @Test
  void completionManifestPinsTheCommitAndTheDigestsItVerified() throws Exception {
    pull().assertExit(0);
    JsonNode m = new ObjectMapper().readTree(dest.resolve(".modelprefetch/manifest.json").toFile());
    assertThat(m.path("revision").asText()).isEqualTo(hub.revision(REPO, "main"));
    assertThat(m.path("files")).hasSize(6);
    assertThat(m.toString())
        .contains("sha256:" + Datasets.sha256(SHARD_1))
        .contains("git-sha1:" + Datasets.gitBlobSha1(CONFIG));
  }

  @Test
  void theTokenNeverReachesTheCdnAndEachLfsFileIsResolvedOnce() throws Exception {
    pull().assertExit(0);
    assertThat(hub.cdnStats().authorizationHeaders()).isEmpty();
    assertThat(hub.cdnStats().totalBodyBytes()).isEqualTo(SHARD_1.length + SHARD_2.length);
    assertThat(
            hub.hubStats()
                .requestsMatching(p -> p.contains("/resolve/") && p.endsWith(".safetensors")))
        .as("ranges after the first reuse the signed CDN URL")
        .isEqualTo(2);
  }

  @Test
  void rateLimitedApiAndResolveCallsAreRetriedAfterRetryAfter() throws Exception {
    hub.faults()
        .inject(p -> p.startsWith("/api/"), 2, new Fault.Status(429, Duration.ofSeconds(1)));
    hub.faults()
        .inject(p -> p.contains("/resolve/"), 2, new Fault.Status(429, Duration.ofSeconds(1)));
    Cli.Run run = pull().assertExit(0);
    assertThat(hub.faults().pending()).isZero();
    assertThat(run.stderr()).contains("429");
    assertThat(Datasets.sha256(dest.resolve("model-00001-of-00002.safetensors")))
        .isEqualTo(Datasets.sha256(SHARD_1));
  }

  @Test
  void aSecondPullOfTheSameRevisionTransfersNothing() throws Exception {
    pull().assertExit(0);
    hub.cdnStats().reset();
    hub.hubStats().reset();
    Cli.Run again = pull().assertExit(0);
    assertThat(again.stderr()).contains("up to date");
    assertThat(hub.cdnStats().totalBodyBytes()).isZero();
    assertThat(hub.hubStats().requestsMatching(p -> p.contains("/resolve/"))).isZero();
  }

  @Test
  void aNewRevisionFetchesOnlyChangedFilesAndRemovesDeletedOnes() throws Exception {
    pull().assertExit(0);
    byte[] newShard2 = Datasets.bytes(5 << 20, 42);
    String commit =
        hub.commit(
            REPO,
            "main",
            r -> r.lfsFile("model-00002-of-00002.safetensors", newShard2).delete("README.md"));
    hub.cdnStats().reset();
    pull().assertExit(0);
    assertThat(hub.cdnStats().totalBodyBytes()).isEqualTo(newShard2.length);
    assertThat(Datasets.sha256(dest.resolve("model-00002-of-00002.safetensors")))
        .isEqualTo(Datasets.sha256(newShard2));
    assertThat(dest.resolve("README.md")).doesNotExist();
    assertThat(Files.readString(dest.resolve(".modelprefetch/manifest.json"))).contains(commit);
  }

  @Test
  void includeAndExcludeSelectFilesLikeAllowPatterns() throws Exception {
    pull("--include", "*.safetensors", "--include", "*.json", "--exclude", "model-00002-*")
        .assertExit(0);
    assertThat(dest.resolve("model-00001-of-00002.safetensors")).exists();
    assertThat(dest.resolve("tokenizer/tokenizer.json")).exists();
    assertThat(dest.resolve("model-00002-of-00002.safetensors")).doesNotExist();
    assertThat(dest.resolve("README.md")).doesNotExist();
  }

  @Test
  void aMissingTokenIsASourceErrorThatSaysWhatToDo() throws Exception {
    Cli.Run run =
        new Cli()
            .run(
                "pull",
                "hf://" + REPO,
                "--dest",
                dest.toString(),
                "--endpoint",
                hub.endpoint().toString(),
                "--progress",
                "none");
    run.assertExit(3);
    assertThat(run.stderr()).contains("401").contains("HF_TOKEN");
    assertThat(dest.resolve("config.json")).doesNotExist();
  }

  @Test
  void theTokenCanComeFromTheEnvironment() throws Exception {
    new Cli()
        .env("HF_TOKEN", TOKEN)
        .env("HF_ENDPOINT", hub.endpoint().toString())
        .run(
            "pull",
            "hf://" + REPO,
            "--dest",
            dest.toString(),
            "--progress",
            "none",
            "--include",
            "config.json")
        .assertExit(0);
    assertThat(Files.readAllBytes(dest.resolve("config.json"))).isEqualTo(CONFIG);
  }

  @Test
  void anUnknownRevisionNamesTheProblem() throws Exception {
    Cli.Run run = pull("--revision", "no-such-branch").assertExit(3);
    assertThat(run.stderr()).contains("404").contains("revision");
  }

  static JsonNode lastJsonLine(String stdout) throws Exception {
    String[] lines = stdout.strip().split("\n");
    return new ObjectMapper().readTree(lines[lines.length - 1]);
  }
}
