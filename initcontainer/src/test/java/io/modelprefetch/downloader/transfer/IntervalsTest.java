package io.modelprefetch.downloader.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IntervalsTest {

  @Test
  void mergesOverlappingAndAdjacentRanges() {
    Intervals i = new Intervals();
    i.add(10, 20);
    i.add(30, 40);
    i.add(20, 30);
    i.add(35, 50);
    assertThat(i.covered()).isEqualTo(40);
    assertThat(i.gaps(60)).containsExactly(new long[] {0, 10}, new long[] {50, 60});
  }

  @Test
  void gapsOfAnEmptySetIsTheWholeFile() {
    assertThat(new Intervals().gaps(100)).containsExactly(new long[] {0, 100});
  }

  @Test
  void fullCoverageLeavesNoGap() {
    Intervals i = new Intervals();
    i.add(50, 100);
    i.add(0, 50);
    assertThat(i.gaps(100)).isEmpty();
    assertThat(i.covered()).isEqualTo(100);
  }
}
