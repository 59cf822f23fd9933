package io.modelprefetch.downloader.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusPatchSinkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<String> applied = new ArrayList<>();
  private final MutableClock clock = new MutableClock();
  private final StatusPatchSink sink = new StatusPatchSink("serving", "llama", applied::add, Duration.ofSeconds(2), clock);

  @Test
  void patchesAtMostOncePerIntervalButAlwaysSendsTheFinalSnapshot() {
    sink.progress(snapshot(10));
    clock.advance(Duration.ofMillis(1500));
    sink.progress(snapshot(20));
    clock.advance(Duration.ofMillis(600));
    sink.progress(snapshot(30));
    sink.finished(snapshot(100), null);

    assertThat(applied).hasSize(3);
    assertThat(applied).extracting(d -> read(d).at("/status/progress/bytesDone").asLong()).containsExactly(10L, 30L, 100L);
  }

  @Test
  void reportsBytesFromPeersAndFromTheOriginWhenThePullGoesThroughDragonfly() {
    sink.finished(snapshot(100), null);
    sink.split(() -> new io.modelprefetch.downloader.source.dragonfly.DragonflyRoute.Split(70L, 30L));
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
    sink.progress(new Snapshot(0, 0, 0, 0, 0, -1, 100, 0));

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
    assertThat(ok.get("status").fieldNames()).toIterable().containsExactlyInAnyOrder("progress", "resolved");
    assertThat(read(applied.get(1)).at("/status/resolved/revision").isMissingNode()).isTrue();
  }

  @Test
  void aFailingFinalPatchDoesNotFailThePull() {
    StatusPatchSink failing = new StatusPatchSink("serving", "llama", d -> {
      throw new IllegalStateException("403");
    }, Duration.ofSeconds(2), clock);

    failing.finished(snapshot(100), null);
  }

  private static Snapshot snapshot(long done) {
    return new Snapshot(done, 100, done == 100 ? 2 : 0, 2, 50, (100 - done) / 50, 1000, done);
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
