package io.modelprefetch.downloader.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelprefetch.downloader.Cli;
import io.modelprefetch.downloader.TestPython;
import io.modelprefetch.fixtures.data.Datasets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * oci:// against a real registry (CNCF distribution, cmd/registry) holding artifacts pushed by the
 * real ORAS CLI: ModelPack artifacts (raw and tar layers), plain images (gzip layers, whiteouts,
 * links), an image index, corrupt blobs and manifests, hostile archives, and both auth flows (token
 * service and htpasswd basic).
 */
class OciPullIT {
  private static final String MODEL_MANIFEST = "application/vnd.cncf.model.manifest.v1+json";
  private static final String MODEL_CONFIG = "application/vnd.cncf.model.config.v1+json";
  private static final String WEIGHT_RAW = "application/vnd.cncf.model.weight.v1.raw";
  private static final String WEIGHT_TAR = "application/vnd.cncf.model.weight.v1.tar";
  private static final String CONFIG_RAW = "application/vnd.cncf.model.weight.config.v1.raw";
  private static final byte[] WEIGHTS = Datasets.bytes(3 << 20, 11);
  private static final byte[] SHARD = Datasets.bytes(1 << 20, 12);
  private static final byte[] CONFIG =
      "{\"model_type\":\"llama\"}\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] TOKENIZER = Datasets.bytes(200_000, 13);
  private final ObjectMapper json = new ObjectMapper();

  @TempDir Path tmp;
  Registry registry;
  TokenServiceStandIn tokens;

  @AfterEach
  void stop() {
    if (registry != null) {
      registry.close();
    }
    if (tokens != null) {
      tokens.close();
    }
  }

  /**
   * Pushes a ModelPack-style artifact with oras: two raw layers and one tar layer; returns the
   * manifest digest.
   */
  private String pushModelPack(String ref, String... orasAuth) throws Exception {
    Path work = Files.createTempDirectory(tmp, "push");
    Files.write(work.resolve("config.json"), CONFIG);
    Files.write(work.resolve("model.safetensors"), WEIGHTS);
    Files.write(
        work.resolve("shards.tar"),
        tar(
            t -> {
              file(t, "shards/model-00002.safetensors", SHARD);
              file(t, "tokenizer/tokenizer.json", TOKENIZER);
            }));
    Files.writeString(
        work.resolve("model-config.json"),
        "{\"descriptor\":{\"family\":\"llama\"},\"modelfs\":{\"type\":\"layers\"}}");
    Files.writeString(
        work.resolve("annotations.json"),
        json.writeValueAsString(
            Map.of(
                "config.json", Map.of("org.cncf.model.filepath", "config.json"),
                "model.safetensors", Map.of("org.cncf.model.filepath", "weights/model.safetensors"),
                "shards.tar", Map.of("org.cncf.model.filepath", "shards"))));
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "push",
                "--plain-http",
                registry.host() + "/" + ref,
                "--artifact-type",
                MODEL_MANIFEST,
                "--config",
                "model-config.json:" + MODEL_CONFIG,
                "--annotation-file",
                "annotations.json",
                "config.json:" + CONFIG_RAW,
                "model.safetensors:" + WEIGHT_RAW,
                "shards.tar:" + WEIGHT_TAR));
    args.addAll(List.of(orasAuth));
    return OciTools.pushedDigest(OciTools.oras(work, args.toArray(String[]::new)));
  }

  private Cli.Run pull(Path dest, String ref, String... extra) throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "pull",
                "oci://" + registry.host() + "/" + ref,
                "--dest",
                dest.toString(),
                "--plain-http",
                "--progress",
                "json",
                "--chunk-size",
                "256KiB"));
    args.addAll(List.of(extra));
    return new Cli()
        .env("DOCKER_CONFIG", tmp.resolve("no-docker-config").toString())
        .run(args.toArray(String[]::new));
  }

  private void assertModelPackFiles(Path dest) throws IOException {
    assertThat(Files.readAllBytes(dest.resolve("config.json"))).isEqualTo(CONFIG);
    assertThat(Datasets.sha256(dest.resolve("weights/model.safetensors")))
        .isEqualTo(Datasets.sha256(WEIGHTS));
    assertThat(Files.readAllBytes(dest.resolve("shards/model-00002.safetensors"))).isEqualTo(SHARD);
    assertThat(Files.readAllBytes(dest.resolve("tokenizer/tokenizer.json"))).isEqualTo(TOKENIZER);
  }

  @Test
  void pullsAModelPackArtifactPushedByOrasPinningTheManifestDigest() throws Exception {
    registry = Registry.start(tmp, "");
    String digest = pushModelPack("models/tiny:v1");
    Path dest = tmp.resolve("model");

    Cli.Run run = pull(dest, "models/tiny:v1").assertExit(0);

    assertModelPackFiles(dest);
    JsonNode completion = json.readTree(dest.resolve(".modelprefetch/manifest.json").toFile());
    assertThat(completion.path("revision").asText()).isEqualTo(digest);
    assertThat(completion.path("files"))
        .extracting(f -> f.path("path").asText())
        .containsExactlyInAnyOrder(
            "config.json",
            "weights/model.safetensors",
            "shards/model-00002.safetensors",
            "tokenizer/tokenizer.json");
    assertThat(completion.path("totalBytes").asLong())
        .isEqualTo(CONFIG.length + WEIGHTS.length + SHARD.length + TOKENIZER.length);
    assertThat(run.stderr()).contains("at revision " + digest);
    // The archive blob is gone once extracted; the raw ones stay as hard links (no extra space).
    assertThat(Files.list(dest.resolve(".modelprefetch/oci/sha256")).count()).isEqualTo(2);
    assertThat(Files.getAttribute(dest.resolve("weights/model.safetensors"), "unix:nlink"))
        .isEqualTo(2);
    assertThat(dest.resolve(".modelprefetch/unpack")).doesNotExist();

    // Pulling the same digest again is a no-op; `verify` re-hashes what was extracted.
    assertThat(pull(dest, "models/tiny@" + digest).assertExit(0).stderr()).contains("up to date");
    new Cli().run("verify", "--dest", dest.toString()).assertExit(0);
  }

  @Test
  void includeAndExcludeApplyToLayerFilesAndArchiveEntries() throws Exception {
    registry = Registry.start(tmp, "");
    pushModelPack("models/tiny:v1");
    Path dest = tmp.resolve("model");

    pull(dest, "models/tiny:v1", "--include", "*.json").assertExit(0);

    assertThat(Files.readAllBytes(dest.resolve("config.json"))).isEqualTo(CONFIG);
    assertThat(Files.readAllBytes(dest.resolve("tokenizer/tokenizer.json"))).isEqualTo(TOKENIZER);
    assertThat(dest.resolve("weights")).doesNotExist();
    assertThat(dest.resolve("shards")).doesNotExist();
  }

  @Test
  void pullsAPlainImageWithGzipLayersWhiteoutsAndLinksAsHardLinks() throws Exception {
    registry = Registry.start(tmp, "");
    byte[] a = Datasets.bytes(700_000, 21);
    byte[] b = Datasets.bytes(300_000, 22);
    byte[] layer1 =
        gzip(
            tar(
                t -> {
                  dir(t, "./models/");
                  file(t, "./models/a.bin", a);
                  file(t, "./models/b.bin", b);
                  link(t, "./models/latest.bin", "a.bin", TarConstants.LF_SYMLINK);
                  link(t, "./models/same.bin", "models/b.bin", TarConstants.LF_LINK);
                }));
    byte[] layer2 = tar(t -> file(t, "models/.wh.b.bin", new byte[0]));
    String digest = pushImage("plain/model", "v1", "linux", "amd64", layer1, layer2);
    Path dest = tmp.resolve("model");

    pull(dest, "plain/model:v1").assertExit(0);

    assertThat(Files.readAllBytes(dest.resolve("models/a.bin"))).isEqualTo(a);
    assertThat(dest.resolve("models/b.bin")).doesNotExist();
    assertThat(Files.isSymbolicLink(dest.resolve("models/latest.bin"))).isFalse();
    assertThat(Files.readAllBytes(dest.resolve("models/latest.bin"))).isEqualTo(a);
    assertThat(Files.readAllBytes(dest.resolve("models/same.bin"))).isEqualTo(b);
    JsonNode completion = json.readTree(dest.resolve(".modelprefetch/manifest.json").toFile());
    assertThat(completion.path("revision").asText()).isEqualTo(digest);
    assertThat(completion.path("files"))
        .extracting(f -> f.path("path").asText())
        .containsExactlyInAnyOrder("models/a.bin", "models/latest.bin", "models/same.bin");
    assertThat(Files.list(dest.resolve(".modelprefetch/oci/sha256")).count())
        .as("archive blobs dropped")
        .isZero();
  }

  @Test
  void anImageIndexIsFollowedToThePlatformAskedForOrFailsNamingWhatItHas() throws Exception {
    registry = Registry.start(tmp, "");
    byte[] amd = Datasets.bytes(100_000, 31);
    byte[] arm = Datasets.bytes(100_000, 32);
    pushImage("multi/model", "amd64", "linux", "amd64", tar(t -> file(t, "w.bin", amd)));
    String armDigest =
        pushImage("multi/model", "arm64", "linux", "arm64", tar(t -> file(t, "w.bin", arm)));
    OciTools.oras(
        tmp,
        "manifest",
        "index",
        "create",
        "--plain-http",
        registry.host() + "/multi/model:v1",
        "amd64",
        "arm64");

    Path dest = tmp.resolve("arm");
    pull(dest, "multi/model:v1", "--platform", "linux/arm64").assertExit(0);
    assertThat(Files.readAllBytes(dest.resolve("w.bin"))).isEqualTo(arm);
    assertThat(
            json.readTree(dest.resolve(".modelprefetch/manifest.json").toFile())
                .path("revision")
                .asText())
        .isEqualTo(armDigest);

    Cli.Run none =
        pull(tmp.resolve("s390x"), "multi/model:v1", "--platform", "linux/s390x").assertExit(3);
    assertThat(none.stderr())
        .contains("no manifest for platform linux/s390x")
        .contains("linux/amd64")
        .contains("linux/arm64");
  }

  @Test
  void aMissingTagIsASourceError() throws Exception {
    registry = Registry.start(tmp, "");
    pushModelPack("models/tiny:v1");
    Cli.Run run = pull(tmp.resolve("m"), "models/tiny:v2").assertExit(3);
    assertThat(run.stderr()).contains("404").contains("check the repository name, tag or digest");
    assertThat(tmp.resolve("m/.modelprefetch/manifest.json")).doesNotExist();
  }

  @Test
  void aCorruptBlobFailsVerificationAndNothingUnverifiedIsInPlace() throws Exception {
    registry = Registry.start(tmp, "");
    pushModelPack("models/tiny:v1");
    String weights = "sha256:" + Datasets.sha256(WEIGHTS);
    byte[] corrupt = WEIGHTS.clone();
    corrupt[12345] ^= 0x5a;
    Files.write(registry.blobData(weights), corrupt);
    Path dest = tmp.resolve("m");

    Cli.Run run = pull(dest, "models/tiny:v1").assertExit(5);

    assertThat(run.stderr()).contains("failed verification twice");
    assertThat(dest.resolve("weights/model.safetensors")).doesNotExist();
    assertThat(dest.resolve(".modelprefetch/manifest.json")).doesNotExist();
  }

  @Test
  void aManifestWhoseBytesDoNotMatchItsDigestFailsVerification() throws Exception {
    registry = Registry.start(tmp, "");
    String digest = pushModelPack("models/tiny:v1");
    Path data = registry.blobData(digest);
    String manifest = Files.readString(data);
    Files.writeString(data, manifest.replace("\"config.json\"", "\"../evil.json\""));

    Cli.Run run = pull(tmp.resolve("m"), "models/tiny@" + digest).assertExit(5);

    assertThat(run.stderr()).contains("hashes to").contains("not " + digest);
    assertThat(tmp.resolve("evil.json")).doesNotExist();
  }

  @Test
  void hostileArchiveEntriesAreRefusedBeforeAnythingEscapes() throws Exception {
    registry = Registry.start(tmp, "");
    Map<String, byte[]> cases = new LinkedHashMap<>();
    cases.put("it contains '..'", tar(t -> file(t, "../escaped.bin", SHARD)));
    cases.put(
        "device, FIFO or other special file",
        tar(t -> special(t, "dev/null", TarConstants.LF_CHR)));
    cases.put(
        "outside the model",
        tar(t -> link(t, "models/passwd", "../../../etc/passwd", TarConstants.LF_SYMLINK)));
    cases.put(
        "not a file of the model",
        tar(t -> link(t, "models/dir", "/etc", TarConstants.LF_SYMLINK)));
    int i = 0;
    for (Map.Entry<String, byte[]> c : cases.entrySet()) {
      pushImage("hostile/model", "t" + i, "linux", "amd64", c.getValue());
      Path dest = tmp.resolve("h" + i).resolve("dest");
      Cli.Run run = pull(dest, "hostile/model:t" + i).assertExit(3);
      assertThat(run.stderr()).contains("refusing layer").contains(c.getKey());
      assertThat(dest.getParent().resolve("escaped.bin")).doesNotExist();
      assertThat(dest.resolve("models/passwd")).doesNotExist();
      assertThat(dest.resolve(".modelprefetch/manifest.json")).doesNotExist();
      i++;
    }
  }

  @Test
  void tokenAuthAnonymousForPublicRepositoriesAndCredentialsFromADockerConfigForPrivateOnes()
      throws Exception {
    tokens = new TokenServiceStandIn();
    registry = Registry.start(tmp, tokens.registryAuthSection(tmp));
    String[] login = {"-u", TokenServiceStandIn.USER, "-p", TokenServiceStandIn.PASSWORD};
    pushModelPack("public/tiny:v1", login);
    pushModelPack("private/tiny:v1", login);

    int anonymousBefore = tokens.anonymous();
    Path pub = tmp.resolve("pub");
    pull(pub, "public/tiny:v1").assertExit(0);
    assertModelPackFiles(pub);
    assertThat(tokens.anonymous()).as("anonymous tokens fetched").isGreaterThan(anonymousBefore);

    Cli.Run denied = pull(tmp.resolve("denied"), "private/tiny:v1").assertExit(3);
    assertThat(denied.stderr()).contains("401").doesNotContain(TokenServiceStandIn.PASSWORD);

    Path config = dockerConfig(TokenServiceStandIn.USER, TokenServiceStandIn.PASSWORD);
    Path priv = tmp.resolve("priv");
    pull(priv, "private/tiny:v1", "--registry-config", config.toString()).assertExit(0);
    assertModelPackFiles(priv);

    Cli.Run wrong =
        pull(
                tmp.resolve("wrong"),
                "private/tiny:v1",
                "--registry-config",
                dockerConfig(TokenServiceStandIn.USER, "nope").toString())
            .assertExit(3);
    assertThat(wrong.stderr()).contains("check the credentials").doesNotContain("nope");
  }

  @Test
  void htpasswdBasicAuthWithCredentialsFromTheEnvironment() throws Exception {
    Path htpasswd = tmp.resolve("htpasswd");
    Files.writeString(htpasswd, "reader:" + bcrypt("pa55word") + "\n");
    registry =
        Registry.start(
            tmp,
            """
            auth:
                htpasswd:
                  realm: modelprefetch-test
                  path: %s\
            """
                .formatted(htpasswd));
    pushModelPack("models/tiny:v1", "-u", "reader", "-p", "pa55word");

    Cli.Run anonymous = pull(tmp.resolve("anon"), "models/tiny:v1").assertExit(3);
    assertThat(anonymous.stderr()).contains("requires a user name and password");

    String config = Files.readString(dockerConfig("reader", "pa55word"));
    List<String> args =
        List.of(
            "pull",
            "oci://" + registry.host() + "/models/tiny:v1",
            "--dest",
            tmp.resolve("basic").toString(),
            "--plain-http",
            "--progress",
            "none");
    new Cli()
        .env("MODELPREFETCH_REGISTRY_AUTH", config)
        .run(args.toArray(String[]::new))
        .assertExit(0);
    assertModelPackFiles(tmp.resolve("basic"));
  }

  // --- helpers -------------------------------------------------------------------------------

  private Path dockerConfig(String user, String password) throws IOException {
    String auth =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    Path f = Files.createTempFile(tmp, "docker-config", ".json");
    Files.writeString(
        f, json.writeValueAsString(Map.of("auths", Map.of(registry.host(), Map.of("auth", auth)))));
    return f;
  }

  /** bcrypt (what the registry's htpasswd accepts) from the real Python bcrypt package. */
  private static String bcrypt(String password) throws Exception {
    return TestPython.run(
            Map.of(),
            "import bcrypt,sys; print(bcrypt.hashpw(sys.argv[1].encode(),"
                + " bcrypt.gensalt(rounds=5)).decode())",
            password)
        .strip();
  }

  /**
   * Pushes an image as docker/buildkit make them (config + layers, no annotations) with oras blob
   * push and oras manifest push; returns the manifest digest.
   */
  private String pushImage(String repo, String tag, String os, String arch, byte[]... layers)
      throws Exception {
    Path work = Files.createTempDirectory(tmp, "image");
    byte[] config =
        json.writeValueAsBytes(
            Map.of(
                "architecture",
                arch,
                "os",
                os,
                "rootfs",
                Map.of("type", "layers", "diff_ids", List.of())));
    Files.write(work.resolve("config.json"), config);
    OciTools.oras(
        work, "blob", "push", "--plain-http", registry.host() + "/" + repo, "config.json");
    List<Map<String, Object>> descriptors = new java.util.ArrayList<>();
    for (int i = 0; i < layers.length; i++) {
      Files.write(work.resolve("layer" + i), layers[i]);
      OciTools.oras(
          work, "blob", "push", "--plain-http", registry.host() + "/" + repo, "layer" + i);
      boolean gz = layers[i][0] == 0x1f && (layers[i][1] & 0xff) == 0x8b;
      descriptors.add(
          Map.of(
              "mediaType",
              "application/vnd.oci.image.layer.v1.tar" + (gz ? "+gzip" : ""),
              "digest",
              "sha256:" + Datasets.sha256(layers[i]),
              "size",
              layers[i].length));
    }
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
    manifest.put(
        "config",
        Map.of(
            "mediaType",
            "application/vnd.oci.image.config.v1+json",
            "digest",
            "sha256:" + Datasets.sha256(config),
            "size",
            config.length));
    manifest.put("layers", descriptors);
    Files.write(work.resolve("manifest.json"), json.writeValueAsBytes(manifest));
    return OciTools.pushedDigest(
        OciTools.oras(
            work,
            "manifest",
            "push",
            "--plain-http",
            registry.host() + "/" + repo + ":" + tag,
            "manifest.json"));
  }

  interface TarBody {
    void write(TarArchiveOutputStream t) throws IOException;
  }

  private static byte[] tar(TarBody body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
      t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      body.write(t);
    }
    return out.toByteArray();
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream g = new GZIPOutputStream(out)) {
      g.write(data);
    }
    return out.toByteArray();
  }

  private static void file(TarArchiveOutputStream t, String name, byte[] data) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, true);
    e.setSize(data.length);
    t.putArchiveEntry(e);
    t.write(data);
    t.closeArchiveEntry();
  }

  private static void dir(TarArchiveOutputStream t, String name) throws IOException {
    t.putArchiveEntry(new TarArchiveEntry(name, true));
    t.closeArchiveEntry();
  }

  private static void link(TarArchiveOutputStream t, String name, String target, byte type)
      throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, type, true);
    e.setLinkName(target);
    t.putArchiveEntry(e);
    t.closeArchiveEntry();
  }

  private static void special(TarArchiveOutputStream t, String name, byte type) throws IOException {
    TarArchiveEntry e = new TarArchiveEntry(name, type, true);
    e.setDevMajor(1);
    e.setDevMinor(3);
    t.putArchiveEntry(e);
    t.closeArchiveEntry();
  }
}
