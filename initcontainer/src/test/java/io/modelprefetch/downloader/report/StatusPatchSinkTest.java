package io.modelprefetch.downloader.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.modelprefetch.api.v1alpha1.ModelArtifact;
import io.modelprefetch.api.v1alpha1.Phase;
import io.modelprefetch.api.v1alpha1.Progress;
import io.modelprefetch.api.v1alpha1.Resolved;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusPatchSinkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private final List<String> applied = new ArrayList<>();
  private final MutableClock clock = new MutableClock();
  private final StatusPatchSink sink =
      new StatusPatchSink("serving", "llama", applied::add, Duration.ofSeconds(2), clock);

  @Test
  void patchesAtMostOncePerIntervalButAlwaysSendsTheFinalSnapshot() {
    sink.progress(snapshot(10));
    clock.advance(Duration.ofMillis(1500));
    sink.progress(snapshot(20));
    clock.advance(Duration.ofMillis(600));
    sink.progress(snapshot(30));
    sink.finished(snapshot(100), null);

    assertThat(applied).hasSize(3);
    assertThat(applied)
        .extracting(d -> read(d).at("/status/progress/bytesDone").asLong())
        .containsExactly(10L, 30L, 100L);
  }

  @Test
  void reportsBytesFromPeersAndFromTheOriginWhenThePullGoesThroughDragonfly() {
    sink.finished(snapshot(100), null);
    sink.split(
        () -> new io.modelprefetch.downloader.source.dragonfly.DragonflyRoute.Split(70L, 30L));
    sink.finished(snapshot(100), null);

    assertThat(read(applied.get(0)).at("/status/progress").has("bytesFromPeers")).isFalse();
    assertThat(read(applied.get(1)).at("/status/progress/bytesFromPeers").asLong()).isEqualTo(70);
    assertThat(read(applied.get(1)).at("/status/progress/bytesFromOrigin").asLong()).isEqualTo(30);
  }

  @Test
  void aTickThatFiresAFewMillisecondsEarlyIsNotSkipped() {
    sink.progress(snapshot(10));
    clock.advance(Duration.ofMillis(1990));
    sink.progress(snapshot(20));

    assertThat(applied).hasSize(2);
  }

  @Test
  void skipsSnapshotsTakenBeforeTheSourceWasResolved() {
    sink.progress(new Snapshot(0, 0, 0, 0, 0, -1, 100, 0, Phase.Resolving));

    assertThat(applied).isEmpty();
  }

  @Test
  void appliesProgressAndResolvedOnlyAndTheRevisionOnlyOnSuccess() {
    sink.revision("a".repeat(40));
    sink.finished(snapshot(100), null);
    sink.finished(snapshot(40), "transfer gave up");

    JsonNode ok = read(applied.get(0));
    assertThat(ok.at("/metadata/namespace").asText()).isEqualTo("serving");
    assertThat(ok.at("/status/resolved/revision").asText()).isEqualTo("a".repeat(40));
    assertThat(ok.at("/status/resolved/totalBytes").asLong()).isEqualTo(100);
    assertThat(ok.at("/status/resolved/size").asText()).isEqualTo("100 B");
    assertThat(ok.at("/status/progress/percent").asText()).isEqualTo("100%");
    assertThat(ok.get("status").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("progress", "resolved");
    assertThat(read(applied.get(1)).at("/status/resolved/revision").isMissingNode()).isTrue();
  }

  @Test
  void theDocumentIsTheStatusTypeSerialised() {
    sink.revision("b".repeat(40));
    sink.progress(snapshot(30));
    sink.finished(snapshot(100), null);

    ModelArtifact during = SERIALIZATION.unmarshal(applied.get(0), ModelArtifact.class);
    assertThat(during.getMetadata().getName()).isEqualTo("llama");
    assertThat(during.getStatus().resolved()).isEqualTo(new Resolved(null, 2, 100L, "100 B"));
    assertThat(during.getStatus().progress())
        .isEqualTo(
            new Progress(
                Phase.Downloading,
                30L,
                100L,
                0,
                2,
                50L,
                1L,
                "30%",
                "50 B/s",
                "1s",
                "2026-01-01T00:00:00Z"));
    ModelArtifact last = SERIALIZATION.unmarshal(applied.get(1), ModelArtifact.class);
    assertThat(last.getStatus().resolved().revision()).isEqualTo("b".repeat(40));
    assertThat(last.getStatus().phase()).isNull();
    assertThat(last.getStatus().conditions()).isNull();
  }

  @Test
  void theFinalPatchShowsTheAverageSpeedOfTheAttemptAndNoEta() {
    sink.finished(
        new Snapshot(100, 100, 2, 2, 999, 7, 4000, 80, Phase.Verifying).withAverageSpeed(), null);

    JsonNode last = read(applied.getFirst());
    assertThat(last.at("/status/progress/bytesPerSecond").asLong()).isEqualTo(20);
    assertThat(last.at("/status/progress/speed").asText()).isEqualTo("20 B/s");
    assertThat(last.at("/status/progress/eta").isMissingNode()).isTrue();
    assertThat(last.at("/status/progress/etaSeconds").isMissingNode()).isTrue();
  }

  @Test
  void aTimerTickThatRacesTheEndDoesNotOverwriteTheFinalPatch() {
    sink.finished(snapshot(100), null);
    clock.advance(Duration.ofSeconds(5));
    sink.progress(snapshot(90));

    assertThat(applied).hasSize(1);
  }

  @Test
  void aFailingFinalPatchDoesNotFailThePull() {
    StatusPatchSink failing =
        new StatusPatchSink(
            "serving",
            "llama",
            d -> {
              throw new IllegalStateException("403");
            },
            Duration.ofSeconds(2),
            clock);

    failing.finished(snapshot(100), null);
  }

  private static Snapshot snapshot(long done) {
    return new Snapshot(
        done,
        100,
        done == 100 ? 2 : 0,
        2,
        50,
        (100 - done) / 50,
        1000,
        done,
        done == 100 ? Phase.Verifying : Phase.Downloading);
  }

  private static JsonNode read(String document) {
    try {
      return JSON.readTree(document);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
