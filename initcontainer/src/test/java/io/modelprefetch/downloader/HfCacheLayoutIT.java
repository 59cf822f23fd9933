package io.modelprefetch.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelprefetch.fixtures.data.Datasets;
import io.modelprefetch.fixtures.hub.HubFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --layout hf-cache}: what we write is a Hugging Face cache that the real huggingface_hub
 * client and transformers' AutoConfig load offline (HF_HUB_OFFLINE=1) by repo id.
 */
class HfCacheLayoutIT {
  private static final String REPO = "acme/tiny-llm";
  private static final byte[] CONFIG =
      ("{\"model_type\":\"llama\",\"hidden_size\":64,\"num_hidden_layers\":2,"
              + "\"num_attention_heads\":4,\"intermediate_size\":128,\"vocab_size\":1000}\n")
          .getBytes(StandardCharsets.UTF_8);
  private static final byte[] SHARD = Datasets.bytes(3 << 20, 41);
  private static final byte[] TOKENIZER = Datasets.bytes(100_000, 42);

  @TempDir Path tmp;
  HubFixture hub;
  Path home;
  String commit;

  @BeforeEach
  void start() {
    hub =
        HubFixture.builder()
            .repo(
                REPO,
                r ->
                    r.branch("main")
                        .file("config.json", CONFIG)
                        .lfsFile("model.safetensors", SHARD)
                        .lfsFile("copy/model.safetensors", SHARD)
                        .regularFile("tokenizer/tokenizer.json", TOKENIZER))
            .start();
    commit = hub.revision(REPO, "main");
    home = tmp.resolve("hf-home");
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
      home.toString(),
      "--layout",
      "hf-cache",
      "--endpoint",
      hub.endpoint().toString(),
      "--progress",
      "none",
      "--chunk-size",
      "1MiB"
    };
    String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return new Cli().run(args);
  }

  @Test
  void writesBlobsByEtagSnapshotLinksAndTheRefAsHuggingFaceHubDoes() throws Exception {
    pull().assertExit(0);
    Path model = home.resolve("hub/models--acme--tiny-llm");
    String lfs = Datasets.sha256(SHARD);
    String git = Datasets.gitBlobSha1(CONFIG);
    assertThat(Datasets.sha256(model.resolve("blobs/" + lfs))).isEqualTo(lfs);
    assertThat(Files.readAllBytes(model.resolve("blobs/" + git))).isEqualTo(CONFIG);
    assertThat(Files.list(model.resolve("blobs")).count()).as("one blob per content").isEqualTo(3);
    assertThat(Files.readString(model.resolve("refs/main"))).isEqualTo(commit);
    Path snapshot = model.resolve("snapshots").resolve(commit);
    assertThat(Files.readSymbolicLink(snapshot.resolve("config.json")).toString())
        .isEqualTo("../../blobs/" + git);
    assertThat(Files.readSymbolicLink(snapshot.resolve("copy/model.safetensors")).toString())
        .isEqualTo("../../../blobs/" + lfs);
    assertThat(Files.readAllBytes(snapshot.resolve("tokenizer/tokenizer.json")))
        .isEqualTo(TOKENIZER);
    JsonNode completion =
        new ObjectMapper().readTree(home.resolve(".modelprefetch/manifest.json").toFile());
    assertThat(completion.path("revision").asText()).isEqualTo(commit);

    assertThat(pull().assertExit(0).stderr()).contains("up to date");
    new Cli().run("verify", "--dest", home.toString()).assertExit(0);
  }

  @Test
  void theRealHuggingFaceClientAndTransformersLoadItOffline() throws Exception {
    pull().assertExit(0);
    String out =
        TestPython.run(
            Map.of(
                "HF_HOME",
                home.toString(),
                "HF_HUB_OFFLINE",
                "1",
                "HF_ENDPOINT",
                "http://127.0.0.1:9"),
            """
            import json, hashlib, os, sys
            from huggingface_hub import snapshot_download, hf_hub_download
            from transformers import AutoConfig
            repo = sys.argv[1]
            snap = snapshot_download(repo)
            shard = hf_hub_download(repo, "copy/model.safetensors")
            cfg = AutoConfig.from_pretrained(repo)
            print(json.dumps({"snapshot": snap, "files": sorted(
                os.path.relpath(os.path.join(d, f), snap) for d, _, fs in os.walk(snap) for f in fs),
                "shard_sha256": hashlib.sha256(open(shard, "rb").read()).hexdigest(),
                "model_type": cfg.model_type, "hidden_size": cfg.hidden_size}))
            """,
            REPO);
    JsonNode r = new ObjectMapper().readTree(out.strip().lines().reduce((a, b) -> b).orElseThrow());
    assertThat(r.path("snapshot").asText())
        .isEqualTo(home.resolve("hub/models--acme--tiny-llm/snapshots/" + commit).toString());
    assertThat(r.path("files"))
        .extracting(JsonNode::asText)
        .containsExactly(
            "config.json",
            "copy/model.safetensors",
            "model.safetensors",
            "tokenizer/tokenizer.json");
    assertThat(r.path("shard_sha256").asText()).isEqualTo(Datasets.sha256(SHARD));
    assertThat(r.path("model_type").asText()).isEqualTo("llama");
    assertThat(r.path("hidden_size").asInt()).isEqualTo(64);
  }

  @Test
  void aNewCommitReplacesTheSnapshotAndKeepsUnchangedBlobs() throws Exception {
    pull().assertExit(0);
    byte[] newConfig =
        "{\"model_type\":\"llama\",\"hidden_size\":128}\n".getBytes(StandardCharsets.UTF_8);
    String next = hub.commit(REPO, "main", r -> r.file("config.json", newConfig));
    Path model = home.resolve("hub/models--acme--tiny-llm");

    pull().assertExit(0);

    assertThat(Files.readString(model.resolve("refs/main"))).isEqualTo(next);
    assertThat(model.resolve("snapshots").resolve(commit)).doesNotExist();
    assertThat(Files.readAllBytes(model.resolve("snapshots").resolve(next).resolve("config.json")))
        .isEqualTo(newConfig);
    assertThat(model.resolve("blobs/" + Datasets.gitBlobSha1(CONFIG)))
        .as("old blob removed")
        .doesNotExist();
    assertThat(model.resolve("blobs/" + Datasets.sha256(SHARD))).exists();
  }

  @Test
  void aSymlinkPlantedInTheCacheIsNeverFollowed() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.createDirectories(home.resolve("hub/models--acme--tiny-llm"));
    Files.createSymbolicLink(home.resolve("hub/models--acme--tiny-llm/snapshots"), outside);

    Cli.Run run = pull().assertExit(6);

    assertThat(run.stderr()).contains("refusing to follow the symlink");
    try (var files = Files.list(outside)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void theLayoutNeedsAHuggingFaceSource() throws Exception {
    Cli.Run run =
        new Cli()
            .run("pull", "s3://bucket/prefix/", "--dest", home.toString(), "--layout", "hf-cache");
    run.assertExit(2);
    assertThat(run.stderr()).contains("--layout hf-cache needs an hf:// source");
  }
}
