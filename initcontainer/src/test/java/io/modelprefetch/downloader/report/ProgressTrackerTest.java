package io.modelprefetch.downloader.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelprefetch.api.v1alpha1.Phase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTrackerTest {
  private final ProgressTracker tracker = new ProgressTracker();
  private final List<Phase> phases = new ArrayList<>();

  private void record() {
    Phase phase = tracker.snapshot().phase();
    if (phases.isEmpty() || phases.getLast() != phase) {
      phases.add(phase);
    }
  }

  /** Seen on a real node: Verifying, then Downloading again once the last file was in place. */
  @Test
  void thePhaseOnlyMovesForwardFromResolvingThroughDownloadingToVerifying() {
    record();
    tracker.start(100, 2);
    record();
    tracker.transferred(60);
    record();
    tracker.transferred(40);
    record();
    tracker.fileDone();
    record();
    tracker.fileDone();
    record();

    assertThat(phases).containsExactly(Phase.Resolving, Phase.Downloading, Phase.Verifying);
    assertThat(tracker.snapshot().filesDone()).isEqualTo(2);
  }

  @Test
  void discardedBytesOfAFailedAttemptMeanDownloadingAgain() {
    tracker.start(100, 1);
    tracker.transferred(100);
    assertThat(tracker.snapshot().phase()).isEqualTo(Phase.Verifying);
    tracker.transferred(-30);
    assertThat(tracker.snapshot().phase()).isEqualTo(Phase.Downloading);
  }

  @Test
  void aPullWithEverythingAlreadyInPlaceIsVerifyingAtOnce() {
    tracker.start(100, 2);
    tracker.alreadyDone(100, 2);
    assertThat(tracker.snapshot().phase()).isEqualTo(Phase.Verifying);
  }
}
