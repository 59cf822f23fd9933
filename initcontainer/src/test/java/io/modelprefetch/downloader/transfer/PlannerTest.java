package io.modelprefetch.downloader.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelprefetch.downloader.manifest.Completion;
import io.modelprefetch.downloader.manifest.Completion.CompletedFile;
import io.modelprefetch.downloader.manifest.Listing;
import io.modelprefetch.downloader.manifest.RemoteFile;
import io.modelprefetch.downloader.verify.VerifiedLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a pull reuses and what it fetches, in which ranges, from what the destination holds. */
class PlannerTest {
  private static final int SIZE = 1000;
  private static final RemoteFile MODEL =
      new RemoteFile("model.bin", SIZE, List.of(), "model.bin", "v2", true);
  private static final Listing LISTING = new Listing("fake://model", "rev-2", List.of(MODEL));

  @TempDir Path dir;
  private Destination destination;

  @BeforeEach
  void open() throws Exception {
    destination = Destination.open(dir);
  }

  @Test
  void aFileTheCompletionManifestNamesAtTheSameVersionIsReusedAndNothingIsFetched()
      throws Exception {
    Files.write(destination.finalPath("model.bin"), new byte[SIZE]);
    Completion prior = completion("rev-2", "v2");

    Plan plan = new Planner(destination).plan(LISTING, prior);

    assertThat(plan.reused()).containsOnlyKeys("model.bin");
    assertThat(plan.recovered()).isEmpty();
    assertThat(plan.fetches()).isEmpty();
    assertThat(plan.upToDate(prior)).isTrue();
  }

  @Test
  void aFileAnInterruptedPullVerifiedIsReusedAndFlushedBeforeTheManifestNamesIt() throws Exception {
    Files.write(destination.finalPath("model.bin"), new byte[SIZE]);
    try (VerifiedLog log = new VerifiedLog(destination.verifiedLog())) {
      log.add(MODEL.identity(), "sha256:" + "0".repeat(64), "model.bin");
    }

    Plan plan = new Planner(destination).plan(LISTING, null);

    assertThat(plan.reused()).containsOnlyKeys("model.bin");
    assertThat(plan.recovered()).containsExactly("model.bin");
    assertThat(plan.fetches()).isEmpty();
    assertThat(plan.upToDate(null)).isFalse();
  }

  @Test
  void aNewVersionOfAFileIsFetchedWhole() throws Exception {
    Files.write(destination.finalPath("model.bin"), new byte[SIZE]);

    Plan plan = new Planner(destination).plan(LISTING, completion("rev-1", "v1"));

    assertThat(plan.reused()).isEmpty();
    assertThat(plan.fetches())
        .singleElement()
        .satisfies(f -> assertThat(f.missing()).containsExactly(new long[] {0, SIZE}));
    assertThat(plan.bytesToFetch()).isEqualTo(SIZE);
  }

  @Test
  void aFileMissingFromItsPlaceIsFetchedAlthoughTheManifestNamesIt() throws Exception {
    Plan plan = new Planner(destination).plan(LISTING, completion("rev-2", "v2"));

    assertThat(plan.fetches()).extracting(f -> f.file().path()).containsExactly("model.bin");
    assertThat(plan.upToDate(completion("rev-2", "v2"))).isFalse();
  }

  @Test
  void anInterruptedPullsJournalLeavesOnlyTheRangesNotWritten() throws Exception {
    stage(SIZE, MODEL.identity(), 0, 300, 500, 700);

    Plan plan = new Planner(destination).plan(LISTING, null);

    Plan.Fetch fetch = plan.fetches().getFirst();
    assertThat(fetch.missing()).containsExactly(new long[] {300, 500}, new long[] {700, SIZE});
    assertThat(plan.bytesToFetch()).isEqualTo(SIZE - 500);
  }

  @Test
  void aJournalOfOtherContentIsDropped() throws Exception {
    stage(SIZE, SIZE + ":v1", 0, 300);

    Plan plan = new Planner(destination).plan(LISTING, null);

    assertThat(plan.fetches().getFirst().missing()).containsExactly(new long[] {0, SIZE});
  }

  @Test
  void aJournalThatClaimsMoreThanThePartialFileHoldsIsDropped() throws Exception {
    stage(100, MODEL.identity(), 0, 300);

    Plan plan = new Planner(destination).plan(LISTING, null);

    assertThat(plan.fetches().getFirst().missing()).containsExactly(new long[] {0, SIZE});
  }

  /**
   * A partial file of {@code partialBytes} and a journal for {@code identity} of the ranges given
   * as start, end pairs.
   */
  private void stage(int partialBytes, String identity, long... ranges) throws Exception {
    Path partial = destination.partial("model.bin");
    destination.ensureDirectory(partial.getParent());
    Files.write(partial, new byte[partialBytes]);
    Path journalPath = destination.journal("model.bin");
    try (Journal journal = Journal.open(journalPath, identity)) {
      for (int i = 0; i < ranges.length; i += 2) {
        journal.record(ranges[i], ranges[i + 1]);
      }
    }
  }

  private static Completion completion(String revision, String version) {
    return new Completion(
        "fake://model",
        revision,
        "2026-01-01T00:00:00Z",
        SIZE,
        List.of(new CompletedFile("model.bin", SIZE, List.of(), version)));
  }
}
