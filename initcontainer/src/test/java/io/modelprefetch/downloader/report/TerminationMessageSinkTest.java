package io.modelprefetch.downloader.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelprefetch.api.downloader.TerminationMessage;
import io.modelprefetch.api.v1alpha1.Phase;
import io.modelprefetch.downloader.source.dragonfly.DragonflyRoute;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerminationMessageSinkTest {
  private static final Snapshot FAILED_AT_40 =
      new Snapshot(40, 100, 0, 2, 10, 6, 2500, 40, Phase.Downloading);

  @TempDir Path dir;

  @Test
  void aSuccessIsReadBackAsTheContractRecord() throws Exception {
    Path file = dir.resolve("termination-log");
    TerminationMessageSink sink = new TerminationMessageSink(file);
    sink.revision("c".repeat(40));

    sink.finished(new Snapshot(100, 100, 2, 2, 40, 0, 2500, 100, Phase.Verifying), null);

    assertThat(new ObjectMapper().readValue(file.toFile(), TerminationMessage.class))
        .isEqualTo(new TerminationMessage("done", "c".repeat(40), 2, 100L, 100L, 2.5, null));
  }

  @Test
  void aPullThroughDragonflyAddsTheBytesFromPeersAndFromTheOrigin() throws Exception {
    Path file = dir.resolve("termination-log");
    TerminationMessageSink sink = new TerminationMessageSink(file);
    sink.revision("c".repeat(40));
    sink.split(() -> new DragonflyRoute.Split(70L, 30L));

    sink.finished(new Snapshot(100, 100, 2, 2, 40, 0, 2500, 100, Phase.Verifying), null);

    assertThat(new ObjectMapper().readValue(file.toFile(), TerminationMessage.class))
        .isEqualTo(
            new TerminationMessage("done", "c".repeat(40), 2, 100L, 100L, 2.5, null, 70L, 30L));
  }

  @Test
  void withoutDragonflyCountersThereAreNoPeerFields() throws Exception {
    Path file = dir.resolve("termination-log");
    TerminationMessageSink sink = new TerminationMessageSink(file);
    sink.split(() -> new DragonflyRoute.Split(null, null));

    sink.finished(FAILED_AT_40, "boom");

    assertThat(Files.readString(file))
        .doesNotContain("bytesFromPeers")
        .doesNotContain("bytesFromOrigin");
  }

  @Test
  void aLongErrorIsCutSoThatTheMessageStaysValidJsonWithinTheKubernetesLimit() throws Exception {
    Path file = dir.resolve("termination-log");

    new TerminationMessageSink(file).finished(FAILED_AT_40, "x".repeat(10_000));

    TerminationMessage read = new ObjectMapper().readValue(file.toFile(), TerminationMessage.class);
    assertThat(read.status()).isEqualTo(TerminationMessage.FAILED);
    assertThat(read.error()).hasSize(TerminationMessage.MAX_ERROR_CHARS + 1).endsWith("…");
    assertThat(Files.size(file)).isLessThanOrEqualTo(TerminationMessage.MAX_BYTES);
    assertThat(Files.readString(file)).doesNotContain("revision");
  }
}
