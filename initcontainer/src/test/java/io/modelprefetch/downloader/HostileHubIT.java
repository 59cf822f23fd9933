package io.modelprefetch.downloader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelprefetch.fixtures.hub.HubFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Hub that rate-limits its API and lists hostile names: each refused listing request is retried
 * on its own after its own Retry-After, and names that could forge log lines are refused.
 */
class HostileHubIT {
  private static final String REPO = "acme/many-files";

  /** 36 files at 2 per page: 18 tree pages, plus the revision call. */
  private static final int FILES = 36;

  @TempDir Path tmp;
  HubFixture hub;

  @AfterEach
  void stop() {
    if (hub != null) {
      hub.close();
    }
  }

  private HubFixture manyFiles(HubFixture.Builder builder) {
    return builder
        .treePageSize(2)
        .repo(
            REPO,
            r -> {
              for (int i = 0; i < FILES; i++) {
                r.regularFile(
                    "shard-%02d.json".formatted(i),
                    ("{\"shard\":" + i + "}").getBytes(StandardCharsets.UTF_8));
              }
            })
        .start();
  }

  private Cli.Run pull(Path dest, String... extra) throws Exception {
    String[] base = {
      "pull",
      "hf://" + REPO,
      "--dest",
      dest.toString(),
      "--endpoint",
      hub.endpoint().toString(),
      "--progress",
      "json",
      "--progress-interval",
      "200ms"
    };
    String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    return new Cli().run(args);
  }

  @Test
  void aRateLimitOnEveryFifthApiCallRetriesOnlyTheRefusedPage() throws Exception {
    hub = manyFiles(HubFixture.builder().refuseEveryNthApiCall(5, 429, Duration.ofSeconds(1)));
    Path dest = tmp.resolve("models");
    Cli.Run run = pull(dest).assertExit(0);
    for (int i = 0; i < FILES; i++) {
      assertThat(dest.resolve("shard-%02d.json".formatted(i))).hasContent("{\"shard\":" + i + "}");
    }
    long listingCalls = hub.hubStats().requestsMatching(p -> p.startsWith("/api/"));
    assertThat(listingCalls)
        .as("19 listing requests and one retry per refusal, no page read twice")
        .isEqualTo(19 + 19 / 4);
    assertThat(hub.hubStats().retryAfterViolations()).isEmpty();
    assertThat(run.stderr()).contains("tree page").contains("429");
  }

  @Test
  void aFlakyGatewayAnsweringEveryFourthApiCall503IsRetriedWithBackoff() throws Exception {
    hub = manyFiles(HubFixture.builder().refuseEveryNthApiCall(4, 503, null));
    Path dest = tmp.resolve("models");
    pull(dest).assertExit(0);
    assertThat(dest.resolve("shard-35.json")).hasContent("{\"shard\":35}");
    assertThat(dest.resolve(".modelprefetch/manifest.json")).exists();
  }

  @Test
  void refusedListingRequestsGiveUpAfterTheRetriesWithASourceError() throws Exception {
    hub = manyFiles(HubFixture.builder().refuseEveryNthApiCall(1, 503, null));
    Path dest = tmp.resolve("models");
    Cli.Run run = pull(dest, "--retries", "2").assertExit(3);
    assertThat(run.stderr())
        .contains("gave up on the revision main of " + REPO + " after 3 attempts")
        .contains("503");
    assertThat(hub.hubStats().requestsMatching(p -> p.startsWith("/api/"))).isEqualTo(3);
    assertThat(dest).as("a failed pull leaves nothing behind").doesNotExist();
    JsonNode failed = lastJson(run.stdout());
    assertThat(failed.path("event").asText()).isEqualTo("failed");
    assertThat(failed.path("percent").asText())
        .as("nothing was resolved, nothing done")
        .isEqualTo("0%");
  }

  @Test
  void namesWithControlCharactersAreRefusedAndNeverPrintedRaw() throws Exception {
    String[] hostile = {
      "esc\u001b[2Jclear.bin",
      "forged\n2026-01-01 [INFO] all good.bin",
      "tab\tname.bin",
      "soh\u0001.bin",
      "del\u007f.bin",
      "c1\u0085.bin",
      "bidi\u202etxt.exe"
    };
    hub =
        HubFixture.builder()
            .repo(
                REPO,
                r -> {
                  r.regularFile("ok.json", "{}".getBytes(StandardCharsets.UTF_8));
                  for (String name : hostile) {
                    r.regularFile(name, new byte[] {6, 6, 6});
                  }
                })
            .start();
    Path dest = tmp.resolve("models");
    Cli.Run run = pull(dest).assertExit(3);
    assertThat(run.stderr())
        .contains("refusing the listing")
        .contains("control character")
        .contains("esc\\x1b[2Jclear.bin")
        .contains("forged\\x0a2026-01-01")
        .contains("tab\\x09name.bin")
        .contains("soh\\x01.bin")
        .contains("del\\x7f.bin")
        .contains("c1\\x85.bin")
        .contains("bidi\\x{202e}txt.exe");
    for (String raw : new String[] {"\u001b", "\u0001", "\u007f", "\u0085", "\u202e", "\t"}) {
      assertThat(run.stderr()).doesNotContain(raw);
      assertThat(run.stdout()).doesNotContain(raw);
    }
    assertThat(run.stderr()).doesNotContain("\n2026-01-01 [INFO]");
    for (String line : run.stdout().strip().split("\n")) {
      new ObjectMapper().readTree(line);
    }
    assertThat(dest).as("nothing written, not even an empty state directory").doesNotExist();
  }

  @Test
  void aSymlinkedSubfolderInsideTheDestinationIsADestinationErrorInWords() throws Exception {
    hub =
        HubFixture.builder()
            .repo(
                REPO,
                r ->
                    r.regularFile("config.json", "{}".getBytes(StandardCharsets.UTF_8))
                        .regularFile("sub/model.bin", new byte[] {1, 2, 3}))
            .start();
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Path dest = Files.createDirectories(tmp.resolve("models"));
    Files.createSymbolicLink(dest.resolve("sub"), outside);
    Cli.Run run = pull(dest).assertExit(6);
    assertThat(run.stderr())
        .contains("refusing to follow the symlink " + dest.toRealPath().resolve("sub"))
        .contains("remove it and pull again")
        .doesNotContain("Exception")
        .doesNotContain("io.modelprefetch");
    try (var files = Files.list(outside)) {
      assertThat(files).isEmpty();
    }
  }

  private static JsonNode lastJson(String stdout) throws Exception {
    String[] lines = stdout.strip().split("\n");
    return new ObjectMapper().readTree(lines[lines.length - 1]);
  }
}
